package postgres

import (
	"context"
	"fmt"

	"salon/events"
)

// batchSalon is one salon of a batch as locked and then changed by the
// batch's RSVPs, or why it could not be read.
type batchSalon struct {
	s *events.Salon
	// lastPosition is the waitlist position of the batch's last
	// waitlisted RSVP for the salon, 0 before the first.
	lastPosition int
	err          error
	// deferred says the counts are moved in memory and written once, by
	// flushCounts; dc, dw and dp are what is to be added then.
	deferred   bool
	dc, dw, dp int
}

// addCounts moves the salon's counts by an RSVP's seats. Without
// savepoints they move in memory only, and flushCounts writes them once
// for the batch: one UPDATE of the salon's row per RSVP would leave a new
// version of the row each time, none of which can be pruned before the
// commit. With savepoints each RSVP writes its own, so that the schema's
// guard judges each alone.
func (bs *batchSalon) addCounts(ctx context.Context, tx *Tx, confirmed, waitlisted, pending int) error {
	if !bs.deferred {
		return addCounts(ctx, tx, bs.s, confirmed, waitlisted, pending)
	}
	bs.s.Confirmed, bs.s.Waitlisted, bs.s.Pending = bs.s.Confirmed+confirmed, bs.s.Waitlisted+waitlisted, bs.s.Pending+pending
	bs.dc, bs.dw, bs.dp = bs.dc+confirmed, bs.dw+waitlisted, bs.dp+pending
	return nil
}

// flushCountsQuery adds each salon's differences to its counts, in one
// statement for the whole batch; the schema's guard still judges each row.
const flushCountsQuery = `UPDATE salons SET confirmed = confirmed + d.c, waitlisted = waitlisted + d.w, pending = pending + d.p
	FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[]) AS d(id, c, w, p) WHERE salons.id = d.id
	RETURNING salons.id, salons.confirmed, salons.waitlisted, salons.pending`

// flushCounts writes the counts the batch moved in memory, and checks that
// the rows agree with them: under the batch's locks nobody else moved them.
func flushCounts(ctx context.Context, tx *Tx, salons map[string]*batchSalon) error {
	byID := map[int64]*batchSalon{}
	var ids, dc, dw, dp []int64
	for _, bs := range salons {
		if bs.deferred && (bs.dc != 0 || bs.dw != 0 || bs.dp != 0) {
			byID[bs.s.ID] = bs
			ids, dc, dw, dp = append(ids, bs.s.ID), append(dc, int64(bs.dc)), append(dw, int64(bs.dw)), append(dp, int64(bs.dp))
		}
	}
	if len(ids) == 0 {
		return nil
	}
	rows, err := tx.QueryContext(ctx, flushCountsQuery, ids, dc, dw, dp)
	if err != nil {
		return fmt.Errorf("storage: unable to update counts: %w", err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id int64
		var c, w, p int
		if err := rows.Scan(&id, &c, &w, &p); err != nil {
			return fmt.Errorf("storage: unable to update counts: %w", err)
		}
		bs := byID[id]
		if bs == nil || c != bs.s.Confirmed || w != bs.s.Waitlisted || p != bs.s.Pending {
			return fmt.Errorf("storage: salon %d counts %d/%d/%d differ from the batch's", id, c, w, p)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("storage: unable to update counts: %w", err)
	}
	if n != len(ids) {
		return fmt.Errorf("storage: %d of %d salons' counts updated", n, len(ids))
	}
	return nil
}

// lockSalons locks the salons the jobs name, in one statement and in id
// order, and returns them by slug.
// A slug with no salon has no entry.
func lockSalons(ctx context.Context, tx *Tx, jobs []*rsvpJob) (map[string]*batchSalon, error) {
	slugs := make([]string, 0, len(jobs))
	seen := make(map[string]bool, len(jobs))
	for _, j := range jobs {
		if !seen[j.r.Slug] {
			seen[j.r.Slug] = true
			slugs = append(slugs, j.r.Slug)
		}
	}
	salons := make(map[string]*batchSalon, len(slugs))
	rows, err := tx.QueryContext(ctx, lockRSVPSalons, slugs)
	if err != nil {
		return nil, fmt.Errorf("storage: unable to lock salons: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		s, err := scanRSVPSalon(rows)
		if s == nil {
			return nil, fmt.Errorf("storage: unable to lock salons: %w", err)
		} else if err != nil {
			// A salon whose questions cannot be read fails its own RSVPs,
			// not the others of the batch.
			salons[s.Slug] = &batchSalon{err: fmt.Errorf("storage: unable to fetch salon: %w", err)}
			continue
		}
		salons[s.Slug] = &batchSalon{s: s}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("storage: unable to lock salons: %w", err)
	}
	return salons, nil
}
