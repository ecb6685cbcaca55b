package app

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"

	"salon/tickets/wallet"
)

// WalletConfig names the Apple Wallet pass certificate, its key and Apple's
// WWDR intermediate (PEM files) and the identifiers Apple assigned. All
// empty: the server offers no passes.
type WalletConfig struct {
	Cert, Key, WWDR    string
	PassTypeID, TeamID string
}

// Enabled reports whether passes are configured.
func (w WalletConfig) Enabled() bool { return w != WalletConfig{} }

func (e *envFlags) bindWallet(w *WalletConfig) {
	e.string(&w.Cert, "wallet-cert", "SALON_WALLET_CERT", "", "PEM file of the Apple Wallet Pass Type ID certificate; empty: no passes")
	e.string(&w.Key, "wallet-key", "SALON_WALLET_KEY", "", "PEM file of the pass certificate's private key (unencrypted)")
	e.string(&w.WWDR, "wallet-wwdr", "SALON_WALLET_WWDR", "", "PEM file of Apple's WWDR intermediate certificate (G4)")
	e.string(&w.PassTypeID, "wallet-pass-type-id", "SALON_WALLET_PASS_TYPE_ID", "", "the Pass Type ID, such as pass.com.example.salon")
	e.string(&w.TeamID, "wallet-team-id", "SALON_WALLET_TEAM_ID", "", "the Apple Developer team ID, such as A1B2C3D4E5")
}

// validate refuses a partial configuration: passes need all five, and a
// server that silently offered none because one was forgotten would be
// found out only by a guest at the door.
func (w *WalletConfig) validate() error {
	w.PassTypeID, w.TeamID = strings.TrimSpace(w.PassTypeID), strings.TrimSpace(w.TeamID)
	if !w.Enabled() {
		return nil
	}
	var missing []string
	for _, f := range []struct{ name, v string }{{"--wallet-cert", w.Cert}, {"--wallet-key", w.Key}, {"--wallet-wwdr", w.WWDR},
		{"--wallet-pass-type-id", w.PassTypeID}, {"--wallet-team-id", w.TeamID}} {
		if f.v == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("the --wallet-* flags go together (all five or none); missing %s", strings.Join(missing, ", "))
	}
	return wallet.CheckIdentifiers(w.PassTypeID, w.TeamID)
}

// loadWallet reads and checks the pass files at start, or returns nil when
// passes are not configured. Failures are one line naming the flag.
func loadWallet(w WalletConfig, now time.Time) (*wallet.Signer, error) {
	if !w.Enabled() {
		return nil, nil
	}
	read := func(flag, path string) ([]byte, error) {
		b, err := os.ReadFile(path)
		if err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return nil, fmt.Errorf("%s: cannot read %s: %v", flag, path, err)
		}
		return b, nil
	}
	c := wallet.Config{PassTypeID: w.PassTypeID, TeamID: w.TeamID}
	var err error
	if c.CertPEM, err = read("--wallet-cert", w.Cert); err != nil {
		return nil, err
	}
	if c.KeyPEM, err = read("--wallet-key", w.Key); err != nil {
		return nil, err
	}
	if c.WWDRPEM, err = read("--wallet-wwdr", w.WWDR); err != nil {
		return nil, err
	}
	return wallet.NewSigner(c, now)
}
