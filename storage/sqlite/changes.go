package sqlite

import "sync/atomic"

// changes count committed writes, so that caches of rendered bodies (pages,
// calendar files) can tell cheaply whether what they rendered is still
// current. A cache must read the version BEFORE reading the data it renders:
// then a write that lands in between makes the entry look stale, never fresh.
type changes struct {
	salons  atomic.Uint64
	tickets atomic.Uint64
}

// SalonsVersion rises after every committed change to any salon.
func (db *DB) SalonsVersion() uint64 { return db.changes.salons.Load() }

// TicketsVersion rises after every committed change to any ticket (RSVP,
// cancellation, promotion, check-in).
func (db *DB) TicketsVersion() uint64 { return db.changes.tickets.Load() }

func (db *DB) salonsChanged(tx *Tx)  { tx.AfterCommit(func() { db.changes.salons.Add(1) }) }
func (db *DB) ticketsChanged(tx *Tx) { tx.AfterCommit(func() { db.changes.tickets.Add(1) }) }
