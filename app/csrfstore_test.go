package app

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
