package sqlite

import (
	"context"
	"fmt"
	"strings"
	"time"

	"salon/storage"
	"salon/tickets"
)

// Login throttling is kept in the database rather than in memory: it
// survives a restart (an attacker cannot reset it by crashing the server),
// needs no eviction policy that a flood of addresses could abuse, and each
// row is one write beside an argon2id verification that costs far more.
// Keys are hashed so the table holds no typed emails or addresses.
//
// An attempt is recorded before its password is checked, in the same write
// that checks the limits. Counting first and recording after the check let a
// parallel burst pass the count together and all reach argon2id; the single
// writer runs one reservation at a time, so no more than the limit can.

// ReserveLoginAttempt checks every limit and, if none is reached, records
// one attempt against each key, all in one write. Attempts older than window
// are dropped in the same write so the table stays small.
func (db *DB) ReserveLoginAttempt(ctx context.Context, window time.Duration, limits ...storage.LoginLimit) (*storage.LoginAttempt, error) {
	a := &storage.LoginAttempt{Counts: make([]int, len(limits))}
	err := db.updateApart(ctx, func(tx *Tx) error {
		since := tx.now.Add(-window).Unix()
		if _, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE at <= ?`, since); err != nil {
			return fmt.Errorf("storage: unable to prune login attempts: %w", err)
		}
		allowed := true
		for i, l := range limits {
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM login_failures WHERE key_hash = ? AND at > ?`,
				tickets.HashToken(l.Key), since).Scan(&a.Counts[i]); err != nil {
				return fmt.Errorf("storage: unable to count login attempts: %w", err)
			}
			if a.Counts[i] >= l.Max {
				allowed = false
			}
		}
		if !allowed {
			return nil
		}
		ids := make([]int64, 0, len(limits))
		for _, l := range limits {
			res, err := tx.ExecContext(ctx, `INSERT INTO login_failures (key_hash, at) VALUES (?, ?)`, tickets.HashToken(l.Key), tx.now.Unix())
			if err != nil {
				return fmt.Errorf("storage: unable to record login attempt: %w", err)
			}
			id, err := res.LastInsertId()
			if err != nil {
				return fmt.Errorf("storage: unable to record login attempt: %w", err)
			}
			ids = append(ids, id)
		}
		a.Allowed, a.Rows = true, ids
		return nil
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// ReleaseLoginAttempt takes back an allowed attempt whose password was
// right, so signing in costs nothing against the limits, and forgets every
// attempt of the keys in forget (the account that just proved its password).
func (db *DB) ReleaseLoginAttempt(ctx context.Context, a *storage.LoginAttempt, forget ...string) error {
	return db.updateApart(ctx, func(tx *Tx) error {
		if len(a.Rows) > 0 {
			args := make([]any, len(a.Rows))
			for i, id := range a.Rows {
				args[i] = id
			}
			q := `DELETE FROM login_failures WHERE id IN (?` + strings.Repeat(", ?", len(a.Rows)-1) + `)`
			if _, err := tx.ExecContext(ctx, q, args...); err != nil {
				return fmt.Errorf("storage: unable to release login attempt: %w", err)
			}
		}
		for _, k := range forget {
			if _, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE key_hash = ?`, tickets.HashToken(k)); err != nil {
				return fmt.Errorf("storage: unable to clear login attempts: %w", err)
			}
		}
		return nil
	})
}
