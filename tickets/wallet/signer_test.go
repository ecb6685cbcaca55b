package wallet_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"strings"
	"testing"
	"time"

	"salon/tickets/wallet"
	"salon/tickets/wallet/wallettest"
)

func TestNewSignerRefuses(t *testing.T) {
	good := wallettest.NewChain(t)
	other := wallettest.NewChain(t)
	expired := wallettest.NewChain(t, wallettest.Options{NotBefore: time.Now().Add(-48 * time.Hour), NotAfter: time.Now().Add(-time.Hour)})
	otherType := wallettest.NewChain(t, wallettest.Options{PassTypeID: "pass.example.other"})
	otherTeam := wallettest.NewChain(t, wallettest.Options{TeamID: "ZZZZZZZZZZ"})
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecDER, err := x509.MarshalECPrivateKey(ecKey)
	if err != nil {
		t.Fatal(err)
	}
	half := good.CertPEM[:len(good.CertPEM)/2]
	encrypted := pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: []byte{0x30, 0}})
	legacyEncrypted := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Headers: map[string]string{"Proc-Type": "4,ENCRYPTED", "DEK-Info": "AES-256-CBC,00"}, Bytes: []byte{0x30, 0}})
	brokenCert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte("not DER")})
	brokenKey := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte("not DER")})

	for _, c := range []struct {
		name string
		edit func(*wallet.Config)
		want string
	}{
		{"empty cert", func(c *wallet.Config) { c.CertPEM = nil }, "--wallet-cert: no certificate"},
		{"cert cut in half", func(c *wallet.Config) { c.CertPEM = half }, "--wallet-cert: no certificate"},
		{"cert block not DER", func(c *wallet.Config) { c.CertPEM = brokenCert }, "--wallet-cert: its CERTIFICATE block is not a valid certificate"},
		{"key file given as cert", func(c *wallet.Config) { c.CertPEM = good.KeyPEM }, "--wallet-cert: no certificate"},
		{"empty key", func(c *wallet.Config) { c.KeyPEM = []byte("\n") }, "--wallet-key: no private key"},
		{"cert given as key", func(c *wallet.Config) { c.KeyPEM = good.CertPEM }, "--wallet-key: no private key"},
		{"key block not DER", func(c *wallet.Config) { c.KeyPEM = brokenKey }, "--wallet-key: its PRIVATE KEY block is not a valid key"},
		{"encrypted key", func(c *wallet.Config) { c.KeyPEM = encrypted }, "--wallet-key: the key is encrypted"},
		{"legacy encrypted key", func(c *wallet.Config) { c.KeyPEM = legacyEncrypted }, "--wallet-key: the key is encrypted"},
		{"another key", func(c *wallet.Config) { c.KeyPEM = other.KeyPEM }, "--wallet-key is not the key of the certificate"},
		{"EC key of nothing", func(c *wallet.Config) {
			c.KeyPEM = pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: ecDER})
		}, "--wallet-key is not the key of the certificate"},
		{"empty wwdr", func(c *wallet.Config) { c.WWDRPEM = []byte("junk") }, "--wallet-wwdr: no certificate"},
		{"another intermediate", func(c *wallet.Config) { c.WWDRPEM = other.WWDRPEM }, "--wallet-cert is not issued by the certificate in --wallet-wwdr"},
		{"leaf as intermediate", func(c *wallet.Config) { c.WWDRPEM = good.CertPEM }, "--wallet-wwdr is not a certificate authority"},
		{"expired", func(c *wallet.Config) {
			c.CertPEM, c.KeyPEM, c.WWDRPEM = expired.CertPEM, expired.KeyPEM, expired.WWDRPEM
		}, "--wallet-cert is valid only from"},
		{"other pass type", func(c *wallet.Config) {
			c.CertPEM, c.KeyPEM, c.WWDRPEM = otherType.CertPEM, otherType.KeyPEM, otherType.WWDRPEM
		}, `is for pass type "pass.example.other"`},
		{"other team", func(c *wallet.Config) {
			c.CertPEM, c.KeyPEM, c.WWDRPEM = otherTeam.CertPEM, otherTeam.KeyPEM, otherTeam.WWDRPEM
		}, `belongs to team "ZZZZZZZZZZ"`},
		{"bad pass type id", func(c *wallet.Config) { c.PassTypeID = "salon" }, "--wallet-pass-type-id must be"},
		{"bad team id", func(c *wallet.Config) { c.TeamID = "abc" }, "--wallet-team-id must be"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := wallet.Config{CertPEM: good.CertPEM, KeyPEM: good.KeyPEM, WWDRPEM: good.WWDRPEM, PassTypeID: wallettest.PassTypeID, TeamID: wallettest.TeamID}
			c.edit(&cfg)
			_, err := wallet.NewSigner(cfg, time.Now())
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one containing %q", err, c.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans lines: %q", err)
			}
		})
	}
}

func TestNewSignerAccepts(t *testing.T) {
	c := wallettest.NewChain(t)
	// What openssl pkcs12 writes: bag attributes before each block, the
	// key and certificate in one file, a PKCS#1 key, a DER intermediate.
	both := append([]byte("Bag Attributes\n    localKeyID: 01\nsubject=CN = x\n"), c.CertPEM...)
	both = append(both, c.KeyPEM...)
	pkcs1 := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(c.Key)})
	for _, tc := range []struct {
		name            string
		cert, key, wwdr []byte
	}{
		{"PEM files", c.CertPEM, c.KeyPEM, c.WWDRPEM},
		{"one file with bag attributes", both, both, c.WWDRPEM},
		{"PKCS#1 key", c.CertPEM, pkcs1, c.WWDRPEM},
		{"DER intermediate", c.CertPEM, c.KeyPEM, c.WWDR.Raw},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := wallet.NewSigner(wallet.Config{CertPEM: tc.cert, KeyPEM: tc.key, WWDRPEM: tc.wwdr,
				PassTypeID: wallettest.PassTypeID, TeamID: wallettest.TeamID}, time.Now()); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// FuzzParsePEM feeds the file parsers what a mistaken path might hold.
func FuzzParsePEM(f *testing.F) {
	c := wallettest.NewChain(f)
	for _, seed := range [][]byte{c.CertPEM, c.KeyPEM, c.WWDR.Raw, []byte("-----BEGIN CERTIFICATE-----\n\n-----END CERTIFICATE-----\n"), {0x30, 0x82}} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if cert, err := wallet.ParseCertificate(b); (cert == nil) == (err == nil) {
			t.Fatalf("certificate %v with error %v", cert, err)
		}
		if key, err := wallet.ParsePrivateKey(b); (key == nil) == (err == nil) {
			t.Fatalf("key with error %v", err)
		}
	})
}
