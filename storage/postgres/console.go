package postgres

import (
	"context"
	"fmt"
	"strconv"

	"salon/events"
	"salon/storage"
)

// FindAPITokens lists a user's API tokens, newest first.
func (db *DB) FindAPITokens(ctx context.Context, userID int64) ([]*storage.APIToken, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, user_id, label, created_at, revoked_at FROM api_tokens
		WHERE user_id = ? ORDER BY id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("storage: unable to list tokens: %w", err)
	}
	defer rows.Close()
	var out []*storage.APIToken
	for rows.Next() {
		var t storage.APIToken
		var created int64
		var revoked *int64
		if err := rows.Scan(&t.ID, &t.UserID, &t.Label, &created, &revoked); err != nil {
			return nil, fmt.Errorf("storage: unable to read token: %w", err)
		}
		t.CreatedAt = unix(created)
		if revoked != nil {
			r := unix(*revoked)
			t.RevokedAt = &r
		}
		out = append(out, &t)
	}
	return out, rows.Err()
}

// RevokeAPIToken stops one of the user's tokens from working. A token of
// another user is not found; revoking twice is fine.
func (db *DB) RevokeAPIToken(ctx context.Context, userID, id int64) error {
	return db.update(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ? AND user_id = ?`,
			tx.now.Unix(), id, userID)
		if err != nil {
			return fmt.Errorf("storage: unable to revoke token: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("Token")
		}
		return audit(ctx, tx, storage.ActionTokenRevoke, 0, strconv.FormatInt(id, 10))
	})
}

// FindUsers lists every account, by email.
func (db *DB) FindUsers(ctx context.Context) ([]*events.User, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY email`)
	if err != nil {
		return nil, fmt.Errorf("storage: unable to list users: %w", err)
	}
	defer rows.Close()
	var out []*events.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("storage: unable to read user: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}
