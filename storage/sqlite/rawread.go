package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"sync"
)

// The writer's hottest reads (the feed of an RSVP's email, whether a party
// waits) run on the writer's driver connection itself, inside the open
// transaction, rather than through database/sql: a query inside a sql.Tx
// starts a goroutine per Rows to watch the transaction's context, and that
// goroutine, its wake-up and the Rows around it cost more than the query
// (7 of a feed read's 11 µs per RSVP in a profile under task bench). Only
// the writer goroutine uses the connection while it holds the batch's
// transaction, so nothing else touches it meanwhile.

// writerConnector opens the writer pool's one connection (the pool allows
// one) and remembers it for rawRow.
type writerConnector struct {
	dsn string
	drv driver.Driver
	mu  sync.Mutex
	// conn is the connection opened last: the only one the pool has.
	conn driver.Conn
}

func (c *writerConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.conn = conn
	c.mu.Unlock()
	return conn, nil
}

func (c *writerConnector) Driver() driver.Driver { return c.drv }

func (c *writerConnector) current() driver.Conn {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.conn
}

// openWriter opens the writer's pool of one connection through a
// writerConnector, with the driver sql.Open("sqlite") uses.
func openWriter(dsn string) (*sql.DB, *writerConnector, error) {
	probe, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, nil, err
	}
	drv := probe.Driver()
	probe.Close()
	wc := &writerConnector{dsn: dsn, drv: drv}
	return sql.OpenDB(wc), wc, nil
}

// rawStmts are statements prepared on the writer's driver connection, kept
// while it is the same connection. Only the writer goroutine uses them.
type rawStmts struct {
	wc    *writerConnector
	conn  driver.Conn
	stmts map[string]driver.Stmt
}

func (r *rawStmts) get(ctx context.Context, query string) (driver.Stmt, error) {
	conn := r.wc.current()
	if conn == nil {
		return nil, errors.New("storage: the writer has no connection")
	}
	if conn != r.conn {
		// The pool opened a new connection: the old one's statements went
		// with it.
		r.conn, r.stmts = conn, make(map[string]driver.Stmt)
	}
	if st, ok := r.stmts[query]; ok {
		return st, nil
	}
	cp, ok := conn.(driver.ConnPrepareContext)
	if !ok {
		return nil, errors.New("storage: the driver cannot prepare with a context")
	}
	st, err := cp.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	// Kept without a bound: rawRow's queries are constants, a handful.
	r.stmts[query] = st
	return st, nil
}

func (r *rawStmts) close() {
	for q, st := range r.stmts {
		st.Close()
		delete(r.stmts, q)
	}
}

// rawRow runs query, a SELECT, in the batch's transaction on the driver
// connection, and reads its first row into dest; false when it has none.
// Values come as the driver gives them (int64, float64, string, []byte,
// nil).
func (tx *Tx) rawRow(ctx context.Context, query string, dest []driver.Value, args ...any) (bool, error) {
	st, err := tx.batch.raw.get(ctx, query)
	if err != nil {
		return false, err
	}
	sq, ok := st.(driver.StmtQueryContext)
	if !ok {
		return false, errors.New("storage: the driver cannot query with a context")
	}
	named := make([]driver.NamedValue, len(args))
	for i, a := range args {
		named[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
	}
	rows, err := sq.QueryContext(context.WithoutCancel(ctx), named)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	if err := rows.Next(dest); errors.Is(err, io.EOF) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	return true, nil
}

// rawInt64 is a driver value read as an integer: ok is false for NULL.
func rawInt64(v driver.Value) (n int64, ok bool, err error) {
	switch v := v.(type) {
	case nil:
		return 0, false, nil
	case int64:
		return v, true, nil
	default:
		return 0, false, fmt.Errorf("storage: %T where an integer was expected", v)
	}
}
