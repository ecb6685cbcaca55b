package tickets

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strconv"
)

// TokenBytes is the size of every secret token: 128 bits.
const TokenBytes = 16

// RandomBytes returns n bytes from crypto/rand.
func RandomBytes(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("tickets: crypto/rand failed: " + err.Error()) // never happens on Linux
	}
	return b
}

// NewToken returns a fresh random token, URL-safe.
func NewToken() string {
	return base64.RawURLEncoding.EncodeToString(RandomBytes(TokenBytes))
}

// HashToken is what storage keeps of a token: its SHA-256, hex encoded. Tokens
// carry 128 random bits, so a fast hash is enough; no salt is needed.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// ManageToken derives a ticket's manage token from the server key, the
// ticket's id and its random salt (128 bits from crypto/rand). It starts with
// the id in base 36, so the server finds the ticket by primary key and needs
// no index of token hashes (a page of its own in every RSVP's write); the
// rest, an HMAC of the salt under the server key cut to 160 bits, makes it
// unguessable and is checked in constant time against the one derived from
// the row's salt. Deriving rather than storing lets later
// mail (promotion, reminders) carry the link; the database keeps only the
// salt.
func ManageToken(key []byte, ticketID int64, salt []byte) string {
	return strconv.FormatInt(ticketID, 36) + LegacyManageToken(key, salt)
}

// LegacyManageToken is the token of tickets made before tokens carried
// their id: the HMAC part alone. Links already mailed with one keep working
// through the hash storage kept for those tickets.
func LegacyManageToken(key []byte, salt []byte) string {
	return derive(key, "manage", "", salt)
}

// IsLegacyManageToken reports whether token has the shape of a legacy one.
func IsLegacyManageToken(token string) bool {
	return len(token) == derivedLen && ValidTokenShape(token)
}

// SameToken compares two tokens in constant time.
func SameToken(a, b string) bool {
	return hmac.Equal([]byte(a), []byte(b))
}

// FeedToken derives an attendee's calendar feed token from the server key,
// their email and a version that rises when the feed is revoked. It starts
// with the id of the email's first ticket in base 36, so the server finds
// the email by primary key and needs no row per attendee until a feed is
// revoked; the HMAC part (160 bits) makes it unguessable.
func FeedToken(key []byte, firstTicketID int64, email string, version int) string {
	return strconv.FormatInt(firstTicketID, 36) + derive(key, "feed", email, []byte(strconv.Itoa(version)))
}

// TokenTicketID reads the ticket id at the front of a manage or feed token,
// or 0 when the token cannot be one.
func TokenTicketID(token string) int64 {
	if len(token) <= derivedLen || !ValidTokenShape(token) {
		return 0
	}
	id, err := strconv.ParseInt(token[:len(token)-derivedLen], 36, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}

// derivedLen is the length of derive's output: TokenBytes+4 bytes in
// unpadded base64url.
var derivedLen = base64.RawURLEncoding.EncodedLen(TokenBytes + 4)

func derive(key []byte, purpose, id string, salt []byte) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write([]byte(id))
	m.Write([]byte{0})
	m.Write(salt)
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:TokenBytes+4])
}

// ValidTokenShape reports whether s could be a token, so that obviously bad
// input is refused before it reaches the database.
func ValidTokenShape(s string) bool {
	if len(s) < 20 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// DeriveKey derives a key for one purpose (a name with its version, such
// as "csrf-v1") from the server key, so that no two uses share a key and
// none uses the server key itself. Every process on the same database has
// the same server key and so derives the same keys. The input has no NUL
// byte, unlike derive's, so no derived key is also a token.
func DeriveKey(serverKey []byte, purpose string) []byte {
	m := hmac.New(sha256.New, serverKey)
	m.Write([]byte(purpose))
	return m.Sum(nil)
}
