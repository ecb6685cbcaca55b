package storage

import (
	"context"
	"fmt"
	"sync"

	"salon/tickets"
)

// keyring holds the ticket code keys in memory: signing and verifying happen
// on every ticket view and scan, so they must not cost a query.
type keyring struct {
	mu       sync.RWMutex
	signer   tickets.SigningKey
	verifier *tickets.Verifier
	public   []tickets.PublicKey
}

// loadSigningKeys reads the keys, making the first one at first start.
func (db *DB) loadSigningKeys(ctx context.Context) error {
	rows, err := db.write.QueryContext(ctx, `SELECT id, private, retired_at IS NOT NULL FROM signing_keys ORDER BY id`)
	if err != nil {
		return fmt.Errorf("storage: load signing keys: %w", err)
	}
	var keys []tickets.SigningKey
	var active []bool
	for rows.Next() {
		var id int64
		var priv []byte
		var retired bool
		if err := rows.Scan(&id, &priv, &retired); err != nil {
			rows.Close()
			return fmt.Errorf("storage: read signing key: %w", err)
		}
		k, err := tickets.ParseSigningKey(priv)
		if err != nil {
			rows.Close()
			return fmt.Errorf("storage: signing key %d: %w", id, err)
		}
		keys, active = append(keys, k), append(active, !retired)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("storage: load signing keys: %w", err)
	}
	if len(keys) == 0 {
		k := tickets.NewSigningKey(1)
		if _, err := db.write.ExecContext(ctx, `INSERT INTO signing_keys (id, private, public, created_at) VALUES (?, ?, ?, ?)`,
			k.ID, tickets.MarshalSigningKey(k), tickets.MarshalPublicKey(k.Public()), db.Now().Unix()); err != nil {
			return fmt.Errorf("storage: create signing key: %w", err)
		}
		keys, active = append(keys, k), append(active, true)
	}
	db.keys.set(keys, active)
	return nil
}

func (k *keyring) set(keys []tickets.SigningKey, active []bool) {
	var pub []tickets.PublicKey
	var signer tickets.SigningKey
	for i, key := range keys {
		// Retired keys stop verifying too: retiring is how a leaked key is
		// revoked. Rotation keeps the old key active until its tickets are used.
		if active[i] {
			pub = append(pub, key.Public())
			signer = key
		}
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.signer, k.public, k.verifier = signer, pub, tickets.NewVerifier(pub...)
}

// RotateSigningKey makes a new key that signs from now on; older keys stay
// valid for the codes already handed out.
func (db *DB) RotateSigningKey(ctx context.Context) (uint32, error) {
	var id uint32
	err := db.update(ctx, func(tx *Tx) error {
		var max int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM signing_keys`).Scan(&max); err != nil {
			return fmt.Errorf("storage: rotate key: %w", err)
		}
		k := tickets.NewSigningKey(uint32(max + 1))
		if _, err := tx.ExecContext(ctx, `INSERT INTO signing_keys (id, private, public, created_at) VALUES (?, ?, ?, ?)`,
			k.ID, tickets.MarshalSigningKey(k), tickets.MarshalPublicKey(k.Public()), tx.now.Unix()); err != nil {
			return fmt.Errorf("storage: rotate key: %w", err)
		}
		id = k.ID
		return nil
	})
	if err != nil {
		return 0, err
	}
	return id, db.loadSigningKeys(ctx)
}

// TicketCode returns the door code of a ticket, signed with the current key.
func (db *DB) TicketCode(t *tickets.Ticket) string {
	db.keys.mu.RLock()
	k := db.keys.signer
	db.keys.mu.RUnlock()
	return k.Sign(t.ID, t.SalonID)
}

// VerifyCode checks a code's signature against every valid public key.
func (db *DB) VerifyCode(code string) (tickets.Claims, error) {
	db.keys.mu.RLock()
	v := db.keys.verifier
	db.keys.mu.RUnlock()
	return v.Verify(code)
}

// PublicKeys returns the valid public keys, for door devices that verify
// codes offline.
func (db *DB) PublicKeys() []tickets.PublicKey {
	db.keys.mu.RLock()
	defer db.keys.mu.RUnlock()
	return append([]tickets.PublicKey(nil), db.keys.public...)
}
