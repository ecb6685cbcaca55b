package tickets

import (
	"crypto/hmac"
	"crypto/sha256"
	"hash"
	"sync"
)

// KeyedMAC computes HMAC-SHA256 under one key with states kept for reuse.
// Keying a new HMAC hashes both of the key's pads and allocates two SHA-256
// states, which costs more than the MAC of a short token itself; a state
// that is Reset after use is keyed still and is handed out again. It is
// safe for concurrent use.
type KeyedMAC struct{ pool sync.Pool }

// NewKeyedMAC returns a KeyedMAC for a copy of key.
func NewKeyedMAC(key []byte) *KeyedMAC {
	k := append([]byte(nil), key...)
	m := &KeyedMAC{}
	m.pool.New = func() any { return hmac.New(sha256.New, k) }
	return m
}

// Sum appends to dst the MAC of the concatenation of parts.
func (m *KeyedMAC) Sum(dst []byte, parts ...[]byte) []byte {
	h := m.pool.Get().(hash.Hash)
	for _, p := range parts {
		h.Write(p)
	}
	dst = h.Sum(dst)
	h.Reset()
	m.pool.Put(h)
	return dst
}

// macs holds a KeyedMAC per key passed to derive, by the key's bytes: a
// server has one key, a test process one per database it opens.
var macs sync.Map

func macFor(key []byte) *KeyedMAC {
	if m, ok := macs.Load(string(key)); ok {
		return m.(*KeyedMAC)
	}
	m, _ := macs.LoadOrStore(string(key), NewKeyedMAC(key))
	return m.(*KeyedMAC)
}
