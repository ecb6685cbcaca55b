package app

import (
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"
)

// csrfStore is a bounded, expiring store for Fiber's CSRF middleware. The
// middleware's default store is an unbounded map: every visitor without a
// cookie adds a token for two hours, so a crowd (or anyone looping over a
// salon page) grows memory without limit. Here the oldest tokens go first;
// a form left open past maxCSRFTokens newer visitors asks to reload.
type csrfStore struct {
	lru *expirable.LRU[string, []byte]
}

// maxCSRFTokens bounds the store: about 10 MB at most.
const maxCSRFTokens = 65536

func newCSRFStore(ttl time.Duration) *csrfStore {
	return &csrfStore{lru: expirable.NewLRU[string, []byte](maxCSRFTokens, nil, ttl)}
}

// Get implements fiber.Storage.
func (s *csrfStore) Get(key string) ([]byte, error) {
	v, _ := s.lru.Get(key)
	return v, nil
}

// Set implements fiber.Storage; every entry lives for the store's TTL,
// which is the middleware's Expiration.
func (s *csrfStore) Set(key string, val []byte, _ time.Duration) error {
	if key == "" || len(val) == 0 {
		return nil
	}
	s.lru.Add(key, append([]byte(nil), val...))
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
