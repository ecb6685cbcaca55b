package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"salon/tickets"
)

// ensureFeed makes the attendee's personal feed on their first RSVP.
func ensureFeed(ctx context.Context, tx *Tx, key []byte, email string) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO feeds (email, version, token_hash) VALUES (?, 1, ?) ON CONFLICT (email) DO NOTHING`,
		email, tickets.HashToken(tickets.FeedToken(key, email, 1))); err != nil {
		return fmt.Errorf("storage: unable to create feed: %w", err)
	}
	return nil
}

// FeedToken returns the current feed token of an attendee email, or "" when
// the email has no feed.
func (db *DB) FeedToken(ctx context.Context, email string) (string, error) {
	var version int
	err := db.read.QueryRowContext(ctx, `SELECT version FROM feeds WHERE email = ?`, email).Scan(&version)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	} else if err != nil {
		return "", fmt.Errorf("storage: unable to fetch feed: %w", err)
	}
	return tickets.FeedToken(db.key, email, version), nil
}

// FindFeedEmail returns the attendee email whose feed token is token.
func (db *DB) FindFeedEmail(ctx context.Context, token string) (string, error) {
	if !tickets.ValidTokenShape(token) {
		return "", notFound("Feed")
	}
	var email string
	err := db.read.QueryRowContext(ctx, `SELECT email FROM feeds WHERE token_hash = ?`, tickets.HashToken(token)).Scan(&email)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound("Feed")
	} else if err != nil {
		return "", fmt.Errorf("storage: unable to fetch feed: %w", err)
	}
	return email, nil
}

// RevokeFeed replaces an attendee's feed token; the old one stops working.
func (db *DB) RevokeFeed(ctx context.Context, email string) (string, error) {
	var token string
	err := db.update(ctx, func(tx *Tx) error {
		var version int
		if err := tx.QueryRowContext(ctx, `SELECT version FROM feeds WHERE email = ?`, email).Scan(&version); errors.Is(err, sql.ErrNoRows) {
			return notFound("Feed")
		} else if err != nil {
			return fmt.Errorf("storage: unable to fetch feed: %w", err)
		}
		token = tickets.FeedToken(db.key, email, version+1)
		if _, err := tx.ExecContext(ctx, `UPDATE feeds SET version = ?, token_hash = ? WHERE email = ?`, version+1, tickets.HashToken(token), email); err != nil {
			return fmt.Errorf("storage: unable to revoke feed: %w", err)
		}
		db.ticketsChanged(tx) // cached feeds must stop answering the old token
		return nil
	})
	return token, err
}
