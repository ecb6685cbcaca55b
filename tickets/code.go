package tickets

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strings"

	voi "github.com/oasisprotocol/curve25519-voi/primitives/ed25519"

	"salon/events"
)

// A ticket code is what the QR code on a ticket carries. Door phones verify
// it offline with public keys only, as pretix does with signed ticket
// secrets, so a flaky venue network never stops check-in. Its layout:
//
//	payload   = version(1 byte) || uvarint(key id) || uvarint(ticket id) || uvarint(salon id)
//	signature = Ed25519(private key, CodeContext || payload)   (64 bytes)
//	code      = base32(payload || signature), RFC 4648 alphabet, upper case, no padding
//
// Upper-case base32 stays inside the QR alphanumeric set, which packs 5.5
// bits a module where byte mode packs 8 bits for 8 bits, so the symbol stays
// small. Uvarints keep small database ids to a byte or three. The code holds
// no personal data: a photo of a ticket leaks only two row ids.
const (
	// CodeVersion is the format version byte. A new layout gets a new value
	// so old and new codes can be told apart while both are in circulation.
	CodeVersion = 1
	// MaxCodeLen bounds the length of any code (every uvarint at its widest;
	// 8 bits a byte, 5 bits a character, rounded up). Longer input is refused
	// before decoding, so pasting a novel into the door scanner costs nothing.
	MaxCodeLen = ((1+binary.MaxVarintLen32+2*binary.MaxVarintLen64+ed25519.SignatureSize)*8 + 4) / 5
	// MinPayload is the shortest payload: the version byte plus three
	// one-byte uvarints.
	MinPayload = 4
)

// CodeContext is prefixed to every signed message so that a signature made
// by a ticket key can never be replayed as a signature over anything else,
// should the same key one day sign another kind of message. Exported, with
// CodeAlphabet, for the door page, which verifies codes itself.
const CodeContext = "salon ticket code\x00"

// CodeAlphabet is the RFC 4648 base32 alphabet codes are written in.
const CodeAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

// codeEncoding is RFC 4648 base32 without padding: padding adds nothing a
// fixed-format reader needs, and '=' would push the QR into byte mode.
var codeEncoding = base32.NewEncoding(CodeAlphabet).WithPadding(base32.NoPadding)

// errInvalidCode is the one answer a client gets for any bad code. Telling a
// caller which check failed (format, key, signature) would help a forger
// and not the person at the door. A fresh value each time, so a caller that
// decorates its error cannot change anyone else's.
func errInvalidCode() error {
	return &events.Error{Code: events.EINVALID, Message: "Not a valid ticket code."}
}

// SigningKey signs ticket codes. The ID travels inside every code, so
// verifiers pick the right public key and old keys keep working after a
// rotation until they are dropped.
type SigningKey struct {
	ID      uint32
	Private ed25519.PrivateKey
}

// PublicKey verifies codes signed by the SigningKey with the same ID. It is
// safe to hand to door phones.
type PublicKey struct {
	ID  uint32
	Key ed25519.PublicKey
}

// Claims is what a verified code asserts: which ticket, for which salon,
// signed by which key. Whether the ticket still stands (not cancelled) is for
// storage to say; a signature cannot be taken back.
type Claims struct {
	KeyID    uint32
	TicketID int64
	SalonID  int64
}

// NewSigningKey returns a fresh key from crypto/rand with the given ID.
func NewSigningKey(id uint32) SigningKey {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		panic("tickets: crypto/rand failed: " + err.Error()) // never happens on Linux
	}
	return SigningKey{ID: id, Private: priv}
}

// Public returns the half of the key that verifiers need.
func (k SigningKey) Public() PublicKey {
	return PublicKey{ID: k.ID, Key: k.Private.Public().(ed25519.PublicKey)}
}

// String keeps the private key out of logs and error messages: fmt and slog
// print a SigningKey through this method.
func (k SigningKey) String() string {
	return fmt.Sprintf("tickets.SigningKey{ID: %d, Private: REDACTED}", k.ID)
}

// GoString does for %#v what String does for %v.
func (k SigningKey) GoString() string { return k.String() }

// Sign returns the ticket code for a ticket of a salon. Ids are database row
// ids and so positive; Sign panics on anything else, as that is a bug in the
// caller and a code for it could never verify.
func (k SigningKey) Sign(ticketID, salonID int64) string {
	if ticketID < 1 || salonID < 1 {
		panic(fmt.Sprintf("tickets: Sign(%d, %d): ids must be positive", ticketID, salonID))
	}
	if len(k.Private) != ed25519.PrivateKeySize {
		panic("tickets: Sign with an empty or malformed signing key")
	}
	buf := appendPayload(make([]byte, 0, 32+ed25519.SignatureSize), k.ID, ticketID, salonID)
	// Ed25519 signatures are deterministic: this is exactly the signature
	// crypto/ed25519 makes (TestSignMatchesStandardLibrary), computed in
	// two thirds of the time (BenchmarkSign), and every RSVP signs one.
	buf = append(buf, voi.Sign(voi.PrivateKey(k.Private), signedMessage(buf))...)
	return codeEncoding.EncodeToString(buf)
}

func appendPayload(b []byte, keyID uint32, ticketID, salonID int64) []byte {
	b = append(b, CodeVersion)
	b = binary.AppendUvarint(b, uint64(keyID))
	b = binary.AppendUvarint(b, uint64(ticketID))
	return binary.AppendUvarint(b, uint64(salonID))
}

func signedMessage(payload []byte) []byte {
	m := make([]byte, 0, len(CodeContext)+len(payload))
	return append(append(m, CodeContext...), payload...)
}

// Verifier checks codes against the public keys currently trusted. Holding
// several at once is what makes key rotation painless: sign with the new
// key, keep verifying the old one until its tickets are past. A Verifier
// never changes after NewVerifier, so any number of goroutines may share it.
type Verifier struct {
	keys map[uint32]ed25519.PublicKey
}

// NewVerifier returns a Verifier trusting keys. Two different keys under one
// ID, or a key of the wrong length, is a configuration bug that would make
// valid tickets bounce at the door, so it panics rather than guess.
func NewVerifier(keys ...PublicKey) *Verifier {
	v := &Verifier{keys: make(map[uint32]ed25519.PublicKey, len(keys))}
	for _, k := range keys {
		if len(k.Key) != ed25519.PublicKeySize {
			panic(fmt.Sprintf("tickets: NewVerifier: key %d has %d bytes, want %d", k.ID, len(k.Key), ed25519.PublicKeySize))
		}
		if old, ok := v.keys[k.ID]; ok && !old.Equal(k.Key) {
			panic(fmt.Sprintf("tickets: NewVerifier: two different keys with id %d", k.ID))
		}
		v.keys[k.ID] = k.Key
	}
	return v
}

// Verify checks a code as scanned or typed and returns what it claims. Every
// failure (bad format, unknown key, bad signature) is the same EINVALID
// *events.Error, which the contract answers as result "invalid".
//
// Only one spelling of each code verifies (after NormalizeCode): base32
// trailing bits must be zero and uvarints minimal, so nobody can mint
// variants of a real code that storage or a log would see as different.
func (v *Verifier) Verify(code string) (Claims, error) {
	code = strings.TrimSpace(code)
	if len(code) > MaxCodeLen {
		return Claims{}, errInvalidCode()
	}
	// The rest of NormalizeCode: the trim came first, before the length check.
	code = upperASCII(code)
	raw, err := codeEncoding.DecodeString(code)
	if err != nil || len(raw) < MinPayload+ed25519.SignatureSize {
		return Claims{}, errInvalidCode()
	}
	payload, sig := raw[:len(raw)-ed25519.SignatureSize], raw[len(raw)-ed25519.SignatureSize:]
	c, ok := parsePayload(payload)
	if !ok {
		return Claims{}, errInvalidCode()
	}
	// Go's base32 decoder ignores the unused low bits of the last
	// character; re-encoding catches codes that differ only there.
	if codeEncoding.EncodeToString(raw) != code {
		return Claims{}, errInvalidCode()
	}
	key, ok := v.keys[c.KeyID]
	if !ok || !ed25519.Verify(key, signedMessage(payload), sig) {
		return Claims{}, errInvalidCode()
	}
	return c, nil
}

// parsePayload reads a payload and insists it is exactly what appendPayload
// would write for the claims it holds.
func parsePayload(p []byte) (Claims, bool) {
	if len(p) < MinPayload || p[0] != CodeVersion {
		return Claims{}, false
	}
	rest := p[1:]
	var vals [3]uint64
	for i := range vals {
		x, n := binary.Uvarint(rest)
		if n <= 0 {
			return Claims{}, false
		}
		vals[i], rest = x, rest[n:]
	}
	if len(rest) != 0 || vals[0] > math.MaxUint32 ||
		vals[1] < 1 || vals[1] > math.MaxInt64 || vals[2] < 1 || vals[2] > math.MaxInt64 {
		return Claims{}, false
	}
	c := Claims{KeyID: uint32(vals[0]), TicketID: int64(vals[1]), SalonID: int64(vals[2])}
	// A uvarint may be padded with 0x80 bytes and still decode; comparing
	// with the canonical bytes turns such variants away.
	if string(appendPayload(nil, c.KeyID, c.TicketID, c.SalonID)) != string(p) {
		return Claims{}, false
	}
	return c, true
}

// NormalizeCode turns a code as it arrives into the form Sign writes. It
// trims surrounding whitespace (scanners in keyboard mode append "\r\n") and
// upper-cases ASCII letters, because a code read aloud or typed on a phone
// often comes out in lower case and base32 has no letter that differs by
// case. It does nothing else: '=' padding, inner spaces or dashes, and
// look-alikes such as '0' for 'O' stay as they are and fail to verify, since
// no code Sign writes contains them. Only ASCII is folded, so that Unicode
// case mapping ("ı" upper-cases to "I") cannot turn a foreign string into a
// valid one.
func NormalizeCode(s string) string { return upperASCII(strings.TrimSpace(s)) }

// upperASCII upper-cases the ASCII letters of s, copying only when it has
// a lower-case one.
func upperASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'a' <= c && c <= 'z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'a' <= b[j] && b[j] <= 'z' {
					b[j] -= 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// Stored key formats: a format byte, the key ID as 4 big-endian bytes, then
// the Ed25519 seed (private) or public key, 32 bytes either way. Storing the
// seed rather than Go's 64-byte private key keeps one source of truth: the
// public half is always derived, never read back and trusted.
const (
	keyFormat      = 1
	storedKeyBytes = 1 + 4 + 32
)

// MarshalSigningKey encodes k for the settings table. The bytes are secret.
func MarshalSigningKey(k SigningKey) []byte {
	if len(k.Private) != ed25519.PrivateKeySize {
		panic("tickets: MarshalSigningKey with an empty or malformed key")
	}
	return marshalKey(k.ID, k.Private.Seed())
}

// ParseSigningKey decodes what MarshalSigningKey wrote.
func ParseSigningKey(b []byte) (SigningKey, error) {
	id, seed, err := parseKey(b)
	if err != nil {
		return SigningKey{}, fmt.Errorf("tickets: unable to parse signing key: %w", err)
	}
	return SigningKey{ID: id, Private: ed25519.NewKeyFromSeed(seed)}, nil
}

// MarshalPublicKey encodes k for the settings table or a door phone.
func MarshalPublicKey(k PublicKey) []byte {
	if len(k.Key) != ed25519.PublicKeySize {
		panic("tickets: MarshalPublicKey with an empty or malformed key")
	}
	return marshalKey(k.ID, k.Key)
}

// ParsePublicKey decodes what MarshalPublicKey wrote.
func ParsePublicKey(b []byte) (PublicKey, error) {
	id, key, err := parseKey(b)
	if err != nil {
		return PublicKey{}, fmt.Errorf("tickets: unable to parse public key: %w", err)
	}
	return PublicKey{ID: id, Key: ed25519.PublicKey(key)}, nil
}

func marshalKey(id uint32, key []byte) []byte {
	b := make([]byte, 0, storedKeyBytes)
	b = append(b, keyFormat)
	b = binary.BigEndian.AppendUint32(b, id)
	return append(b, key...)
}

func parseKey(b []byte) (uint32, []byte, error) {
	if len(b) != storedKeyBytes {
		return 0, nil, fmt.Errorf("%d bytes, want %d", len(b), storedKeyBytes)
	}
	if b[0] != keyFormat {
		return 0, nil, errors.New("unknown key format")
	}
	return binary.BigEndian.Uint32(b[1:5]), append([]byte(nil), b[5:]...), nil
}
