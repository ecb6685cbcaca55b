package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"salon/tickets"
)

// csrfStore is a bounded, expiring store for Fiber's CSRF middleware. The
// middleware's default store is an unbounded map: every visitor without a
// cookie adds a token for two hours, so a crowd (or anyone looping over a
// salon page) grows memory without limit. Here the least recently used
// tokens go first; a form left open past maxCSRFTokens newer visitors asks
// to reload. (The plain LRU with an expiry per entry costs half as much per
// new visitor as the library's expirable LRU, which keeps time buckets.)
type csrfStore struct {
	lru *lru.Cache[string, csrfEntry]
	ttl time.Duration
}

type csrfEntry struct {
	val     []byte
	expires time.Time
}

// maxCSRFTokens bounds the store: about 10 MB at most.
const maxCSRFTokens = 65536

func newCSRFStore(ttl time.Duration) *csrfStore {
	c, err := lru.New[string, csrfEntry](maxCSRFTokens)
	if err != nil {
		panic(err) // only for a non-positive size
	}
	return &csrfStore{lru: c, ttl: ttl}
}

// Get implements fiber.Storage.
func (s *csrfStore) Get(key string) ([]byte, error) {
	e, ok := s.lru.Get(key)
	if !ok || time.Now().After(e.expires) {
		return nil, nil
	}
	return e.val, nil
}

// Set implements fiber.Storage; an entry lives for exp, or the store's TTL
// when exp is 0.
func (s *csrfStore) Set(key string, val []byte, exp time.Duration) error {
	if key == "" || len(val) == 0 {
		return nil
	}
	if exp <= 0 {
		exp = s.ttl
	}
	s.lru.Add(key, csrfEntry{val: append([]byte(nil), val...), expires: time.Now().Add(exp)})
	return nil
}

// Delete implements fiber.Storage.
func (s *csrfStore) Delete(key string) error {
	s.lru.Remove(key)
	return nil
}

// Reset implements fiber.Storage.
func (s *csrfStore) Reset() error {
	s.lru.Purge()
	return nil
}

// Close implements fiber.Storage.
func (s *csrfStore) Close() error { return nil }

// signedCSRF is the public forms' store for Fiber's CSRF middleware, and
// keeps nothing: each token carries its expiry and an HMAC of both under a
// key made at start, so the middleware's "is this token in the store"
// becomes "did this process make it, and is it still fresh". Visitors
// without a cookie (every first view of a salon page, a crowd from a chat
// group) then cost a token and no store write: the signed double-submit
// cookie of OWASP's CSRF cheat sheet, with Fiber still comparing the form's
// token with the cookie's and checking the Referer over https. Nothing here
// needs revoking, as the console's sign-out does, so the console keeps its
// csrfStore.
type signedCSRF struct {
	key []byte
	ttl time.Duration
	now func() time.Time
}

// csrfNonce and csrfMAC are the random and the authenticating parts of a
// signed token, in bytes; the expiry between them is 8.
const (
	csrfNonce = 16
	csrfMAC   = 16
	csrfRaw   = csrfNonce + 8 + csrfMAC
)

func newSignedCSRF(ttl time.Duration) *signedCSRF {
	return &signedCSRF{key: tickets.RandomBytes(32), ttl: ttl, now: time.Now}
}

// NewToken is the middleware's KeyGenerator.
func (s *signedCSRF) NewToken() string {
	var raw [csrfRaw]byte
	copy(raw[:csrfNonce], tickets.RandomBytes(csrfNonce))
	binary.BigEndian.PutUint64(raw[csrfNonce:], uint64(s.now().Add(s.ttl).Unix()))
	copy(raw[csrfNonce+8:], s.mac(raw[:csrfNonce+8]))
	return base64.RawURLEncoding.EncodeToString(raw[:])
}

func (s *signedCSRF) mac(b []byte) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write(b)
	return m.Sum(nil)[:csrfMAC]
}

// valid reports whether token was made by NewToken of this store and has
// not expired.
func (s *signedCSRF) valid(token string) bool {
	var raw [csrfRaw]byte
	if base64.RawURLEncoding.EncodedLen(csrfRaw) != len(token) {
		return false
	}
	if n, err := base64.RawURLEncoding.Strict().Decode(raw[:], []byte(token)); err != nil || n != csrfRaw {
		return false
	}
	if !hmac.Equal(raw[csrfNonce+8:], s.mac(raw[:csrfNonce+8])) {
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
