package tickets

import (
	"bytes"
	"testing"
)

// TestDeriveKey: the same server key gives the same key for a purpose (in
// every process), other purposes and other server keys give others, and
// none is the server key.
func TestDeriveKey(t *testing.T) {
	key := RandomBytes(32)
	a := DeriveKey(key, "csrf-v1")
	if len(a) != 32 || !bytes.Equal(a, DeriveKey(append([]byte(nil), key...), "csrf-v1")) {
		t.Fatal("not the same key from the same server key")
	}
	for _, other := range [][]byte{DeriveKey(key, "console-csrf-v1"), DeriveKey(key, "csrf-v2"), DeriveKey(RandomBytes(32), "csrf-v1"), key} {
		if bytes.Equal(a, other) {
			t.Error("two uses share a key")
		}
	}
}
