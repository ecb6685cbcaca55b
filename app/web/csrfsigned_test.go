package web

import (
	"testing"
	"time"

	"salon/tickets"
)

func TestSignedCSRF(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	s := newSignedCSRF(tickets.RandomBytes(32), 2*time.Hour)
	s.now = func() time.Time { return now }
	tok := s.NewToken()
	if v, _ := s.Get(tok); v == nil {
		t.Fatal("a fresh token is refused")
	}
	if tok == s.NewToken() {
		t.Fatal("two tokens are the same")
	}
	// Every changed character, a token under another key, garbage and an
	// expired token are refused.
	for i := range tok {
		b := []byte(tok)
		b[i] ^= 0x01
		if v, _ := s.Get(string(b)); v != nil {
			t.Errorf("token changed at %d accepted", i)
		}
	}
	other := newSignedCSRF(tickets.RandomBytes(32), 2*time.Hour)
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
	s := newSignedCSRF(tickets.RandomBytes(32), time.Hour)
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

// TestSignedCSRF_Bound: a token bound to a session passes only with that
// session, and one store's tokens pass in another with the same key (the
// same server key: another process), never with another key.
func TestSignedCSRF_Bound(t *testing.T) {
	key := tickets.RandomBytes(32)
	s, same := newSignedCSRF(key, time.Hour), newSignedCSRF(key, time.Hour)
	tok := s.newTokenFor("session-a")
	if !same.validFor(tok, "session-a") {
		t.Fatal("a process with the same key refuses the token")
	}
	for _, bind := range []string{"", "session-b", "session-a\x00"} {
		if s.validFor(tok, bind) {
			t.Errorf("a token of session-a passes for %q", bind)
		}
	}
	if s.valid(tok) || !s.valid(s.NewToken()) {
		t.Error("unbound tokens")
	}
	if newSignedCSRF(tickets.RandomBytes(32), time.Hour).validFor(tok, "session-a") {
		t.Error("a token passes under another key")
	}
}

// BenchmarkSignedCSRF_NewToken is the form token every page view makes.
func BenchmarkSignedCSRF_NewToken(b *testing.B) {
	s := newSignedCSRF(tickets.RandomBytes(32), time.Hour)
	for b.Loop() {
		s.NewToken()
	}
}
