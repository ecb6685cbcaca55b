package postgres

import (
	"context"
	"fmt"
	"sort"
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
// parallel burst pass the count together and all reach argon2id; an advisory
// lock per key runs one reservation of a key at a time, in every process,
// so no more than the limit can.

// ReserveLoginAttempt checks every limit and, if none is reached, records
// one attempt against each key, all in one write. Attempts older than window
// are dropped in the same write so the table stays small.
func (db *DB) ReserveLoginAttempt(ctx context.Context, window time.Duration, limits ...storage.LoginLimit) (*storage.LoginAttempt, error) {
	a := &storage.LoginAttempt{Counts: make([]int, len(limits))}
	err := db.update(ctx, func(tx *Tx) error {
		since := tx.now.Add(-window).Unix()
		if _, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE at <= ?`, since); err != nil {
			return fmt.Errorf("storage: unable to prune login attempts: %w", err)
		}
		// One attempt per key at a time across processes: the advisory
		// locks are taken in one order (sorted), so two attempts sharing
		// keys cannot deadlock.
		hashes := make([]string, 0, len(limits))
		for _, l := range limits {
			hashes = append(hashes, tickets.HashToken(l.Key))
		}
		sort.Strings(hashes)
		for _, h := range hashes {
			if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtextextended(?, 0))`, h); err != nil {
				return fmt.Errorf("storage: unable to lock login throttle: %w", err)
			}
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
			var id int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO login_failures (key_hash, at) VALUES (?, ?) RETURNING id`,
				tickets.HashToken(l.Key), tx.now.Unix()).Scan(&id); err != nil {
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
	return db.update(ctx, func(tx *Tx) error {
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
