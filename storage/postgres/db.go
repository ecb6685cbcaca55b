// Package postgres is the PostgreSQL backend of storage, for several Salon
// processes on one database. Every write is a transaction of its own on a
// pooled connection, except RSVPs, which each process combines into
// batches of one transaction (see rsvpBatcher); what SQLite's single
// writer gives for free is got here from row locks: each capacity
// decision locks its salon's row (SELECT … FOR UPDATE) and re-reads the
// counts under that lock, mail is claimed with FOR UPDATE SKIP LOCKED
// under a lease, and idempotency records and scan nonces are resolved with
// ON CONFLICT.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"salon/events"
	"salon/storage"
	"salon/tickets"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// DB is an open PostgreSQL store.
type DB struct {
	pool *sql.DB
	read *reader
	// key is the server secret manage and feed tokens derive from, shared
	// by every process through the settings table.
	key []byte

	changes    changes
	mailQueued atomic.Pointer[func()]
	closed     atomic.Bool
	// writes counts writes in progress, for Close.
	writes sync.WaitGroup
	// rsvps combines this process's RSVPs into batches; rsvpLanes, when
	// above zero (tests), is its number of lanes, and onRSVPBatch is told
	// of every batch committed.
	rsvps       rsvpBatcher
	rsvpLanes   int
	onRSVPBatch func(n int, mode string)

	// Clock is the store's clock (Now); tests replace it before use.
	Clock func() time.Time
	// Lease is how long a claimed message stays with its claimer; past it
	// the message is due again for any worker. Set before use.
	Lease       time.Duration
	observeWait func(time.Duration)
}

var _ storage.Store = (*DB)(nil)

// DefaultLease is how long a worker may hold a claimed message: far longer
// than an SMTP delivery takes, short enough that a crashed worker's mail
// goes out soon after.
const DefaultLease = 2 * time.Minute

// IsURL reports whether a --db value names a PostgreSQL database.
func IsURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// Open connects to the database at url, applies migrations under an
// advisory lock (so processes starting together migrate once), refuses a
// schema newer than this binary, and loads the server key.
func Open(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgconnConfig(url)
	if err != nil {
		return nil, err
	}
	pool := stdlib.OpenDB(*cfg)
	pool.SetMaxOpenConns(16)
	pool.SetMaxIdleConns(16)
	pool.SetConnMaxIdleTime(5 * time.Minute)
	db := &DB{pool: pool, read: &reader{pool}, Clock: time.Now, Lease: DefaultLease}
	if err := db.prepare(ctx, cfg.Config.Database); err != nil {
		pool.Close()
		return nil, err
	}
	return db, nil
}

func (db *DB) prepare(ctx context.Context, database string) error {
	if err := db.pool.PingContext(ctx); err != nil {
		return describeConnError(err, database)
	}
	if err := db.migrate(ctx); err != nil {
		return err
	}
	key, err := db.loadKey(ctx, "token_key")
	if err != nil {
		return err
	}
	db.key = key
	return nil
}

// loadKey returns the named 32-byte secret, making it the first time. Two
// processes starting at once both insert with ON CONFLICT DO NOTHING and
// then both read the one that won.
func (db *DB) loadKey(ctx context.Context, name string) ([]byte, error) {
	if _, err := db.pool.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`,
		name, tickets.RandomBytes(32)); err != nil {
		return nil, fmt.Errorf("storage: load %s: %w", name, err)
	}
	var key []byte
	if err := db.pool.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = $1`, name).Scan(&key); err != nil {
		return nil, fmt.Errorf("storage: load %s: %w", name, err)
	}
	return key, nil
}

// Close waits for the writes in progress and closes the pool. It is safe
// to call more than once.
func (db *DB) Close() error {
	if db.closed.Swap(true) {
		return nil
	}
	db.writes.Wait()
	db.rsvps.shutdown()
	return db.pool.Close()
}

// Now returns the store's time, from Clock.
func (db *DB) Now() time.Time { return db.Clock() }

// ObserveWriteWait sets f to be told how long each write waited for its
// connection and locks; set it before the first write.
func (db *DB) ObserveWriteWait(f func(time.Duration)) { db.observeWait = f }

// Key returns the server secret that tokens are derived from.
func (db *DB) Key() []byte { return db.key }

// Ping checks that the database answers a query.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	return db.pool.QueryRowContext(ctx, `SELECT 1`).Scan(&one)
}

// CheckWritable commits a one-row update, so a read-only server (a standby,
// default_transaction_read_only) or a full disk is found by /healthz.
func (db *DB) CheckWritable(ctx context.Context) error {
	err := db.update(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE health SET probes = probes + 1, probed_at = ? WHERE id = 1`, tx.now.Unix())
		return err
	})
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "25006":
			return fmt.Errorf("storage: cannot write to the database: %w", storage.ErrReadOnly)
		case "53100":
			return fmt.Errorf("storage: cannot write to the database: %w", storage.ErrFull)
		}
	}
	return err
}

// isUniqueViolation reports whether err is a unique constraint failure, by
// SQLSTATE, never by its text.
func isUniqueViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// notFound is the one answer for unknown and hidden things alike.
func notFound(what string) error {
	return events.Errorf(events.ENOTFOUND, "%s not found.", what)
}

// limitArg is a LIMIT's argument: NULL (no limit) for zero or less.
func limitArg(n int) any {
	if n <= 0 {
		return nil
	}
	return n
}
