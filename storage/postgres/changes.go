package postgres

import (
	"context"
	"sync/atomic"
	"time"
)

// changesPoll bounds how long a change committed by another process may go
// unseen: the counters are read from the database at most this often. This
// process's own commits are seen at once.
const changesPoll = 100 * time.Millisecond

// changes mirror the database's change counters (the sequences
// salons_version and tickets_version). A counter is raised after the
// commit of a change, never before: a cache reads the version before its
// data, so a version it saw can only be older than the data, never newer.
type changes struct {
	salons, tickets atomic.Uint64
	readAt          atomic.Int64
}

func raise(c *atomic.Uint64, v uint64) {
	for {
		old := c.Load()
		if v <= old || c.CompareAndSwap(old, v) {
			return
		}
	}
}

// SalonsVersion rises after every committed change to any salon, by any
// process on the database.
func (db *DB) SalonsVersion() uint64 { db.pollChanges(); return db.changes.salons.Load() }

// TicketsVersion rises after every committed change to any ticket, by any
// process on the database.
func (db *DB) TicketsVersion() uint64 { db.pollChanges(); return db.changes.tickets.Load() }

const versionsQuery = `SELECT (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM salons_version),
	(SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM tickets_version)`

func (db *DB) pollChanges() {
	now := time.Now().UnixNano()
	last := db.changes.readAt.Load()
	if now-last < int64(changesPoll) || !db.changes.readAt.CompareAndSwap(last, now) {
		return
	}
	var s, t int64
	if err := db.pool.QueryRowContext(context.Background(), versionsQuery).Scan(&s, &t); err != nil {
		db.changes.readAt.Store(last)
		return
	}
	raise(&db.changes.salons, uint64(s))
	raise(&db.changes.tickets, uint64(t))
}

func (db *DB) salonsChanged(tx *Tx)  { tx.salons = true }
func (db *DB) ticketsChanged(tx *Tx) { tx.tickets = true }

// afterCommit raises the counters a committed write changed and wakes this
// process's mail worker. A failed raise is only a cache served a little
// longer: the next change or poll raises past it.
func (db *DB) afterCommit(ctx context.Context, tx *Tx) {
	if tx.salons {
		var v int64
		if err := db.pool.QueryRowContext(ctx, `SELECT nextval('salons_version')`).Scan(&v); err == nil {
			raise(&db.changes.salons, uint64(v))
		}
	}
	if tx.tickets {
		var v int64
		if err := db.pool.QueryRowContext(ctx, `SELECT nextval('tickets_version')`).Scan(&v); err == nil {
			raise(&db.changes.tickets, uint64(v))
		}
	}
	if tx.mail {
		if f := db.mailQueued.Load(); f != nil {
			(*f)()
		}
	}
}

// OnMailQueued registers f to run after every commit through this store
// that queued mail. Other processes' mail is found by the worker's poll.
func (db *DB) OnMailQueued(f func()) { db.mailQueued.Store(&f) }
