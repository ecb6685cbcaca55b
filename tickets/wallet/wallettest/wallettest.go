// Package wallettest makes a throwaway certificate chain for tests of
// Apple Wallet passes: a root standing in for Apple's, a "WWDR"
// intermediate under it and a Pass Type ID certificate under that, as
// Apple issues them.
package wallettest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// PassTypeID and TeamID are the identifiers the chain's pass certificate
// names.
const (
	PassTypeID = "pass.example.salon"
	TeamID     = "A1B2C3D4E5"
)

// Chain is a root, an intermediate and a pass certificate with its key.
type Chain struct {
	Root, WWDR, Cert *x509.Certificate
	Key              *rsa.PrivateKey
	// The same in PEM, as the server is given them.
	RootPEM, WWDRPEM, CertPEM, KeyPEM []byte
}

// Options change the pass certificate: its validity, or the pass type and
// team its subject names.
type Options struct {
	NotBefore, NotAfter time.Time
	PassTypeID, TeamID  string
}

// oidUID is the subject attribute Apple puts the pass type identifier in.
var oidUID = asn1.ObjectIdentifier{0, 9, 2342, 19200300, 100, 1, 1}

// NewChain makes a fresh chain. 2048-bit RSA, as Apple's pass certificates
// are.
func NewChain(tb testing.TB, opts ...Options) *Chain {
	tb.Helper()
	o := Options{NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(365 * 24 * time.Hour), PassTypeID: PassTypeID, TeamID: TeamID}
	for _, x := range opts {
		if !x.NotBefore.IsZero() {
			o.NotBefore, o.NotAfter = x.NotBefore, x.NotAfter
		}
		if x.PassTypeID != "" {
			o.PassTypeID = x.PassTypeID
		}
		if x.TeamID != "" {
			o.TeamID = x.TeamID
		}
	}
	c := &Chain{}
	rootKey := newKey(tb)
	c.Root = issue(tb, &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Test Root CA", Organization: []string{"Test"}},
		NotBefore: time.Now().Add(-48 * time.Hour), NotAfter: time.Now().Add(10 * 365 * 24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}, nil, rootKey, rootKey)
	wwdrKey := newKey(tb)
	c.WWDR = issue(tb, &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "Test Worldwide Developer Relations Certification Authority", OrganizationalUnit: []string{"G4"}},
		NotBefore: time.Now().Add(-48 * time.Hour), NotAfter: time.Now().Add(5 * 365 * 24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}, c.Root, wwdrKey, rootKey)
	c.Key = newKey(tb)
	c.Cert = issue(tb, &x509.Certificate{
		SerialNumber: big.NewInt(3),
		Subject: pkix.Name{CommonName: "Pass Type ID: " + o.PassTypeID, OrganizationalUnit: []string{o.TeamID},
			ExtraNames: []pkix.AttributeTypeAndValue{{Type: oidUID, Value: o.PassTypeID}}},
		NotBefore: o.NotBefore, NotAfter: o.NotAfter,
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}, c.WWDR, c.Key, wwdrKey)
	c.RootPEM, c.WWDRPEM, c.CertPEM = certPEM(c.Root), certPEM(c.WWDR), certPEM(c.Cert)
	der, err := x509.MarshalPKCS8PrivateKey(c.Key)
	if err != nil {
		tb.Fatal(err)
	}
	c.KeyPEM = pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	return c
}

// Files writes the pass certificate, its key, the intermediate and the
// root into dir and returns their paths.
func (c *Chain) Files(tb testing.TB, dir string) (cert, key, wwdr, root string) {
	tb.Helper()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			tb.Fatal(err)
		}
		return p
	}
	return write("pass.pem", c.CertPEM), write("pass.key", c.KeyPEM), write("wwdr.pem", c.WWDRPEM), write("root.pem", c.RootPEM)
}

// Roots is a pool holding only the chain's root.
func (c *Chain) Roots() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(c.Root)
	return p
}

func newKey(tb testing.TB) *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		tb.Fatal(err)
	}
	return k
}

func issue(tb testing.TB, tmpl, parent *x509.Certificate, key, parentKey *rsa.PrivateKey) *x509.Certificate {
	tb.Helper()
	if parent == nil {
		parent = tmpl
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		tb.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		tb.Fatal(err)
	}
	return cert
}

func certPEM(c *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}
