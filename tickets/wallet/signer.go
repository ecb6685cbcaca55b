// Package wallet builds Apple Wallet passes (.pkpass files) for tickets: a
// pass.json with the salon's time and place and the ticket code as a QR
// barcode, icons, a manifest of SHA-1 hashes and a detached PKCS#7
// signature of that manifest by the Pass Type ID certificate, with Apple's
// WWDR intermediate beside it. It reads no files and speaks no HTTP: the
// caller hands it PEM bytes at start and a Pass per request.
package wallet

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"regexp"
	"time"
)

// Signer signs passes with one Pass Type ID certificate. It holds no
// mutable state, so one Signer serves every request at once.
type Signer struct {
	cert       *x509.Certificate
	wwdr       *x509.Certificate
	key        crypto.Signer
	passTypeID string
	teamID     string
}

// Config is what NewSigner is given: the three PEM files' contents and the
// identifiers Apple assigned.
type Config struct {
	CertPEM    []byte
	KeyPEM     []byte
	WWDRPEM    []byte
	PassTypeID string
	TeamID     string
}

// oidUID is the userId attribute (RFC 4519): Apple puts the pass type
// identifier there in the certificate's subject.
var oidUID = asn1.ObjectIdentifier{0, 9, 2342, 19200300, 100, 1, 1}

// teamIDPattern is Apple's team identifier: ten upper-case letters or digits.
var teamIDPattern = regexp.MustCompile(`^[A-Z0-9]{10}$`)

// passTypeIDPattern is a reverse-DNS identifier such as pass.com.example.salon.
var passTypeIDPattern = regexp.MustCompile(`^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$`)

// CheckIdentifiers says what is wrong with the identifiers, in words for
// the command line, or nil. It needs no files, so a typo is bad usage.
func CheckIdentifiers(passTypeID, teamID string) error {
	if !passTypeIDPattern.MatchString(passTypeID) {
		return fmt.Errorf("--wallet-pass-type-id must be a reverse-DNS identifier such as pass.com.example.salon, got %q", passTypeID)
	}
	if !teamIDPattern.MatchString(teamID) {
		return fmt.Errorf("--wallet-team-id must be Apple's ten-character team identifier such as A1B2C3D4E5, got %q", teamID)
	}
	return nil
}

// NewSigner parses and checks the certificate, key and intermediate at
// start, so that a wrong file stops the server with one clear line rather
// than failing each pass later: the key must match the certificate, the
// certificate must be issued by the intermediate and valid at now, and
// where the certificate names a pass type or team they must be the ones
// configured.
func NewSigner(c Config, now time.Time) (*Signer, error) {
	if err := CheckIdentifiers(c.PassTypeID, c.TeamID); err != nil {
		return nil, err
	}
	cert, err := ParseCertificate(c.CertPEM)
	if err != nil {
		return nil, fmt.Errorf("--wallet-cert: %w", err)
	}
	key, err := ParsePrivateKey(c.KeyPEM)
	if err != nil {
		return nil, fmt.Errorf("--wallet-key: %w", err)
	}
	wwdr, err := ParseCertificate(c.WWDRPEM)
	if err != nil {
		return nil, fmt.Errorf("--wallet-wwdr: %w", err)
	}
	pub, ok := key.Public().(interface{ Equal(crypto.PublicKey) bool })
	if !ok || !pub.Equal(cert.PublicKey) {
		return nil, errors.New("--wallet-key is not the key of the certificate in --wallet-cert")
	}
	if !wwdr.IsCA {
		return nil, errors.New("--wallet-wwdr is not a certificate authority: give Apple's WWDR intermediate certificate")
	}
	if err := cert.CheckSignatureFrom(wwdr); err != nil {
		return nil, errors.New("--wallet-cert is not issued by the certificate in --wallet-wwdr (pass certificates are issued by Apple's WWDR G4)")
	}
	if now.Before(cert.NotBefore) || now.After(cert.NotAfter) {
		return nil, fmt.Errorf("--wallet-cert is valid only from %s to %s", cert.NotBefore.UTC().Format(time.DateOnly), cert.NotAfter.UTC().Format(time.DateOnly))
	}
	if now.Before(wwdr.NotBefore) || now.After(wwdr.NotAfter) {
		return nil, fmt.Errorf("--wallet-wwdr is valid only from %s to %s", wwdr.NotBefore.UTC().Format(time.DateOnly), wwdr.NotAfter.UTC().Format(time.DateOnly))
	}
	for _, n := range cert.Subject.Names {
		if v, ok := n.Value.(string); ok && n.Type.Equal(oidUID) && v != c.PassTypeID {
			return nil, fmt.Errorf("--wallet-cert is for pass type %q, not --wallet-pass-type-id %q", v, c.PassTypeID)
		}
	}
	if ou := cert.Subject.OrganizationalUnit; len(ou) == 1 && teamIDPattern.MatchString(ou[0]) && ou[0] != c.TeamID {
		return nil, fmt.Errorf("--wallet-cert belongs to team %q, not --wallet-team-id %q", ou[0], c.TeamID)
	}
	return &Signer{cert: cert, wwdr: wwdr, key: key, passTypeID: c.PassTypeID, teamID: c.TeamID}, nil
}

// ParseCertificate reads the first certificate of a PEM file, or of a DER
// file (Apple's download of the WWDR intermediate is DER).
func ParseCertificate(b []byte) (*x509.Certificate, error) {
	rest := b
	for {
		var blk *pem.Block
		blk, rest = pem.Decode(rest)
		if blk == nil {
			break
		}
		if blk.Type == "CERTIFICATE" {
			cert, err := x509.ParseCertificate(blk.Bytes)
			if err != nil {
				return nil, errors.New("its CERTIFICATE block is not a valid certificate")
			}
			return cert, nil
		}
	}
	if len(b) > 0 && b[0] == 0x30 { // an ASN.1 SEQUENCE: perhaps DER
		if cert, err := x509.ParseCertificate(b); err == nil {
			return cert, nil
		}
	}
	return nil, errors.New("no certificate in it (expected a PEM file with a CERTIFICATE block)")
}

// ParsePrivateKey reads the first private key of a PEM file: PKCS#8 (what
// openssl 3 writes), PKCS#1 RSA or SEC 1 EC. An encrypted key is refused
// with the way to decrypt it, since the server cannot ask for a passphrase.
func ParsePrivateKey(b []byte) (crypto.Signer, error) {
	rest := b
	for {
		var blk *pem.Block
		blk, rest = pem.Decode(rest)
		if blk == nil {
			return nil, errors.New("no private key in it (expected a PEM file with a PRIVATE KEY block)")
		}
		if blk.Type == "ENCRYPTED PRIVATE KEY" || blk.Headers["Proc-Type"] != "" {
			return nil, errors.New("the key is encrypted: write it without a passphrase (openssl pkcs12 … -nodes)")
		}
		var key any
		var err error
		switch blk.Type {
		case "PRIVATE KEY":
			key, err = x509.ParsePKCS8PrivateKey(blk.Bytes)
		case "RSA PRIVATE KEY":
			key, err = x509.ParsePKCS1PrivateKey(blk.Bytes)
		case "EC PRIVATE KEY":
			key, err = x509.ParseECPrivateKey(blk.Bytes)
		default:
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("its %s block is not a valid key", blk.Type)
		}
		switch k := key.(type) {
		case *rsa.PrivateKey:
			return k, nil
		case *ecdsa.PrivateKey:
			return k, nil
		}
		return nil, errors.New("the key is neither RSA nor ECDSA")
	}
}
