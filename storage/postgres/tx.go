package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"salon/storage"
)

// Tx is one write's transaction. Queries are written with ? placeholders,
// as in the SQLite backend, and numbered for PostgreSQL on their way.
type Tx struct {
	tx  *sql.Tx
	now time.Time
	// mail, salons and tickets are set by a write that queued mail or
	// changed salons or tickets, for what runs after its commit.
	mail, salons, tickets bool
	// writes counts the statements that may have written, so a batch can
	// tell an RSVP refused before writing anything (see rsvpBatchTx).
	writes int
	// hooks, when not nil, keeps the webhooks subscribed to an event of a
	// salon as first read in this transaction (see emitWebhook).
	hooks map[hookKey][]int64
}

// hookKey names the subscribers of one event type of one salon.
type hookKey struct {
	salonID   int64
	eventType string
}

// errRetry asks update to run the write again in a new transaction: it
// lost a race that a fresh snapshot resolves (an ON CONFLICT that found
// the other writer's row).
var errRetry = errors.New("storage: retry")

// maxAttempts bounds how often a write is retried after a serialisation
// failure, a deadlock or errRetry.
const maxAttempts = 8

// update runs fn in a transaction of its own and commits it, retrying on a
// deadlock or serialisation failure. Once begun, the write runs to its real
// outcome even if the caller's context ends, so a committed RSVP is never
// answered as failed; the context is checked before it begins.
func (db *DB) update(ctx context.Context, fn func(*Tx) error) error {
	if db.closed.Load() {
		return storage.ErrClosed
	}
	db.writes.Add(1)
	defer db.writes.Done()
	if err := ctx.Err(); err != nil {
		return err
	}
	wctx := context.WithoutCancel(ctx)
	start := time.Now()
	var err error
	for attempt := 0; attempt < maxAttempts; attempt++ {
		var tx *Tx
		tx, err = db.runTx(wctx, fn, start)
		if err == nil {
			db.afterCommit(wctx, tx)
			return nil
		}
		if !retryable(err) {
			return err
		}
	}
	return fmt.Errorf("storage: write kept conflicting: %w", err)
}

func (db *DB) runTx(ctx context.Context, fn func(*Tx) error, start time.Time) (*Tx, error) {
	sqlTx, err := db.pool.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("storage: begin write: %w", err)
	}
	defer sqlTx.Rollback()
	if db.observeWait != nil {
		db.observeWait(time.Since(start))
	}
	tx := &Tx{tx: sqlTx, now: db.Now().UTC().Truncate(time.Second)}
	if err := runFn(fn, tx); err != nil {
		return nil, err
	}
	if err := sqlTx.Commit(); err != nil {
		return nil, fmt.Errorf("storage: commit: %w", err)
	}
	return tx, nil
}

// runFn runs one write, turning a panic into an error.
func runFn(fn func(*Tx) error, tx *Tx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("storage: write panicked: %v", r)
		}
	}()
	return fn(tx)
}

func retryable(err error) bool {
	if errors.Is(err, errRetry) {
		return true
	}
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
}

// ExecContext runs a write statement in the transaction.
func (tx *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	tx.writes++
	return tx.tx.ExecContext(ctx, rebind(query), args...)
}

// QueryRowContext runs a query expected to return at most one row.
func (tx *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	tx.countWrite(query)
	return tx.tx.QueryRowContext(ctx, rebind(query), args...)
}

// QueryContext runs a query in the transaction.
func (tx *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	tx.countWrite(query)
	return tx.tx.QueryContext(ctx, rebind(query), args...)
}

// countWrite counts query as a write unless it is a plain SELECT (an
// INSERT … RETURNING or a WITH may write).
func (tx *Tx) countWrite(query string) {
	q := strings.TrimLeft(query, " \t\n")
	if len(q) < 6 || !strings.EqualFold(q[:6], "SELECT") {
		tx.writes++
	}
}

// queuedMail marks this write as one that queued mail.
func (tx *Tx) queuedMail() { tx.mail = true }

// reader runs reads on the pool, with ? placeholders like Tx.
type reader struct{ db *sql.DB }

// QueryRowContext runs a query expected to return at most one row.
func (r *reader) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return r.db.QueryRowContext(ctx, rebind(query), args...)
}

// QueryContext runs a query.
func (r *reader) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return r.db.QueryContext(ctx, rebind(query), args...)
}

// rebound caches rebind's answers: the queries are constants or joined
// from constant pieces, so there are few of them.
var rebound sync.Map

// rebind numbers a query's ? placeholders $1, $2, … None of storage's SQL
// has a ? inside a string literal.
func rebind(q string) string {
	if v, ok := rebound.Load(q); ok {
		return v.(string)
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	out := b.String()
	rebound.Store(q, out)
	return out
}
