package tickets

import (
	"testing"
)

func stored(id uint32, retired bool) (StoredKey, SigningKey) {
	priv, _ := NewStoredKey(id)
	k, err := ParseSigningKey(priv)
	if err != nil {
		panic(err)
	}
	return StoredKey{Private: priv, Retired: retired}, k
}

func TestKeySet(t *testing.T) {
	s1, k1 := stored(1, false)
	s2, k2 := stored(2, false)
	s3, k3 := stored(3, true)
	ks, err := NewKeySet([]StoredKey{s1, s2, s3})
	if err != nil {
		t.Fatal(err)
	}
	tk := &Ticket{ID: 10, SalonID: 20}
	if !ks.Active().Private.Equal(k2.Private) || len(ks.PublicKeys()) != 2 {
		t.Fatalf("active %d, %d public keys: want the newest active key and 2", ks.Active().ID, len(ks.PublicKeys()))
	}
	if c, err := ks.Verify(ks.Sign(tk)); err != nil || c.KeyID != 2 || c.TicketID != 10 || c.SalonID != 20 {
		t.Fatalf("own code: %+v %v", c, err)
	}
	if _, err := ks.Verify(k1.Sign(10, 20)); err != nil {
		t.Fatalf("a code of an older active key must verify: %v", err)
	}
	if _, err := ks.Verify(k3.Sign(10, 20)); err == nil {
		t.Fatal("a retired key's code verified")
	}
	if _, err := ks.Verify(NewSigningKey(2).Sign(10, 20)); err == nil {
		t.Fatal("a foreign key with a known id verified")
	}
	pub := ks.PublicKeys()
	pub[0] = PublicKey{}
	if ks.PublicKeys()[0].ID != 1 {
		t.Fatal("PublicKeys handed out the set's own slice")
	}
}

func TestNewKeySet_Refuses(t *testing.T) {
	s1, _ := stored(1, false)
	s2, _ := stored(2, false)
	r1, _ := stored(1, true)
	for _, tc := range []struct {
		name   string
		stored []StoredKey
	}{
		{"none", nil},
		{"only retired", []StoredKey{r1}},
		{"broken bytes", []StoredKey{s1, {Private: []byte("short")}}},
		{"out of order", []StoredKey{s2, s1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := NewKeySet(tc.stored); err == nil {
				t.Fatal("accepted")
			}
		})
	}
}
