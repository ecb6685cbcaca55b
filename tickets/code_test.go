package tickets

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"salon/events"
)

// testKey is deterministic so fuzz corpora and failures reproduce.
func testKey(id uint32, seedByte byte) SigningKey {
	seed := make([]byte, ed25519.SeedSize)
	for i := range seed {
		seed[i] = seedByte + byte(i)
	}
	return SigningKey{ID: id, Private: ed25519.NewKeyFromSeed(seed)}
}

// signRaw signs an arbitrary payload with k, bypassing the checks of Sign, so
// tests can present well-signed codes that carry a malformed payload.
func signRaw(k SigningKey, payload []byte) string {
	raw := append([]byte(nil), payload...)
	raw = append(raw, ed25519.Sign(k.Private, signedMessage(payload))...)
	return codeEncoding.EncodeToString(raw)
}

func mustDecode(t *testing.T, s string) []byte {
	t.Helper()
	b, err := codeEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func assertInvalid(t *testing.T, err error) {
	t.Helper()
	var e *events.Error
	if !errors.As(err, &e) || e.Code != events.EINVALID {
		t.Fatalf("err = %v, want *events.Error with code %q", err, events.EINVALID)
	}
}

func TestVerify(t *testing.T) {
	key := testKey(7, 1)
	other := testKey(7, 99) // same id, different key: a forger's key
	unknown := testKey(8, 1)
	v := NewVerifier(key.Public())
	code := key.Sign(1234, 56)
	want := Claims{KeyID: 7, TicketID: 1234, SalonID: 56}

	// The last character carries 4 unused bits (72 bytes = 576 bits, 116
	// characters = 580 bits); setting one must not yield a second valid code.
	last := strings.IndexByte(codeAlphabet, code[len(code)-1])
	trailingBits := code[:len(code)-1] + string(codeAlphabet[last^1])
	if a, b := mustDecode(t, code), mustDecode(t, trailingBits); string(a) != string(b) {
		t.Fatalf("trailing-bits variant decodes differently; the case tests nothing")
	}

	overlong := []byte{CodeVersion, 0x87, 0x00, 0xd2, 0x09, 56} // key id 7 as two bytes
	huge := strings.Repeat("A", 1<<20)

	tests := []struct {
		name  string
		code  string
		valid bool
	}{
		{"valid", code, true},
		{"lowercase", strings.ToLower(code), true},
		{"mixed case", strings.ToLower(code[:50]) + code[50:], true},
		{"whitespace padded", " \t" + code + "\r\n", true},
		{"empty", "", false},
		{"only whitespace", " \n ", false},
		{"base32 padding", code + "====", false},
		{"inner space", code[:40] + " " + code[40:], false},
		{"inner newline", code[:40] + "\n" + code[40:], false},
		{"dashes", code[:40] + "-" + code[40:], false},
		{"truncated by one", code[:len(code)-1], false},
		{"truncated to payload", code[:8], false},
		{"extra character", code + "A", false},
		{"nonzero trailing bits", trailingBits, false},
		{"signed by another key", other.Sign(1234, 56), false},
		{"unknown key id", unknown.Sign(1234, 56), false},
		{"claims swapped", key.Sign(56, 1234)[:8] + code[8:], false},
		{"huge", huge, false},
		{"huge after trim", "  " + code + strings.Repeat(" ", 1<<20) + "A", false},
		{"non-ASCII", strings.Replace(code, "A", "ı", 1), false},
		{"wrong version", signRaw(key, []byte{2, 7, 0xd2, 0x09, 56}), false},
		{"ticket id zero", signRaw(key, []byte{CodeVersion, 7, 0, 56}), false},
		{"salon id zero", signRaw(key, []byte{CodeVersion, 7, 1, 0}), false},
		{"overlong uvarint", signRaw(key, overlong), false},
		{"trailing payload byte", signRaw(key, []byte{CodeVersion, 7, 0xd2, 0x09, 56, 0}), false},
		{"short payload", signRaw(key, []byte{CodeVersion, 7, 1}), false},
		{"ticket id above int64", signRaw(key, []byte{CodeVersion, 7,
			0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 56}), false},
		{"key id above uint32", signRaw(key, []byte{CodeVersion, 0x80, 0x80, 0x80, 0x80, 0x10, 1, 1}), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := v.Verify(tt.code)
			if !tt.valid {
				assertInvalid(t, err)
				if got != (Claims{}) {
					t.Errorf("claims = %+v on error, want zero", got)
				}
				return
			}
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if got != want {
				t.Errorf("claims = %+v, want %+v", got, want)
			}
		})
	}
}

// The signature must cover every bit of the payload and itself: flipping any
// one bit of the decoded code must be caught.
func TestVerifyEveryBitFlipped(t *testing.T) {
	key := testKey(3, 1)
	v := NewVerifier(key.Public())
	raw, err := codeEncoding.DecodeString(key.Sign(98765, 4321))
	if err != nil {
		t.Fatal(err)
	}
	for i := range len(raw) * 8 {
		b := append([]byte(nil), raw...)
		b[i/8] ^= 1 << (i % 8)
		if _, err := v.Verify(codeEncoding.EncodeToString(b)); err == nil {
			t.Errorf("bit %d flipped: accepted", i)
		}
	}
}

// Flipping a bit of a character of the code as text is refused too, except
// for the case bit of a letter, which NormalizeCode folds back on purpose.
func TestVerifyEveryCharacterBitFlipped(t *testing.T) {
	key := testKey(3, 1)
	v := NewVerifier(key.Public())
	code := key.Sign(98765, 4321)
	for i := range len(code) {
		for bit := range 8 {
			b := []byte(code)
			b[i] ^= 1 << bit
			_, err := v.Verify(string(b))
			caseFlip := bit == 5 && b[i] >= 'a' && b[i] <= 'z'
			if caseFlip && err != nil {
				t.Errorf("char %d case flipped: %v", i, err)
			}
			if !caseFlip && err == nil {
				t.Errorf("char %d bit %d flipped to %q: accepted", i, bit, b[i])
			}
		}
	}
}

func TestVerifyTruncated(t *testing.T) {
	key := testKey(1, 1)
	v := NewVerifier(key.Public())
	code := key.Sign(1, 1)
	for n := range len(code) {
		if _, err := v.Verify(code[:n]); err == nil {
			t.Errorf("prefix of %d characters accepted", n)
		}
		if _, err := v.Verify(code[n+1:]); err == nil {
			t.Errorf("suffix from %d accepted", n+1)
		}
	}
}

func TestVerifyRandomCodesOfTheRightLength(t *testing.T) {
	key := testKey(1, 1)
	v := NewVerifier(key.Public())
	n := len(key.Sign(1234, 56))
	r := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, n)
	for range 2000 {
		for i := range b {
			b[i] = codeAlphabet[r.IntN(len(codeAlphabet))]
		}
		if _, err := v.Verify(string(b)); err == nil {
			t.Fatalf("random code %s accepted", b)
		}
	}
}

func TestSignVerifyRoundTrip(t *testing.T) {
	tests := []struct {
		keyID             uint32
		ticketID, salonID int64
	}{
		{0, 1, 1},
		{1, 127, 127},
		{1, 128, 128},
		{300, 2_000_000, 16_000},
		{math.MaxUint32, math.MaxInt64, math.MaxInt64},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d/%d/%d", tt.keyID, tt.ticketID, tt.salonID), func(t *testing.T) {
			k := testKey(tt.keyID, 5)
			code := k.Sign(tt.ticketID, tt.salonID)
			if len(code) > MaxCodeLen {
				t.Errorf("len = %d > MaxCodeLen %d", len(code), MaxCodeLen)
			}
			if strings.Trim(code, codeAlphabet) != "" {
				t.Errorf("code %q has characters outside upper-case base32", code)
			}
			got, err := NewVerifier(k.Public()).Verify(code)
			want := Claims{KeyID: tt.keyID, TicketID: tt.ticketID, SalonID: tt.salonID}
			if err != nil || got != want {
				t.Errorf("Verify = %+v, %v; want %+v", got, err, want)
			}
		})
	}
}

func TestSignPanicsOnNonPositiveIDs(t *testing.T) {
	k := testKey(1, 1)
	for _, ids := range [][2]int64{{0, 1}, {1, 0}, {-1, 1}, {1, math.MinInt64}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Sign(%d, %d) did not panic", ids[0], ids[1])
				}
			}()
			k.Sign(ids[0], ids[1])
		}()
	}
}

func TestKeyRotation(t *testing.T) {
	oldKey, newKey, retired := NewSigningKey(1), NewSigningKey(2), NewSigningKey(3)
	v := NewVerifier(oldKey.Public(), newKey.Public())
	for _, k := range []SigningKey{oldKey, newKey} {
		c, err := v.Verify(k.Sign(10, 20))
		if err != nil || c.KeyID != k.ID {
			t.Errorf("key %d: Verify = %+v, %v", k.ID, c, err)
		}
	}
	_, err := v.Verify(retired.Sign(10, 20))
	assertInvalid(t, err)
}

func TestNewVerifierRefusesConflictingKeys(t *testing.T) {
	a, b := testKey(1, 1), testKey(1, 2)
	NewVerifier(a.Public(), a.Public()) // the same key twice is harmless
	for name, keys := range map[string][]PublicKey{
		"two keys one id": {a.Public(), b.Public()},
		"short key":       {{ID: 4, Key: a.Public().Key[:31]}},
		"nil key":         {{ID: 4}},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			NewVerifier(keys...)
		}()
	}
}

func TestVerifyConcurrent(t *testing.T) {
	k := testKey(1, 1)
	v := NewVerifier(k.Public())
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 50 {
				id := int64(i*100 + j + 1)
				if c, err := v.Verify(k.Sign(id, 9)); err != nil || c.TicketID != id {
					t.Errorf("Verify = %+v, %v", c, err)
				}
			}
		})
	}
	wg.Wait()
}

func TestNormalizeCode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"ABC234", "ABC234"},
		{"abc234", "ABC234"},
		{" \tAbC\r\n", "ABC"},
		{"ab cd", "AB CD"},
		{"ab==", "AB=="},
		{"ıſ", "ıſ"}, // Unicode case mapping would give "IS"
	}
	for _, tt := range tests {
		if got := NormalizeCode(tt.in); got != tt.want {
			t.Errorf("NormalizeCode(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestKeyMarshalRoundTrip(t *testing.T) {
	k := NewSigningKey(42)
	b := MarshalSigningKey(k)
	if len(b) != storedKeyBytes {
		t.Fatalf("len = %d", len(b))
	}
	k2, err := ParseSigningKey(b)
	if err != nil {
		t.Fatal(err)
	}
	if k2.ID != k.ID || !k2.Private.Equal(k.Private) {
		t.Fatalf("parsed key differs")
	}
	// A parsed key signs codes the original's public key accepts.
	if _, err := NewVerifier(k.Public()).Verify(k2.Sign(5, 6)); err != nil {
		t.Fatal(err)
	}

	p, err := ParsePublicKey(MarshalPublicKey(k.Public()))
	if err != nil {
		t.Fatal(err)
	}
	if p.ID != 42 || !p.Key.Equal(k.Public().Key) {
		t.Fatalf("parsed public key differs")
	}
	// The parsed key must not alias the caller's buffer, which storage may
	// reuse.
	pb := MarshalPublicKey(k.Public())
	p, _ = ParsePublicKey(pb)
	pb[10] ^= 0xff
	if !p.Key.Equal(k.Public().Key) {
		t.Fatalf("parsed public key aliases its input")
	}

	bad := map[string][]byte{
		"nil":            nil,
		"short":          b[:len(b)-1],
		"long":           append(append([]byte(nil), b...), 0),
		"unknown format": append([]byte{9}, b[1:]...),
	}
	for name, in := range bad {
		if _, err := ParseSigningKey(in); err == nil {
			t.Errorf("ParseSigningKey(%s) accepted", name)
		}
		if _, err := ParsePublicKey(in); err == nil {
			t.Errorf("ParsePublicKey(%s) accepted", name)
		}
	}
}

func TestSigningKeyDoesNotPrintSecret(t *testing.T) {
	k := testKey(1, 1)
	secret := fmt.Sprintf("%x", k.Private.Seed())
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		out := fmt.Sprintf(verb, k)
		if strings.Contains(fmt.Sprintf("%x", out), secret) || strings.Contains(out, secret) ||
			strings.Contains(out, fmt.Sprint([]byte(k.Private)[:8])) {
			t.Errorf("%s prints the private key: %s", verb, out)
		}
	}
}

// FuzzVerify feeds arbitrary strings to Verify. It must never panic, and
// whatever it accepts must be exactly what Sign writes for the claims it
// returned (Ed25519 signatures are deterministic), after NormalizeCode.
func FuzzVerify(f *testing.F) {
	key := testKey(5, 1)
	v := NewVerifier(key.Public(), testKey(6, 2).Public())
	code := key.Sign(1234, 56)
	for _, s := range []string{
		code, strings.ToLower(code), " " + code + "\n", code[:len(code)-1], code + "A",
		"", "A", "AAAAAAAA", "====", "\x00", code[:50],
		testKey(6, 2).Sign(math.MaxInt64, 1), testKey(9, 3).Sign(1, 1),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := v.Verify(s)
		if err != nil {
			var e *events.Error
			if !errors.As(err, &e) || e.Code != events.EINVALID {
				t.Fatalf("err = %#v, want EINVALID *events.Error", err)
			}
			return
		}
		signer := key
		if c.KeyID == 6 {
			signer = testKey(6, 2)
		} else if c.KeyID != 5 {
			t.Fatalf("accepted unknown key id %d", c.KeyID)
		}
		if again := signer.Sign(c.TicketID, c.SalonID); again != NormalizeCode(s) {
			t.Fatalf("accepted %q, which re-encodes to %q", s, again)
		}
		if c2, err := v.Verify(NormalizeCode(s)); err != nil || c2 != c {
			t.Fatalf("normalized form: %+v, %v", c2, err)
		}
	})
}

// FuzzParsePayload reaches the payload parser without a signature in the
// way, which FuzzVerify cannot: anything it accepts must be canonical.
func FuzzParsePayload(f *testing.F) {
	f.Add(appendPayload(nil, 7, 1234, 56))
	f.Add(appendPayload(nil, math.MaxUint32, math.MaxInt64, math.MaxInt64))
	f.Add([]byte{CodeVersion, 0x80, 0x00, 1, 1})
	f.Fuzz(func(t *testing.T, p []byte) {
		c, ok := parsePayload(p)
		if !ok {
			return
		}
		if c.TicketID < 1 || c.SalonID < 1 {
			t.Fatalf("accepted non-positive ids: %+v", c)
		}
		if got := appendPayload(nil, c.KeyID, c.TicketID, c.SalonID); string(got) != string(p) {
			t.Fatalf("accepted %x, canonical form %x", p, got)
		}
	})
}

// codeAlphabet is the RFC 4648 base32 alphabet.
const codeAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

// BenchmarkSign signs a code as Sign does, and with crypto/ed25519 for
// comparison in the same run.
func BenchmarkSign(b *testing.B) {
	k := testKey(1, 1)
	b.Run("code", func(b *testing.B) {
		for b.Loop() {
			k.Sign(123456, 789)
		}
	})
	msg := signedMessage(appendPayload(nil, k.ID, 123456, 789))
	b.Run("crypto-ed25519", func(b *testing.B) {
		for b.Loop() {
			ed25519.Sign(k.Private, msg)
		}
	})
}

// TestSignMatchesStandardLibrary: the signature in a code is byte for byte
// the one crypto/ed25519 makes for the same key and message, for random
// keys and ids, so codes verify anywhere Ed25519 does.
func TestSignMatchesStandardLibrary(t *testing.T) {
	for i := range 500 {
		k := NewSigningKey(uint32(i + 1))
		ticket, salon := int64(i*7919+1), int64(i%97+1)
		if i%50 == 0 {
			ticket, salon = math.MaxInt64-int64(i), math.MaxInt64
		}
		raw, err := codeEncoding.DecodeString(k.Sign(ticket, salon))
		if err != nil {
			t.Fatal(err)
		}
		payload, sig := raw[:len(raw)-ed25519.SignatureSize], raw[len(raw)-ed25519.SignatureSize:]
		if want := appendPayload(nil, k.ID, ticket, salon); !bytes.Equal(payload, want) {
			t.Fatalf("key %d: payload %x, want %x", k.ID, payload, want)
		}
		if want := ed25519.Sign(k.Private, signedMessage(payload)); !bytes.Equal(sig, want) {
			t.Fatalf("key %d, ticket %d: signature %x, crypto/ed25519 makes %x", k.ID, ticket, sig, want)
		}
		if !ed25519.Verify(k.Public().Key, signedMessage(payload), sig) {
			t.Fatalf("key %d: crypto/ed25519 does not verify the signature", k.ID)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	k := testKey(1, 1)
	v := NewVerifier(k.Public())
	code := k.Sign(123456, 789)
	for b.Loop() {
		if _, err := v.Verify(code); err != nil {
			b.Fatal(err)
		}
	}
}
