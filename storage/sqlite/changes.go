package sqlite

import (
	"context"
	"sync/atomic"
	"time"
)

// changesPoll bounds how long a change committed by another process on the
// same file may go unseen: the counters are read from the file at most this
// often. This process's own commits are seen at once.
const changesPoll = 100 * time.Millisecond

// changes mirror the counters of the changes table, so that caches of
// rendered bodies (pages, calendar files) can tell cheaply whether what
// they rendered is still current. A cache must read the version BEFORE
// reading the data it renders: then a write that lands in between makes the
// entry look stale, never fresh.
type changes struct {
	salons  atomic.Uint64
	tickets atomic.Uint64
	// readAt is when the counters were last read from the file (UnixNano).
	readAt atomic.Int64
}

// raise sets a mirror to v unless it already holds more.
func raise(c *atomic.Uint64, v uint64) {
	for {
		old := c.Load()
		if v <= old || c.CompareAndSwap(old, v) {
			return
		}
	}
}

// SalonsVersion rises after every committed change to any salon, by any
// process writing the file.
func (db *DB) SalonsVersion() uint64 { db.pollChanges(); return db.changes.salons.Load() }

// TicketsVersion rises after every committed change to any ticket (RSVP,
// cancellation, promotion, check-in), by any process writing the file.
func (db *DB) TicketsVersion() uint64 { db.pollChanges(); return db.changes.tickets.Load() }

// pollChanges reads the counters from the file when the mirror is older
// than changesPoll; one caller reads, the others use the mirror. A failed
// read is tried again by the next caller.
func (db *DB) pollChanges() {
	now := time.Now().UnixNano()
	last := db.changes.readAt.Load()
	if now-last < int64(changesPoll) || !db.changes.readAt.CompareAndSwap(last, now) {
		return
	}
	var salons, tickets uint64
	err := db.read.QueryRowContext(context.Background(), `SELECT
		(SELECT version FROM changes WHERE name = 'salons'), (SELECT version FROM changes WHERE name = 'tickets')`).Scan(&salons, &tickets)
	if err != nil {
		db.changes.readAt.Store(last)
		return
	}
	raise(&db.changes.salons, salons)
	raise(&db.changes.tickets, tickets)
}

func (db *DB) salonsChanged(tx *Tx)  { tx.salons = true }
func (db *DB) ticketsChanged(tx *Tx) { tx.tickets = true }

// countChanges raises the changes rows once for a batch whose committed
// writes changed salons or tickets, inside the batch's transaction, and
// returns the new versions (0 for a row not raised).
func countChanges(ctx context.Context, tx *Tx, salons, tickets bool) (sv, tv uint64, err error) {
	if salons {
		if err := tx.QueryRowContext(ctx, `UPDATE changes SET version = version + 1 WHERE name = 'salons' RETURNING version`).Scan(&sv); err != nil {
			return 0, 0, err
		}
	}
	if tickets {
		if err := tx.QueryRowContext(ctx, `UPDATE changes SET version = version + 1 WHERE name = 'tickets' RETURNING version`).Scan(&tv); err != nil {
			return 0, 0, err
		}
	}
	return sv, tv, nil
}
