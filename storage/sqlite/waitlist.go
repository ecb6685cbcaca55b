package sqlite

import (
	"context"
	"fmt"

	"salon/events"
	"salon/storage"
	"salon/tickets"
)

// waitlistQuery reads the first waitlisted tickets of a salon.
const waitlistQuery = `SELECT id, email, lang, guests FROM tickets WHERE salon_id = ? AND status = 'waitlisted' ORDER BY id LIMIT ?`

// promote moves waitlisted parties to confirmed, first come first served,
// while the party at the head fits in the free seats, and queues a notice
// for each. A head that does not fit stops it: nobody behind jumps ahead.
func promote(ctx context.Context, tx *Tx, s *events.Salon) error {
	// Every party takes at least one seat, so no more than this many move.
	n := tickets.Promotions(s.Capacity, s.Confirmed, s.Waitlisted)
	if n == 0 {
		return nil
	}
	rows, err := tx.QueryContext(ctx, waitlistQuery, s.ID, n)
	if err != nil {
		return fmt.Errorf("storage: unable to read waitlist: %w", err)
	}
	type waiting struct {
		id          int64
		email, lang string
		guests      int
	}
	var ws []waiting
	seats := 0
	for rows.Next() {
		var w waiting
		if err := rows.Scan(&w.id, &w.email, &w.lang, &w.guests); err != nil {
			rows.Close()
			return fmt.Errorf("storage: unable to read waitlist: %w", err)
		}
		if !tickets.Fits(s.Capacity, s.Confirmed+seats, 1+w.guests) {
			break
		}
		ws, seats = append(ws, w), seats+1+w.guests
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("storage: unable to read waitlist: %w", err)
	}
	if len(ws) == 0 {
		return nil
	}
	for _, w := range ws {
		if _, err := tx.ExecContext(ctx, `UPDATE tickets SET status = 'confirmed', updated_at = ? WHERE id = ?`, tx.now.Unix(), w.id); err != nil {
			return fmt.Errorf("storage: unable to promote ticket: %w", err)
		}
		if err := enqueue(ctx, tx, tickets.NoticePromoted, s.ID, w.id, w.email, w.lang, 0, 0); err != nil {
			return err
		}
	}
	if err := addCounts(ctx, tx, s, seats, -seats, 0); err != nil {
		return err
	}
	for _, w := range ws {
		if err := ticketEvent(ctx, tx, s.ID, w.id, storage.EventTicketPromoted); err != nil {
			return err
		}
	}
	return nil
}

// countsQuery moves a salon's counts by a difference rather than writing
// absolutes read earlier, so the counts stay right whatever else changed the
// row in between; the schema's trigger refuses confirmed above capacity.
const countsQuery = `UPDATE salon_counts SET confirmed = confirmed + ?, waitlisted = waitlisted + ?, pending = pending + ?
	WHERE salon_id = ? RETURNING confirmed, waitlisted, pending`

// addCounts adds to s's confirmed, waitlisted and pending seat counts in
// the database, and sets s's to the row's new values.
func addCounts(ctx context.Context, tx *Tx, s *events.Salon, confirmed, waitlisted, pending int) error {
	if err := tx.QueryRowContext(ctx, countsQuery, confirmed, waitlisted, pending, s.ID).Scan(&s.Confirmed, &s.Waitlisted, &s.Pending); err != nil {
		return fmt.Errorf("storage: unable to update counts: %w", err)
	}
	return nil
}

// moveCounts moves a ticket of seats seats from status from to status to
// on s's counts.
func moveCounts(ctx context.Context, tx *Tx, s *events.Salon, from, to string, seats int) error {
	c0, w0, p0 := tickets.SeatCounts(from, seats)
	c1, w1, p1 := tickets.SeatCounts(to, seats)
	return addCounts(ctx, tx, s, c1-c0, w1-w0, p1-p0)
}

// notifyQuery queues a notice for every active ticket of a salon: pending
// ones too, who may yet come; declined ones have nothing to hear.
const notifyQuery = `INSERT INTO outbox (kind, salon_id, ticket_id, recipient, lang, payload, message_id, next_attempt_at, created_at)
	SELECT ?, salon_id, id, email, lang, ?, lower(hex(randomblob(16))), ?, ? FROM tickets
	WHERE salon_id = ? AND status NOT IN ('cancelled', 'declined') AND erased_at IS NULL ORDER BY id`

// notifyAttendees queues kind for every active ticket of s, all with the
// same payload, and returns how many it queued; a change notice's carries
// the change (old and new values).
func notifyAttendees(ctx context.Context, tx *Tx, s *events.Salon, kind string, change events.SalonChange) (int, error) {
	payload := tickets.NoticePayload(kind, 0, s.Sequence)
	if kind == tickets.NoticeSalonChanged {
		payload = tickets.SalonChangedPayload(s.Sequence, change)
	}
	res, err := tx.ExecContext(ctx, notifyQuery, kind, payload, tx.now.Unix(), tx.now.Unix(), s.ID)
	if err != nil {
		return 0, fmt.Errorf("storage: unable to queue %s notices: %w", kind, err)
	}
	tx.queuedMail()
	n, _ := res.RowsAffected()
	return int(n), nil
}
