package sqlite

import (
	"context"
	"database/sql"
	"strings"
	"sync"
)

// maxStmts bounds each pool's prepared statements. Storage's SQL texts are
// constants or joined from constant pieces (a filter adds its clause, never
// its value), so there are few of them; the bound only keeps a query whose
// text carried input, should one ever, from growing the cache without end
// (such a query is then run unprepared).
const maxStmts = 256

// stmtCache prepares each statement once per pool, keyed by its text.
// modernc's database/sql driver otherwise parses and compiles the SQL on
// every call, which was about a quarter of the writer's CPU.
type stmtCache struct {
	db *sql.DB
	mu sync.RWMutex
	m  map[string]*sql.Stmt
	// pending are queries met inside a write transaction, to prepare once
	// the writer's one connection is free again (preparing on the pool
	// while the transaction holds that connection would wait for ever).
	pending map[string]bool
}

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, m: make(map[string]*sql.Stmt), pending: make(map[string]bool)}
}

// lookup returns the prepared statement for query, or nil.
func (c *stmtCache) lookup(query string) *sql.Stmt {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.m[query]
}

// get returns the prepared statement for query, preparing it on a miss; nil
// when the cache is full or the query does not prepare (the caller then runs
// it plainly and gets the error there).
func (c *stmtCache) get(ctx context.Context, query string) *sql.Stmt {
	if st := c.lookup(query); st != nil {
		return st
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.prepareLocked(ctx, query)
}

func (c *stmtCache) prepareLocked(ctx context.Context, query string) *sql.Stmt {
	if st, ok := c.m[query]; ok {
		return st
	}
	if len(c.m) >= maxStmts {
		return nil
	}
	st, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	c.m[query] = st
	return st
}

// want notes query for preparePending.
func (c *stmtCache) want(query string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.pending) < maxStmts {
		c.pending[query] = true
	}
}

// preparePending prepares the queries noted by want; the writer calls it
// between batches, when its connection is free.
func (c *stmtCache) preparePending(ctx context.Context) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for q := range c.pending {
		c.prepareLocked(ctx, q)
		delete(c.pending, q)
	}
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, st := range c.m {
		st.Close()
		delete(c.m, q)
	}
}

// readPool is the pool of read-only connections. It has the methods of
// *sql.DB that storage uses, each running a statement prepared once per
// connection.
type readPool struct {
	*sql.DB
	stmts *stmtCache
}

// QueryRowContext runs a prepared query expected to return at most one row.
func (p *readPool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := p.stmts.get(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return p.DB.QueryRowContext(ctx, query, args...)
}

// QueryContext runs a prepared query.
func (p *readPool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := p.stmts.get(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return p.DB.QueryContext(ctx, query, args...)
}

// Close closes the prepared statements, then the pool.
func (p *readPool) Close() error {
	p.stmts.close()
	return p.DB.Close()
}

// stmt returns query prepared on the writer connection and bound to this
// batch's transaction, or nil to run it unprepared. Bound statements are
// kept for the batch, so each is bound once per commit, not once per write.
func (tx *Tx) stmt(ctx context.Context, query string) *sql.Stmt {
	st := tx.batch.stmts.lookup(query)
	if st == nil {
		tx.batch.stmts.want(query)
		return nil
	}
	if b, ok := tx.batch.bound[st]; ok {
		return b
	}
	b := tx.Tx.StmtContext(ctx, st)
	tx.batch.bound[st] = b
	return b
}

// The statements of a write run in the batch's one transaction, shared with
// other callers' writes. So they ignore the cancellation of the caller's
// context: modernc answers a cancelled context by interrupting the
// statement, and SQLite rolls back the whole transaction when a write
// statement is interrupted, which would fail every write of the batch.
// update checks the context before the write runs and, once it has run,
// waits for its real outcome anyway.

// ExecContext runs a write statement, prepared, in the batch's transaction.
// A statement that succeeds marks the write as one that may have changed
// rows; one that fails was undone by SQLite (a constraint aborts only its
// statement), or failed in a way needsUndo sees in the error.
func (tx *Tx) ExecContext(ctx context.Context, query string, args ...any) (res sql.Result, err error) {
	ctx = context.WithoutCancel(ctx)
	if st := tx.stmt(ctx, query); st != nil {
		res, err = st.ExecContext(ctx, args...)
	} else {
		res, err = tx.Tx.ExecContext(ctx, query, args...)
	}
	if err == nil {
		tx.wrote = true
	}
	return res, err
}

// mayWrite marks the write as one that may have changed rows unless query
// is a plain SELECT: an UPDATE … RETURNING is read through QueryRowContext,
// and so is any statement, whose error only its Scan tells.
func (tx *Tx) mayWrite(query string) {
	q := strings.TrimLeft(query, " \t\r\n")
	if len(q) < 6 || !strings.EqualFold(q[:6], "SELECT") {
		tx.wrote = true
	}
}

// QueryRowContext runs a prepared query in the batch's transaction.
func (tx *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	tx.mayWrite(query)
	ctx = context.WithoutCancel(ctx)
	if st := tx.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return tx.Tx.QueryRowContext(ctx, query, args...)
}

// QueryContext runs a prepared query in the batch's transaction.
func (tx *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	tx.mayWrite(query)
	ctx = context.WithoutCancel(ctx)
	if st := tx.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return tx.Tx.QueryContext(ctx, query, args...)
}
