package web

import (
	"fmt"
	"testing"
	"time"
)

func TestCSRFStoreBounded(t *testing.T) {
	s := newCSRFStore(time.Hour)
	for i := 0; i < maxCSRFTokens+100; i++ {
		s.Set(fmt.Sprint("k", i), []byte("v"), time.Hour)
	}
	if n := s.lru.Len(); n != maxCSRFTokens {
		t.Fatalf("%d tokens kept, want the bound %d", n, maxCSRFTokens)
	}
	if v, _ := s.Get("k0"); v != nil {
		t.Fatal("the oldest token was not dropped first")
	}
	if v, _ := s.Get(fmt.Sprint("k", maxCSRFTokens+99)); string(v) != "v" {
		t.Fatal("the newest token is missing")
	}
	s.Delete("k200")
	if v, _ := s.Get("k200"); v != nil {
		t.Fatal("delete")
	}
	short := newCSRFStore(10 * time.Millisecond)
	short.Set("x", []byte("v"), 0) // 0: the store's TTL
	time.Sleep(30 * time.Millisecond)
	if v, _ := short.Get("x"); v != nil {
		t.Fatal("an expired token still answers")
	}
}

func TestSignedCSRF(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	s := newSignedCSRF(2 * time.Hour)
	s.now = func() time.Time { return now }
	tok := s.NewToken()
	if v, _ := s.Get(tok); v == nil {
		t.Fatal("a fresh token is refused")
	}
	if tok == s.NewToken() {
		t.Fatal("two tokens are the same")
	}
	// Every changed character, another process's token, garbage and an
	// expired token are refused.
	for i := range tok {
		b := []byte(tok)
		b[i] ^= 0x01
		if v, _ := s.Get(string(b)); v != nil {
			t.Errorf("token changed at %d accepted", i)
		}
	}
	other := newSignedCSRF(2 * time.Hour)
	for _, bad := range []string{"", "x", other.NewToken(), tok + "A", tok[:len(tok)-1]} {
		if v, _ := s.Get(bad); v != nil {
			t.Errorf("%q accepted", bad)
		}
	}
	now = now.Add(2*time.Hour - time.Second)
	if v, _ := s.Get(tok); v == nil {
		t.Fatal("a token is refused before its expiry")
	}
	now = now.Add(time.Second)
	if v, _ := s.Get(tok); v != nil {
		t.Fatal("an expired token is accepted")
	}
}

// FuzzSignedCSRF changes a real token in one place, or cuts or extends it:
// whatever differs from the token the store made must be refused.
func FuzzSignedCSRF(f *testing.F) {
	s := newSignedCSRF(time.Hour)
	tok := s.NewToken()
	f.Add(0, byte('A'), 0)
	f.Add(len(tok)-1, byte('B'), 0)
	f.Add(3, byte('-'), -1)
	f.Add(0, byte('x'), 1)
	f.Fuzz(func(t *testing.T, at int, c byte, grow int) {
		b := []byte(tok)
		if at < 0 || at >= len(b) {
			at = len(b) - 1
		}
		b[at] = c
		switch {
		case grow < 0:
			b = b[:len(b)-1]
		case grow > 0:
			b = append(b, c)
		}
		if v, _ := s.Get(string(b)); v != nil && string(b) != tok {
			t.Fatalf("%q accepted, made %q", b, tok)
		}
		if v, _ := s.Get(tok); v == nil {
			t.Fatal("the real token is refused")
		}
	})
}
