package sqlite

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"strconv"

	"salon/events"
)

// maxCachedSalons bounds the writer's salon cache; past it the cache starts
// again empty, so a database of many salons cannot grow it without end.
const maxCachedSalons = 4096

// salonCache is what the single writer remembers between RSVPs: each salon's
// RSVP columns (rsvpSalonColumns) with its seat counts as they stand in the
// open batch, and who subscribed to its webhook events. An RSVP storm then
// reads neither per RSVP, and a salon's counts are written once per batch
// (flush) rather than once per RSVP.
//
// Only the writer goroutine touches it, so it needs no lock. It is only
// trusted while every write since it was filled went through it: a write
// that does not (see writeJob.cached) has the counts flushed before it runs
// and the cache emptied after, and so has every batch that rolls back, runs
// again or fails to commit, and every batch that begins after another
// connection committed (PRAGMA data_version).
type salonCache struct {
	bySlug map[string]*cachedSalon
	// dirty are the salons whose counts changed in the open batch and are
	// not yet written.
	dirty map[int64]*cachedSalon
	hooks map[hookKey][]int64
	// dataVersion is PRAGMA data_version when the cache was last checked.
	dataVersion int64
	// misses counts salon reads that went to the database, for tests and
	// benchmarks.
	misses int64
}

type hookKey struct {
	salonID int64
	event   string
}

type cachedSalon struct {
	s events.Salon
	// dc, dw and dp are the changes to confirmed, waitlisted and pending
	// not yet written to the salon's row.
	dc, dw, dp int
}

// countChange is one write's change to a cached salon's counts, undone when
// that write fails alone (under its savepoint).
type countChange struct {
	c          *cachedSalon
	dc, dw, dp int
}

func newSalonCache() *salonCache {
	return &salonCache{bySlug: make(map[string]*cachedSalon), dirty: make(map[int64]*cachedSalon),
		hooks: make(map[hookKey][]int64), dataVersion: -1}
}

// reset forgets everything, including changes not yet written: the caller
// has rolled them back or is about to.
func (c *salonCache) reset() {
	clear(c.bySlug)
	clear(c.dirty)
	clear(c.hooks)
}

// checkVersion empties the cache when another connection committed since the
// last check, so that a change made outside this writer is seen.
func (c *salonCache) checkVersion(ctx context.Context, tx *Tx) error {
	var row [1]driver.Value
	found, err := tx.rawRow(ctx, `PRAGMA data_version`, row[:])
	var v int64
	if err == nil && found {
		v, _, err = rawInt64(row[0])
	} else if err == nil {
		err = errors.New("no row")
	}
	if err != nil {
		return fmt.Errorf("storage: data version: %w", err)
	}
	if v != c.dataVersion {
		c.reset()
		c.dataVersion = v
	}
	return nil
}

// flushCountsQuery writes the batch's count changes, given as a JSON array
// of [salon id, confirmed, waitlisted, pending] changes, in one statement:
// one UPDATE per salon cost the writer 3 µs per RSVP (a batch of RSVPs
// touches a salon each) in statement round trips. The count guard trigger
// checks each row as it did per RSVP, and a refusal aborts the statement
// whole.
const flushCountsQuery = `UPDATE salon_counts SET confirmed = confirmed + d.dc, waitlisted = waitlisted + d.dw, pending = pending + d.dp
	FROM (SELECT value ->> 0 AS id, value ->> 1 AS dc, value ->> 2 AS dw, value ->> 3 AS dp FROM json_each(?)) AS d
	WHERE salon_counts.salon_id = d.id`

// flush writes the counts changed in the open batch to their salons' rows.
// On an error nothing is written and the changes stay as they were.
func (c *salonCache) flush(ctx context.Context, tx *Tx) error {
	changes := []byte{'['}
	for id, e := range c.dirty {
		if e.dc == 0 && e.dw == 0 && e.dp == 0 {
			continue
		}
		if len(changes) > 1 {
			changes = append(changes, ',')
		}
		changes = append(changes, '[')
		changes = strconv.AppendInt(changes, id, 10)
		for _, d := range [3]int{e.dc, e.dw, e.dp} {
			changes = append(changes, ',')
			changes = strconv.AppendInt(changes, int64(d), 10)
		}
		changes = append(changes, ']')
	}
	changes = append(changes, ']')
	if len(changes) > 2 {
		if _, err := tx.ExecContext(ctx, flushCountsQuery, string(changes)); err != nil {
			return fmt.Errorf("storage: unable to update counts: %w", err)
		}
	}
	for _, e := range c.dirty {
		e.dc, e.dw, e.dp = 0, 0, 0
	}
	clear(c.dirty)
	return nil
}

// undo takes back one failed write's count changes.
func (c *salonCache) undo(changes []countChange) {
	for i := len(changes) - 1; i >= 0; i-- {
		ch := changes[i]
		ch.c.s.Confirmed -= ch.dc
		ch.c.s.Waitlisted -= ch.dw
		ch.c.s.Pending -= ch.dp
		ch.c.dc -= ch.dc
		ch.c.dw -= ch.dw
		ch.c.dp -= ch.dp
	}
}

// rsvpSalon returns a copy of the RSVP columns of the salon slug names, with
// its counts as they stand in the open batch, reading the row only the first
// time. A write that changes the counts must do so through addCachedCounts.
func (tx *Tx) rsvpSalon(ctx context.Context, slug string) (*events.Salon, error) {
	c := tx.cache
	if e, ok := c.bySlug[slug]; ok {
		s := e.s
		return &s, nil
	}
	s, err := scanRSVPSalon(tx.QueryRowContext(ctx, rsvpSalonColumns, slug))
	c.misses++
	if err != nil {
		return nil, err
	}
	// Past maxCachedSalons the cache starts again at the next batch.
	c.bySlug[slug] = &cachedSalon{s: *s}
	cp := *s
	return &cp, nil
}

// errCountsOutOfBounds is what the count guard trigger would have raised.
var errCountsOutOfBounds = errors.New("storage: salon counts out of bounds: confirmed above capacity or below zero")

// addCachedCounts adds to s's counts, in the cache and in s, to be written
// with the batch; it refuses what the count guard trigger refuses.
func (tx *Tx) addCachedCounts(s *events.Salon, confirmed, waitlisted, pending int) error {
	c := tx.cache
	e, ok := c.bySlug[s.Slug]
	if !ok || e.s.ID != s.ID {
		return fmt.Errorf("storage: salon %d is not in the writer's cache", s.ID)
	}
	nc, nw, np := e.s.Confirmed+confirmed, e.s.Waitlisted+waitlisted, e.s.Pending+pending
	if (confirmed > 0 && nc > e.s.Capacity) || nc < 0 || nw < 0 || np < 0 {
		return errCountsOutOfBounds
	}
	e.s.Confirmed, e.s.Waitlisted, e.s.Pending = nc, nw, np
	e.dc += confirmed
	e.dw += waitlisted
	e.dp += pending
	c.dirty[e.s.ID] = e
	tx.counts = append(tx.counts, countChange{c: e, dc: confirmed, dw: waitlisted, dp: pending})
	// The change is the write's as much as a statement's would be: a failure
	// after it must undo it (needsUndo).
	tx.wrote = true
	s.Confirmed, s.Waitlisted, s.Pending = nc, nw, np
	return nil
}

// cachedSubscribers returns the webhooks subscribed to event for salonID, as
// emitWebhook finds them, reading them only the first time.
func (tx *Tx) cachedSubscribers(ctx context.Context, salonID int64, event string) ([]int64, error) {
	k := hookKey{salonID, event}
	if hooks, ok := tx.cache.hooks[k]; ok {
		return hooks, nil
	}
	hooks, err := subscribers(ctx, tx, salonID, event)
	if err != nil {
		return nil, err
	}
	if len(tx.cache.hooks) >= maxCachedSalons {
		clear(tx.cache.hooks)
	}
	tx.cache.hooks[k] = hooks
	return hooks, nil
}
