package storage

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"errors"
	"fmt"

	"salon/tickets"
)

// feedQuery finds what an email's feed token is made of: the email's first
// ticket and the feed's version (1 until the feed is first revoked).
const feedQuery = `SELECT (SELECT MIN(id) FROM tickets WHERE email = ?),
	COALESCE((SELECT version FROM feeds WHERE email = ?), 1)`

// feedToken returns email's current feed token, read through q (the read
// pool or a write transaction), or "" when the email has no ticket.
func (db *DB) feedToken(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, email string) (string, error) {
	var first sql.NullInt64
	var version int
	if err := q.QueryRowContext(ctx, feedQuery, email, email).Scan(&first, &version); err != nil {
		return "", fmt.Errorf("storage: unable to fetch feed: %w", err)
	}
	if !first.Valid {
		return "", nil
	}
	return tickets.FeedToken(db.key, first.Int64, email, version), nil
}

// FeedToken returns the current feed token of an attendee email, or "" when
// the email has no ticket.
func (db *DB) FeedToken(ctx context.Context, email string) (string, error) {
	return db.feedToken(ctx, db.read, email)
}

// FindFeedEmail returns the attendee email whose feed token is token. The
// token names a ticket; its email's current token must equal the one given,
// so a revoked token, or one made up around a real ticket id, is not found.
func (db *DB) FindFeedEmail(ctx context.Context, token string) (string, error) {
	id := tickets.TokenTicketID(token)
	if id == 0 {
		return "", notFound("Feed")
	}
	var email string
	err := db.read.QueryRowContext(ctx, `SELECT email FROM tickets WHERE id = ?`, id).Scan(&email)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound("Feed")
	} else if err != nil {
		return "", fmt.Errorf("storage: unable to fetch feed: %w", err)
	}
	want, err := db.FeedToken(ctx, email)
	if err != nil {
		return "", err
	}
	if subtle.ConstantTimeCompare([]byte(want), []byte(token)) != 1 {
		return "", notFound("Feed")
	}
	return email, nil
}

// RevokeFeed replaces an attendee's feed token; the old one stops working.
func (db *DB) RevokeFeed(ctx context.Context, email string) (string, error) {
	var token string
	err := db.update(ctx, func(tx *Tx) error {
		var first sql.NullInt64
		var version int
		if err := tx.QueryRowContext(ctx, feedQuery, email, email).Scan(&first, &version); err != nil {
			return fmt.Errorf("storage: unable to fetch feed: %w", err)
		}
		if !first.Valid {
			return notFound("Feed")
		}
		token = tickets.FeedToken(db.key, first.Int64, email, version+1)
		if _, err := tx.ExecContext(ctx, `INSERT INTO feeds (email, version, token_hash) VALUES (?, ?, ?)
			ON CONFLICT (email) DO UPDATE SET version = excluded.version, token_hash = excluded.token_hash`,
			email, version+1, tickets.HashToken(token)); err != nil {
			return fmt.Errorf("storage: unable to revoke feed: %w", err)
		}
		db.ticketsChanged(tx) // cached feeds must stop answering the old token
		return nil
	})
	return token, err
}
