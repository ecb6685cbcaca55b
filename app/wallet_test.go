package app_test

import (
	"archive/zip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smallstep/pkcs7"

	"salon/app"
	"salon/app/internal/apptest"
	"salon/tickets/wallet"
	"salon/tickets/wallet/wallettest"
)

// withWallet configures passes signed by a throwaway chain whose files are
// written into a temporary directory.
func withWallet(t *testing.T, chain *wallettest.Chain) func(*app.Config) {
	cert, key, wwdr, _ := chain.Files(t, t.TempDir())
	return func(c *app.Config) {
		c.Wallet = app.WalletConfig{Cert: cert, Key: key, WWDR: wwdr, PassTypeID: wallettest.PassTypeID, TeamID: wallettest.TeamID}
	}
}

func passPath(token string) string { return "/t/" + token + "/pass.pkpass" }

// zipFiles reads a .pkpass into its files.
func zipFiles(t *testing.T, b string) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(strings.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a zip (%d bytes): %v", len(b), err)
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name], err = io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func TestWalletPass_Served(t *testing.T) {
	chain := wallettest.NewChain(t)
	ta := apptest.New(t, withWallet(t, chain))
	slug := ta.Salon(`"title":"Fintech founders","venue":"The Loft","address":"1 Bund Rd","timezone":"Asia/Shanghai"`)
	token, tk := ta.RSVPToken(slug, "ana@example.com")

	status, body, h := ta.Do("GET", passPath(token), "", "", "")
	if status != 200 {
		t.Fatalf("GET pass: %d %s", status, body)
	}
	if ct := h.Get("Content-Type"); ct != wallet.ContentType {
		t.Errorf("Content-Type %q", ct)
	}
	if cc := h.Get("Cache-Control"); cc != "private, no-store" {
		t.Errorf("Cache-Control %q", cc)
	}
	files := zipFiles(t, body)
	var p struct {
		SerialNumber string `json:"serialNumber"`
		RelevantDate string `json:"relevantDate"`
		Barcodes     []struct{ Message string }
	}
	if err := json.Unmarshal(files["pass.json"], &p); err != nil {
		t.Fatalf("pass.json: %v", err)
	}
	// The door reads the pass's barcode as it reads the QR image: the same code.
	if len(p.Barcodes) != 1 || p.Barcodes[0].Message != tk["code"] {
		t.Errorf("barcodes %+v, want the ticket's code %v", p.Barcodes, tk["code"])
	}
	if p.SerialNumber != jsonID(tk["id"]) {
		t.Errorf("serialNumber %q, ticket id %v", p.SerialNumber, tk["id"])
	}
	if !strings.HasSuffix(p.RelevantDate, "+08:00") {
		t.Errorf("relevantDate %q is not in the salon's zone", p.RelevantDate)
	}
	p7, err := pkcs7.Parse(files["signature"])
	if err != nil {
		t.Fatal(err)
	}
	p7.Content = files["manifest.json"]
	if err := p7.VerifyWithChain(chain.Roots()); err != nil {
		t.Errorf("signature: %v", err)
	}

	// The ticket page offers the pass.
	if s, page, _ := ta.Do("GET", "/t/"+token, "", "", ""); s != 200 || !strings.Contains(page, `href="`+passPath(token)+`"`) || !strings.Contains(page, "Add to Apple Wallet") {
		t.Errorf("ticket page %d lacks the Wallet link", s)
	}
}

// jsonID is a ticket id as JSON gave it, as text.
func jsonID(v any) string {
	b, _ := json.Marshal(v)
	return strings.Trim(string(b), `"`)
}

func TestWalletPass_NotFound(t *testing.T) {
	notFound := func(t *testing.T, ta *apptest.App, path string) {
		t.Helper()
		// Like the QR image, the pass answers errors in the contract's
		// shape, even to a browser that asks for HTML.
		status, body, _ := ta.Do("GET", path, "", "", "", "Accept", "text/html")
		var out map[string]any
		if err := json.Unmarshal([]byte(body), &out); err != nil || status != 404 || apptest.ErrCode(out) != "not_found" {
			t.Errorf("GET %s: %d %q, want 404 not_found", path, status, body)
		}
	}
	t.Run("not configured", func(t *testing.T) {
		ta := apptest.New(t)
		slug := ta.Salon("")
		token, _ := ta.RSVPToken(slug, "ana@example.com")
		notFound(t, ta, passPath(token))
		if _, page, _ := ta.Do("GET", "/t/"+token, "", "", ""); strings.Contains(page, "pass.pkpass") || strings.Contains(page, "Apple Wallet") {
			t.Error("the ticket page offers a pass the server cannot make")
		}
	})
	ta := apptest.New(t, withWallet(t, wallettest.NewChain(t)))
	slug := ta.Salon(`"capacity":1`)
	confirmed, _ := ta.RSVPToken(slug, "ana@example.com")
	waitlisted, tk := ta.RSVPToken(slug, "bo@example.com")
	if tk["status"] != "waitlisted" {
		t.Fatalf("second RSVP is %v", tk["status"])
	}
	t.Run("unknown token", func(t *testing.T) { notFound(t, ta, passPath("no-such-token")) })
	t.Run("waitlisted", func(t *testing.T) {
		notFound(t, ta, passPath(waitlisted))
		if _, page, _ := ta.Do("GET", "/t/"+waitlisted, "", "", ""); strings.Contains(page, "pass.pkpass") {
			t.Error("a waitlisted ticket's page offers a pass")
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		if s, out := ta.JSON("POST", "/api/v1/tickets/"+confirmed+"/cancel", "", ""); s != 200 {
			t.Fatalf("cancel: %d %v", s, out)
		}
		notFound(t, ta, passPath(confirmed))
	})
	t.Run("salon cancelled", func(t *testing.T) {
		other := ta.Salon(`"title":"Second evening"`)
		token, _ := ta.RSVPToken(other, "cy@example.com")
		if s, out := ta.JSON("POST", "/api/v1/salons/"+other+"/cancel", ta.Token, ""); s != 200 {
			t.Fatalf("cancel salon: %d %v", s, out)
		}
		notFound(t, ta, passPath(token))
	})
}

func TestMail_WalletLinkOnlyWhenConfigured(t *testing.T) {
	for _, tc := range []struct {
		name string
		mod  []func(*app.Config)
		want bool
	}{
		{"configured", []func(*app.Config){withWallet(t, wallettest.NewChain(t))}, true},
		{"not configured", nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ta, smtp := apptest.MailApp(t, tc.mod...)
			slug := ta.Salon("")
			token, _ := ta.RSVPToken(slug, "ana@example.com")
			_, parts := apptest.ParseMail(t, apptest.WaitMail(t, smtp, 1)[0].Data)
			link := "https://salon.example" + passPath(token)
			for _, ct := range []string{"text/plain", "text/html"} {
				p := apptest.FindPart(parts, ct)
				if p == nil {
					t.Fatalf("no %s part", ct)
				}
				if got := strings.Contains(p.Body, link) && strings.Contains(p.Body, "Apple Wallet"); got != tc.want {
					t.Errorf("%s offers the pass: %v, want %v\n%s", ct, got, tc.want, p.Body)
				}
			}
		})
	}
}

func TestCLI_ServeWalletFlags(t *testing.T) {
	chain := wallettest.NewChain(t)
	dir := t.TempDir()
	cert, key, wwdr, _ := chain.Files(t, dir)
	garbage := filepath.Join(dir, "garbage.pem")
	if err := os.WriteFile(garbage, []byte("-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	unreadable := filepath.Join(dir, "locked.pem")
	if err := os.WriteFile(unreadable, chain.CertPEM, 0o000); err != nil {
		t.Fatal(err)
	}
	all := func(cert, key, wwdr string) []string {
		return []string{"--wallet-cert", cert, "--wallet-key", key, "--wallet-wwdr", wwdr,
			"--wallet-pass-type-id", wallettest.PassTypeID, "--wallet-team-id", wallettest.TeamID}
	}
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"only a certificate", []string{"--wallet-cert", cert}, 2, "missing --wallet-key, --wallet-wwdr, --wallet-pass-type-id, --wallet-team-id"},
		{"no team", all(cert, key, wwdr)[:8], 2, "missing --wallet-team-id"},
		{"bad team id", append(all(cert, key, wwdr)[:8], "--wallet-team-id", "team"), 2, "--wallet-team-id must be"},
		{"no such file", all(filepath.Join(dir, "nope.pem"), key, wwdr), 1, "--wallet-cert: cannot read"},
		{"not a certificate", all(garbage, key, wwdr), 1, "--wallet-cert: its CERTIFICATE block is not a valid certificate"},
		{"key swapped for certificate", all(cert, cert, wwdr), 1, "--wallet-key: no private key"},
		{"intermediate swapped for certificate", all(cert, key, cert), 1, "--wallet-wwdr is not a certificate authority"},
		{"unreadable", all(unreadable, key, wwdr), 1, "--wallet-cert: cannot read"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "unreadable" && os.Geteuid() == 0 {
				t.Skip("root reads files whatever their mode")
			}
			db := filepath.Join(t.TempDir(), "salon.db")
			args := append([]string{"serve", "--db", db, "--addr", "127.0.0.1:0"}, tc.args...)
			code, _, stderr := runCLI(t, "", args...)
			if code != tc.code || !strings.Contains(stderr, tc.stderr) {
				t.Errorf("exit %d, stderr %q; want %d with %q", code, stderr, tc.code, tc.stderr)
			}
			if n := strings.Count(strings.TrimSpace(stderr), "\n"); n > 0 {
				t.Errorf("stderr is %d lines: %q", n+1, stderr)
			}
		})
	}
}

func TestWalletFlagsFromEnvironment(t *testing.T) {
	chain := wallettest.NewChain(t)
	cert, key, wwdr, _ := chain.Files(t, t.TempDir())
	t.Setenv("SALON_WALLET_CERT", cert)
	t.Setenv("SALON_WALLET_KEY", key)
	t.Setenv("SALON_WALLET_WWDR", wwdr)
	t.Setenv("SALON_WALLET_PASS_TYPE_ID", wallettest.PassTypeID)
	t.Setenv("SALON_WALLET_TEAM_ID", "")
	code, _, stderr := runCLI(t, "", "serve", "--db", filepath.Join(t.TempDir(), "salon.db"))
	if code != 2 || !strings.Contains(stderr, "missing --wallet-team-id") {
		t.Errorf("exit %d, stderr %q; want 2 naming --wallet-team-id", code, stderr)
	}
}
