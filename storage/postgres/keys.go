package postgres

import (
	"context"
	"fmt"

	"salon/tickets"
)

// LoadSigningKeys returns the stored ticket signing keys, oldest first, as
// bytes: the key set made of them is the caller's (tickets.NewKeySet).
func (db *DB) LoadSigningKeys(ctx context.Context) ([]tickets.StoredKey, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT private, retired_at IS NOT NULL FROM signing_keys ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("storage: unable to load signing keys: %w", err)
	}
	defer rows.Close()
	var out []tickets.StoredKey
	for rows.Next() {
		var k tickets.StoredKey
		if err := rows.Scan(&k.Private, &k.Retired); err != nil {
			return nil, fmt.Errorf("storage: unable to read signing key: %w", err)
		}
		out = append(out, k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("storage: unable to load signing keys: %w", err)
	}
	return out, nil
}

// AddSigningKey stores a new ticket signing key under the next free id and
// returns that id. newKey is given the id and makes the key's bytes (see
// tickets.NewStoredKey); it runs inside the write, so two rotations at once
// cannot pick the same id.
func (db *DB) AddSigningKey(ctx context.Context, newKey func(id uint32) (private, public []byte)) (uint32, error) {
	var id uint32
	err := db.update(ctx, func(tx *Tx) error {
		// One rotation at a time across processes, so the next id is free.
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?)`, signingKeyLock); err != nil {
			return fmt.Errorf("storage: unable to add signing key: %w", err)
		}
		var max int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM signing_keys`).Scan(&max); err != nil {
			return fmt.Errorf("storage: unable to add signing key: %w", err)
		}
		id = uint32(max + 1)
		priv, pub := newKey(id)
		if _, err := tx.ExecContext(ctx, `INSERT INTO signing_keys (id, private, public, created_at) VALUES (?, ?, ?, ?)`,
			id, priv, pub, tx.now.Unix()); err != nil {
			return fmt.Errorf("storage: unable to add signing key: %w", err)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return id, nil
}

// signingKeyLock is the advisory lock key AddSigningKey holds.
const signingKeyLock = 0x73616c6f6e6b // "salonk"
