package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"time"

	"salon/tickets"
)

// signedCSRF is the public forms' store for Fiber's CSRF middleware, and
// keeps nothing: each token carries its expiry and an HMAC of both under a
// key derived from the server key, so the middleware's "is this token in
// the store" becomes "did a process of this site make it, and is it still
// fresh", and a form rendered by one process is accepted by another. Visitors
// without a cookie (every first view of a salon page, a crowd from a chat
// group) then cost a token and no store write: the signed double-submit
// cookie of OWASP's CSRF cheat sheet, with Fiber still comparing the form's
// token with the cookie's and checking the Referer over https. The
// console's tokens are the same but also bound to the session (see
// sessionCSRF), so that sign-out revokes them.
type signedCSRF struct {
	// macs computes the tokens' MACs under the store's key.
	macs *keyedMAC
	ttl  time.Duration
	now  func() time.Time
}

// csrfNonce and csrfMAC are the random and the authenticating parts of a
// signed token, in bytes; the expiry between them is 8.
const (
	csrfNonce = 16
	csrfMAC   = 16
	csrfRaw   = csrfNonce + 8 + csrfMAC
)

func newSignedCSRF(key []byte, ttl time.Duration) *signedCSRF {
	return &signedCSRF{macs: newKeyedMAC(key), ttl: ttl, now: time.Now}
}

// NewToken is the middleware's KeyGenerator.
func (s *signedCSRF) NewToken() string { return s.newTokenFor("") }

// newTokenFor makes a token good only while bind (a session id, or "" for
// none) is the same.
func (s *signedCSRF) newTokenFor(bind string) string {
	var raw [csrfRaw]byte
	copy(raw[:csrfNonce], tickets.RandomBytes(csrfNonce))
	binary.BigEndian.PutUint64(raw[csrfNonce:], uint64(s.now().Add(s.ttl).Unix()))
	copy(raw[csrfNonce+8:], s.mac(raw[:csrfNonce+8], bind))
	return base64.RawURLEncoding.EncodeToString(raw[:])
}

// mac authenticates the token's nonce and expiry and what it is bound to;
// the binding enters as its SHA-256, so its length needs no framing.
func (s *signedCSRF) mac(b []byte, bind string) []byte {
	sum := sha256.Sum256([]byte(bind))
	return s.macs.Sum(make([]byte, 0, sha256.Size), b, sum[:])[:csrfMAC]
}

// valid reports whether token was made by NewToken of a store with this
// key and has not expired.
func (s *signedCSRF) valid(token string) bool { return s.validFor(token, "") }

// validFor reports whether token was made by newTokenFor(bind) of a store
// with this key and has not expired.
func (s *signedCSRF) validFor(token, bind string) bool {
	var raw [csrfRaw]byte
	if base64.RawURLEncoding.EncodedLen(csrfRaw) != len(token) {
		return false
	}
	if n, err := base64.RawURLEncoding.Strict().Decode(raw[:], []byte(token)); err != nil || n != csrfRaw {
		return false
	}
	if !hmac.Equal(raw[csrfNonce+8:], s.mac(raw[:csrfNonce+8], bind)) {
		return false
	}
	return s.now().Unix() < int64(binary.BigEndian.Uint64(raw[csrfNonce:]))
}

// csrfPresent is what Get answers for a valid token: the middleware only
// asks whether there is a value.
var csrfPresent = []byte{'+'}

// Get implements fiber.Storage.
func (s *signedCSRF) Get(key string) ([]byte, error) {
	if s.valid(key) {
		return csrfPresent, nil
	}
	return nil, nil
}

// Set implements fiber.Storage: the token itself is the record.
func (s *signedCSRF) Set(string, []byte, time.Duration) error { return nil }

// Delete implements fiber.Storage; a signed token lives until its expiry.
func (s *signedCSRF) Delete(string) error { return nil }

// Reset implements fiber.Storage.
func (s *signedCSRF) Reset() error { return nil }

// Close implements fiber.Storage.
func (s *signedCSRF) Close() error { return nil }
