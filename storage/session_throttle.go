package storage

import (
	"context"
	"fmt"
	"time"

	"salon/tickets"
)

// Login throttling is kept in the database rather than in memory: it
// survives a restart (an attacker cannot reset it by crashing the server),
// needs no eviction policy that a flood of addresses could abuse, and each
// row is one write beside an argon2id verification that costs far more.
// Keys are hashed so the table holds no typed emails or addresses.

// CountLoginFailures returns how many failures each key has had since since,
// in the order of keys.
func (db *DB) CountLoginFailures(ctx context.Context, since time.Time, keys ...string) ([]int, error) {
	out := make([]int, len(keys))
	for i, k := range keys {
		if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM login_failures WHERE key_hash = ? AND at > ?`,
			tickets.HashToken(k), since.Unix()).Scan(&out[i]); err != nil {
			return nil, fmt.Errorf("storage: unable to count login failures: %w", err)
		}
	}
	return out, nil
}

// RecordLoginFailure counts one failed login against every key, and drops
// failures older than window so the table stays small.
func (db *DB) RecordLoginFailure(ctx context.Context, window time.Duration, keys ...string) error {
	return db.update(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE at <= ?`, tx.now.Add(-window).Unix()); err != nil {
			return fmt.Errorf("storage: unable to prune login failures: %w", err)
		}
		for _, k := range keys {
			if _, err := tx.ExecContext(ctx, `INSERT INTO login_failures (key_hash, at) VALUES (?, ?)`, tickets.HashToken(k), tx.now.Unix()); err != nil {
				return fmt.Errorf("storage: unable to record login failure: %w", err)
			}
		}
		return nil
	})
}

// ClearLoginFailures forgets the failures of key, after a successful login.
func (db *DB) ClearLoginFailures(ctx context.Context, key string) error {
	return db.update(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE key_hash = ?`, tickets.HashToken(key)); err != nil {
			return fmt.Errorf("storage: unable to clear login failures: %w", err)
		}
		return nil
	})
}
