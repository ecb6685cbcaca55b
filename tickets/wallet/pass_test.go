package wallet_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/smallstep/pkcs7"

	"salon/events"
	"salon/tickets"
	"salon/tickets/wallet"
	"salon/tickets/wallet/wallettest"
)

// testCode stands for a ticket code as Sign writes it.
const testCode = "AEBQGBAEAYDQIBAHBAEQSCQKBMFAMDQOB4IBCEQTCQKRMFYYDEN"

func newSigner(t *testing.T, c *wallettest.Chain) *wallet.Signer {
	t.Helper()
	s, err := wallet.NewSigner(wallet.Config{CertPEM: c.CertPEM, KeyPEM: c.KeyPEM, WWDRPEM: c.WWDRPEM,
		PassTypeID: wallettest.PassTypeID, TeamID: wallettest.TeamID}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func testPass(t *testing.T) wallet.Pass {
	t.Helper()
	loc, err := events.LoadZone("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	sa := &events.Salon{Title: "Fintech founders' salon", Venue: "The Loft", Address: "1 Bund Rd, Shanghai",
		Timezone: "Asia/Shanghai", StartsAt: time.Date(2026, 12, 5, 19, 0, 0, 0, loc).UTC(), EndsAt: time.Date(2026, 12, 5, 21, 30, 0, 0, loc).UTC()}
	tk := &tickets.Ticket{ID: 42, Name: "Ana Lima"}
	return wallet.ForTicket(sa, tk, testCode, "Salon", "https://salon.example/t/tok", wallet.Labels{Holder: "Guest"}, "Ticket for Fintech founders' salon")
}

// unzip returns the archive's files by name, in the archive's order.
func unzip(t *testing.T, b []byte) (map[string][]byte, []string) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	files, names := map[string][]byte{}, []string{}
	for _, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name] = body
		names = append(names, f.Name)
	}
	return files, names
}

func TestPassLayoutAndManifest(t *testing.T) {
	s := newSigner(t, wallettest.NewChain(t))
	b, err := s.Build(testPass(t))
	if err != nil {
		t.Fatal(err)
	}
	files, names := unzip(t, b)
	want := []string{"icon.png", "icon@2x.png", "icon@3x.png", "manifest.json", "pass.json", "signature"}
	got := slices.Sorted(slices.Values(names))
	if !slices.Equal(got, want) {
		t.Fatalf("files %v, want %v", got, want)
	}
	var manifest map[string]string
	if err := json.Unmarshal(files["manifest.json"], &manifest); err != nil {
		t.Fatalf("manifest.json: %v", err)
	}
	// Every file but the manifest and the signature is listed, with its SHA-1.
	if len(manifest) != len(files)-2 {
		t.Errorf("manifest lists %d files, want %d: %v", len(manifest), len(files)-2, manifest)
	}
	for name, body := range files {
		if name == "manifest.json" || name == "signature" {
			continue
		}
		sum := sha1.Sum(body)
		if manifest[name] != hex.EncodeToString(sum[:]) {
			t.Errorf("manifest[%s] = %q, want %x", name, manifest[name], sum)
		}
	}
	for name, side := range map[string]int{"icon.png": 29, "icon@2x.png": 58, "icon@3x.png": 87} {
		img, err := png.Decode(bytes.NewReader(files[name]))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if b := img.Bounds(); b.Dx() != side || b.Dy() != side {
			t.Errorf("%s is %v, want %dx%d", name, b, side, side)
		}
	}
}

func TestPassJSON(t *testing.T) {
	s := newSigner(t, wallettest.NewChain(t))
	b, err := s.Build(testPass(t))
	if err != nil {
		t.Fatal(err)
	}
	files, _ := unzip(t, b)
	var p struct {
		FormatVersion      int    `json:"formatVersion"`
		PassTypeIdentifier string `json:"passTypeIdentifier"`
		TeamIdentifier     string `json:"teamIdentifier"`
		SerialNumber       string `json:"serialNumber"`
		OrganizationName   string `json:"organizationName"`
		Description        string `json:"description"`
		RelevantDate       string `json:"relevantDate"`
		ExpirationDate     string `json:"expirationDate"`
		Barcodes           []struct{ Format, Message, MessageEncoding string }
		EventTicket        map[string][]struct{ Key, Label, Value string }
	}
	if err := json.Unmarshal(files["pass.json"], &p); err != nil {
		t.Fatalf("pass.json: %v", err)
	}
	for _, c := range []struct{ name, got, want string }{
		{"passTypeIdentifier", p.PassTypeIdentifier, wallettest.PassTypeID},
		{"teamIdentifier", p.TeamIdentifier, wallettest.TeamID},
		{"serialNumber", p.SerialNumber, "42"},
		{"organizationName", p.OrganizationName, "Salon"},
		{"description", p.Description, "Ticket for Fintech founders' salon"},
		{"relevantDate", p.RelevantDate, "2026-12-05T19:00:00+08:00"},
		{"expirationDate", p.ExpirationDate, "2026-12-05T21:30:00+08:00"},
	} {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if p.FormatVersion != 1 {
		t.Errorf("formatVersion = %d", p.FormatVersion)
	}
	if len(p.Barcodes) != 1 || p.Barcodes[0].Format != "PKBarcodeFormatQR" || p.Barcodes[0].Message != testCode || p.Barcodes[0].MessageEncoding != "iso-8859-1" {
		t.Errorf("barcodes = %+v, want one QR of the code", p.Barcodes)
	}
	values := map[string]string{}
	labels := map[string]string{}
	for _, fs := range p.EventTicket {
		for _, f := range fs {
			values[f.Key], labels[f.Key] = f.Value, f.Label
		}
	}
	for key, want := range map[string]string{"event": "Fintech founders' salon", "when": "2026-12-05T19:00:00+08:00",
		"venue": "The Loft", "address": "1 Bund Rd, Shanghai", "holder": "Ana Lima", "ticket": "https://salon.example/t/tok"} {
		if values[key] != want {
			t.Errorf("eventTicket %s = %q, want %q", key, values[key], want)
		}
	}
	if labels["holder"] != "Guest" || labels["event"] != "Event" {
		t.Errorf("labels: holder %q (given), event %q (English default)", labels["holder"], labels["event"])
	}
}

func TestSignatureVerifiesAgainstChain(t *testing.T) {
	chain := wallettest.NewChain(t)
	s := newSigner(t, chain)
	b, err := s.Build(testPass(t))
	if err != nil {
		t.Fatal(err)
	}
	files, _ := unzip(t, b)
	p7, err := pkcs7.Parse(files["signature"])
	if err != nil {
		t.Fatalf("signature is not PKCS#7: %v", err)
	}
	if len(p7.Content) != 0 {
		t.Errorf("signature carries %d bytes of content; it must be detached", len(p7.Content))
	}
	// The intermediate comes from the signature itself: only the root is trusted.
	var hasWWDR bool
	for _, c := range p7.Certificates {
		hasWWDR = hasWWDR || c.Equal(chain.WWDR)
	}
	if !hasWWDR {
		t.Error("the signature does not include the WWDR intermediate")
	}
	if !p7.GetOnlySigner().Equal(chain.Cert) {
		t.Error("the signer is not the pass certificate")
	}
	var signed time.Time
	if err := p7.UnmarshalSignedAttribute(pkcs7.OIDAttributeSigningTime, &signed); err != nil || time.Since(signed).Abs() > time.Minute {
		t.Errorf("signing time %v (%v), want now", signed, err)
	}
	p7.Content = files["manifest.json"]
	if err := p7.VerifyWithChain(chain.Roots()); err != nil {
		t.Fatalf("signature does not verify: %v", err)
	}

	// The check can fail: another manifest, or another root.
	p7.Content = append(bytes.Clone(files["manifest.json"]), ' ')
	if err := p7.VerifyWithChain(chain.Roots()); err == nil {
		t.Error("a changed manifest verified")
	}
	p7.Content = files["manifest.json"]
	if err := p7.VerifyWithChain(wallettest.NewChain(t).Roots()); err == nil {
		t.Error("verified against another root")
	}
}

// TestSignatureVerifiesWithOpenSSL checks the signature as a tool that
// shares no code with the signer reads it.
func TestSignatureVerifiesWithOpenSSL(t *testing.T) {
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("openssl is not on PATH: the signature is checked with pkcs7 only")
	}
	chain := wallettest.NewChain(t)
	b, err := newSigner(t, chain).Build(testPass(t))
	if err != nil {
		t.Fatal(err)
	}
	files, _ := unzip(t, b)
	dir := t.TempDir()
	_, _, _, root := chain.Files(t, dir)
	for _, name := range []string{"manifest.json", "signature"} {
		if err := os.WriteFile(filepath.Join(dir, name), files[name], 0o600); err != nil {
			t.Fatal(err)
		}
	}
	verify := func(content string) (string, error) {
		cmd := exec.Command(openssl, "smime", "-verify", "-binary", "-inform", "DER", "-in", filepath.Join(dir, "signature"),
			"-content", content, "-CAfile", root, "-purpose", "any", "-out", os.DevNull)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := verify(filepath.Join(dir, "manifest.json")); err != nil || !strings.Contains(out, "Verification successful") {
		t.Fatalf("openssl smime -verify: %v\n%s", err, out)
	}
	tampered := filepath.Join(dir, "tampered.json")
	if err := os.WriteFile(tampered, append(bytes.Clone(files["manifest.json"]), ' '), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := verify(tampered); err == nil {
		t.Errorf("openssl verified a changed manifest:\n%s", out)
	}
}

func TestBuildNeedsCode(t *testing.T) {
	s := newSigner(t, wallettest.NewChain(t))
	p := testPass(t)
	p.Code = ""
	if _, err := s.Build(p); err == nil {
		t.Error("a pass without a code was built")
	}
}
