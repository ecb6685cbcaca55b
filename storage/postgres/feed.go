package postgres

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
//
// firstTicketOf is how it, and every RSVP, finds the first ticket: MIN of
// id + 0, not of id. With MIN(id) PostgreSQL may walk the primary key
// upwards until a row has the email, which for a new email is the whole
// table; it does so while tickets has no statistics yet (a new database,
// or one autovacuum has not analyzed since it grew), and an RSVP then cost
// milliseconds per ticket already stored. MIN(id + 0) can only be read
// through the index on email.
const feedQuery = `SELECT ` + firstTicketOf + `,
	COALESCE((SELECT version FROM feeds WHERE email = ?), 1)`

// firstTicketOf is the id of the first ticket of the email of its
// placeholder (see feedQuery).
const firstTicketOf = `(SELECT MIN(id + 0) FROM tickets WHERE email = ?)`

// feedRef is what an email's feed token is made of, as feedQuery reads it.
type feedRef struct {
	email   string
	first   sql.NullInt64
	version int
}

// readFeed reads email's feedRef through q (the read pool or a write
// transaction).
func readFeed(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, email string) (feedRef, error) {
	f := feedRef{email: email}
	if err := q.QueryRowContext(ctx, feedQuery, email, email).Scan(&f.first, &f.version); err != nil {
		return feedRef{}, fmt.Errorf("storage: unable to fetch feed: %w", err)
	}
	return f, nil
}

// feedToken derives the feed token from f, or "" when the email has no ticket.
// It needs no database, so writes read f inside their transaction and call this
// once they are done.
func (db *DB) feedToken(f feedRef) string {
	// Erased tickets share the empty email; they have no feed.
	if !f.first.Valid || f.email == "" {
		return ""
	}
	return tickets.FeedToken(db.key, f.first.Int64, f.email, f.version)
}

// FeedToken returns the current feed token of an attendee email, or "" when
// the email has no ticket.
func (db *DB) FeedToken(ctx context.Context, email string) (string, error) {
	f, err := readFeed(ctx, db.read, email)
	if err != nil {
		return "", err
	}
	return db.feedToken(f), nil
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
		// Two revocations at once must not both make the same version.
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtextextended(?, 1))`, email); err != nil {
			return fmt.Errorf("storage: unable to revoke feed: %w", err)
		}
		f, err := readFeed(ctx, tx, email)
		if err != nil {
			return err
		}
		if !f.first.Valid {
			return notFound("Feed")
		}
		// Derived here, not after the write: its hash is stored with it.
		f.version++
		token = db.feedToken(f)
		if _, err := tx.ExecContext(ctx, `INSERT INTO feeds (email, version, token_hash) VALUES (?, ?, ?)
			ON CONFLICT (email) DO UPDATE SET version = excluded.version, token_hash = excluded.token_hash`,
			email, f.version, tickets.HashToken(token)); err != nil {
			return fmt.Errorf("storage: unable to revoke feed: %w", err)
		}
		db.ticketsChanged(tx) // cached feeds must stop answering the old token
		return nil
	})
	return token, err
}
