package site

import (
	"strings"
	"testing"
	"time"

	"salon/tickets"
)

// TestFlashSealer: a sealed form opens under the same server key (in any
// process) for its salon, before its expiry, and not otherwise; a form
// too long for a cookie is not sealed.
func TestFlashSealer(t *testing.T) {
	key := tickets.RandomBytes(32)
	fs, other := newFlashSealer(key), newFlashSealer(key)
	now := time.Now()
	f := formFlash{Slug: "night", Form: tickets.RSVPInput{Name: "Ana", Email: "nope"}, Errors: map[string]string{"email": "bad"}, Expires: now.Add(time.Minute).Unix()}
	v := fs.seal(f)
	if v == "" || strings.Contains(v, "nope") {
		t.Fatalf("sealed %q", v)
	}
	if got, ok := other.open(v, "night", now); !ok || got.Form.Email != "nope" || got.Errors["email"] != "bad" || got.Slug != "night" {
		t.Fatalf("another process opens %+v %v", got, ok)
	}
	b := []byte(v)
	b[len(b)/2] ^= 1
	for name, bad := range map[string]func() bool{
		"other salon": func() bool { _, ok := fs.open(v, "day", now); return ok },
		"expired":     func() bool { _, ok := fs.open(v, "night", now.Add(2*time.Minute)); return ok },
		"other key":   func() bool { _, ok := newFlashSealer(tickets.RandomBytes(32)).open(v, "night", now); return ok },
		"changed":     func() bool { _, ok := fs.open(string(b), "night", now); return ok },
	} {
		if bad() {
			t.Errorf("%s: opened", name)
		}
	}
	f.Form.Name = strings.Repeat("名", 1000)
	if v := fs.seal(f); v != "" {
		t.Errorf("a %d-byte cookie was sealed", len(v))
	}
}

// FuzzFlashOpen: whatever a browser sends as the cookie, open refuses it
// or returns a form for the salon, and never panics.
func FuzzFlashOpen(f *testing.F) {
	fs := newFlashSealer(tickets.RandomBytes(32))
	f.Add(fs.seal(formFlash{Slug: "s", Expires: time.Now().Add(time.Hour).Unix()}))
	f.Add("")
	f.Add("AAAA")
	f.Fuzz(func(t *testing.T, v string) {
		if got, ok := fs.open(v, "s", time.Now()); ok && got.Slug != "s" {
			t.Fatalf("opened for %q", got.Slug)
		}
	})
}
