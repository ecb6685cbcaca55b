package postgres

import (
	"context"
	"fmt"

	"salon/events"
	"salon/storage"
	"salon/tickets"
)

// waitlistQuery reads the first waitlisted tickets of a salon.
const waitlistQuery = `SELECT id, email, lang FROM tickets WHERE salon_id = ? AND status = 'waitlisted' ORDER BY id LIMIT ?`

// promote moves waitlisted tickets to confirmed, first come first served,
// while the salon has free seats, and queues a notice for each.
func promote(ctx context.Context, tx *Tx, s *events.Salon) error {
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
	}
	var ws []waiting
	for rows.Next() {
		var w waiting
		if err := rows.Scan(&w.id, &w.email, &w.lang); err != nil {
			rows.Close()
			return fmt.Errorf("storage: unable to read waitlist: %w", err)
		}
		ws = append(ws, w)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("storage: unable to read waitlist: %w", err)
	}
	for _, w := range ws {
		if _, err := tx.ExecContext(ctx, `UPDATE tickets SET status = 'confirmed', updated_at = ? WHERE id = ?`, tx.now.Unix(), w.id); err != nil {
			return fmt.Errorf("storage: unable to promote ticket: %w", err)
		}
		if err := enqueue(ctx, tx, tickets.NoticePromoted, s.ID, w.id, w.email, w.lang, 0, 0); err != nil {
			return err
		}
	}
	if err := addCounts(ctx, tx, s, len(ws), -len(ws)); err != nil {
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
const countsQuery = `UPDATE salons SET confirmed = confirmed + ?, waitlisted = waitlisted + ? WHERE id = ? RETURNING confirmed, waitlisted`

// addCounts adds to s's confirmed and waitlisted counts in the database,
// and sets s's to the row's new values.
func addCounts(ctx context.Context, tx *Tx, s *events.Salon, confirmed, waitlisted int) error {
	if err := tx.QueryRowContext(ctx, countsQuery, confirmed, waitlisted, s.ID).Scan(&s.Confirmed, &s.Waitlisted); err != nil {
		return fmt.Errorf("storage: unable to update counts: %w", err)
	}
	return nil
}

// notifyQuery queues a notice for every active ticket of a salon.
const notifyQuery = `INSERT INTO outbox (kind, salon_id, ticket_id, recipient, lang, payload, message_id, next_attempt_at, created_at)
	SELECT ?, salon_id, id, email, lang, ?, replace(gen_random_uuid()::text, '-', ''), ?, ? FROM tickets
	WHERE salon_id = ? AND status <> 'cancelled' AND erased_at IS NULL ORDER BY id`

// notifyAttendees queues kind for every active ticket of s, all with the
// same payload; a change notice's carries the change (old and new values).
func notifyAttendees(ctx context.Context, tx *Tx, s *events.Salon, kind string, change events.SalonChange) error {
	payload := tickets.NoticePayload(kind, 0, s.Sequence)
	if kind == tickets.NoticeSalonChanged {
		payload = tickets.SalonChangedPayload(s.Sequence, change)
	}
	if _, err := tx.ExecContext(ctx, notifyQuery, kind, payload, tx.now.Unix(), tx.now.Unix(), s.ID); err != nil {
		return fmt.Errorf("storage: unable to queue %s notices: %w", kind, err)
	}
	tx.queuedMail()
	return nil
}
