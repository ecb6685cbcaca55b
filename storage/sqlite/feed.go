package sqlite

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"

	"salon/tickets"
)

// feedQuery finds what an email's feed token is made of: the email's first
// ticket and the feed's version (1 until the feed is first revoked).
const feedQuery = `SELECT (SELECT MIN(id) FROM tickets WHERE email = ?),
	COALESCE((SELECT version FROM feeds WHERE email = ?), 1)`

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

// readFeedRaw is readFeed for a write, on the writer's driver connection
// (rawRow).
func readFeedRaw(ctx context.Context, tx *Tx, email string) (feedRef, error) {
	f := feedRef{email: email}
	var row [2]driver.Value
	found, err := tx.rawRow(ctx, feedQuery, row[:], email, email)
	if err == nil && !found {
		err = errors.New("no row")
	}
	var version int64
	if err == nil {
		f.first.Int64, f.first.Valid, err = rawInt64(row[0])
	}
	if err == nil {
		version, _, err = rawInt64(row[1])
		f.version = int(version)
	}
	if err != nil {
		return feedRef{}, fmt.Errorf("storage: unable to fetch feed: %w", err)
	}
	return f, nil
}

// feedToken derives the feed token from f, or "" when the email has no ticket.
// It needs no database, so writes read f inside the writer and call this
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
