package tickets

import (
	"errors"
	"fmt"
)

// StoredKey is a ticket signing key as storage keeps it.
type StoredKey struct {
	// Private is what MarshalSigningKey wrote. It is secret.
	Private []byte
	// Retired keys neither sign nor verify: retiring is how a leaked key
	// is revoked.
	Retired bool
}

// NewStoredKey makes a fresh signing key with the given id, as the bytes
// storage keeps: the secret key and its public half.
func NewStoredKey(id uint32) (private, public []byte) {
	k := NewSigningKey(id)
	return MarshalSigningKey(k), MarshalPublicKey(k.Public())
}

// KeySet is the server's ticket code keys, held in memory: signing and
// verifying happen on every ticket view and scan, so they must not cost a
// query. The newest active key signs; every active key verifies, so after a
// rotation the codes already mailed keep opening the door. A KeySet never
// changes after NewKeySet, so any number of goroutines may share it; a
// rotation makes a new one.
type KeySet struct {
	signer   SigningKey
	verifier *Verifier
	public   []PublicKey
}

// NewKeySet parses stored keys, oldest first. A set with no active key is
// refused: no ticket could get a code.
func NewKeySet(stored []StoredKey) (*KeySet, error) {
	ks := &KeySet{}
	for _, s := range stored {
		k, err := ParseSigningKey(s.Private)
		if err != nil {
			return nil, err
		}
		if s.Retired {
			continue
		}
		if ks.signer.Private != nil && k.ID <= ks.signer.ID {
			return nil, fmt.Errorf("tickets: signing key %d listed after key %d", k.ID, ks.signer.ID)
		}
		ks.signer = k
		ks.public = append(ks.public, k.Public())
	}
	if ks.signer.Private == nil {
		return nil, errors.New("tickets: no active ticket signing key")
	}
	ks.verifier = NewVerifier(ks.public...)
	return ks, nil
}

// Sign returns the door code of a ticket, signed with the active key.
func (ks *KeySet) Sign(t *Ticket) string { return ks.signer.Sign(t.ID, t.SalonID) }

// Verify checks a code, as scanned or typed, against every active key; see
// Verifier.Verify.
func (ks *KeySet) Verify(code string) (Claims, error) { return ks.verifier.Verify(code) }

// PublicKeys returns the active public keys, for door devices that verify
// codes offline.
func (ks *KeySet) PublicKeys() []PublicKey { return append([]PublicKey(nil), ks.public...) }

// Active returns the key that signs new codes.
func (ks *KeySet) Active() SigningKey { return ks.signer }
