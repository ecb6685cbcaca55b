package app

import (
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
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
