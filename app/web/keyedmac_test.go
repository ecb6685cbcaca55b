package web

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"sync"
	"testing"
)

func plainMAC(key []byte, parts ...[]byte) []byte {
	m := hmac.New(sha256.New, key)
	for _, p := range parts {
		m.Write(p)
	}
	return m.Sum(nil)
}

// TestKeyedMAC_MatchesHMAC: a reused state gives what a fresh HMAC gives,
// for every key, however the input is split, and after earlier inputs.
func TestKeyedMAC_MatchesHMAC(t *testing.T) {
	for _, key := range [][]byte{nil, []byte("k"), bytes.Repeat([]byte{7}, 32), bytes.Repeat([]byte{9}, 100)} {
		m := newKeyedMAC(key)
		for i := range 50 {
			a, b := []byte(fmt.Sprint("part-", i)), bytes.Repeat([]byte{byte(i)}, i)
			want := plainMAC(key, a, b)
			if got := m.Sum(nil, a, b); !bytes.Equal(got, want) {
				t.Fatalf("key %d bytes, input %d: got %x, want %x", len(key), i, got, want)
			}
			if got := m.Sum([]byte("prefix"), append(append([]byte{}, a...), b...)); !bytes.Equal(got[6:], want) || string(got[:6]) != "prefix" {
				t.Fatalf("key %d bytes, input %d joined, appended: got %x", len(key), i, got)
			}
		}
	}
}

// TestKeyedMAC_KeyCopied: changing the caller's key slice afterwards does
// not change the MACs.
func TestKeyedMAC_KeyCopied(t *testing.T) {
	key := []byte("server key")
	m := newKeyedMAC(key)
	want := plainMAC([]byte("server key"), []byte("x"))
	key[0] = 'X'
	if got := m.Sum(nil, []byte("x")); !bytes.Equal(got, want) {
		t.Fatal("the MAC followed a change of the caller's key slice")
	}
}

// TestKeyedMAC_Concurrent: under -race, many goroutines sharing the states
// each get their own input's MAC, and two keys' MACs stay apart.
func TestKeyedMAC_Concurrent(t *testing.T) {
	m, other := newKeyedMAC([]byte("shared")), newKeyedMAC([]byte("other key"))
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				in := []byte(fmt.Sprint(g, "/", i))
				if got := m.Sum(nil, in); !bytes.Equal(got, plainMAC([]byte("shared"), in)) {
					t.Errorf("goroutine %d input %d: wrong MAC", g, i)
					return
				}
				if bytes.Equal(other.Sum(nil, in), m.Sum(nil, in)) {
					t.Errorf("two keys gave the same MAC")
					return
				}
			}
		}()
	}
	wg.Wait()
}
