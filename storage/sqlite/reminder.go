package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"

	"salon/storage/internal/sqlscan"
	"salon/tickets"
)

// reminderChunk bounds the tickets one write queues reminders for. The
// writer runs one write at a time, and a 20,000-ticket salon's reminders
// queued in one write held it for 270 ms: every RSVP and health probe
// waited behind it, at start-up too (the start-up row of the speed table
// read 501.7 and 519.1 ms for that reason).
var reminderChunk = 500

// QueueReminders queues a reminder for every active ticket of a published
// salon whose reminder time has come and that has not had one: once per
// attendee. A salon's reminders are queued in writes of reminderChunk
// tickets at most, each checking again that the salon is still due and
// that no ticket of its range has had one. Which salons are due, and from
// which ticket on one still lacks its reminder, is read on a reader, so a
// look (every minute) that finds nothing to queue writes nothing. It
// returns how many were queued.
func (db *DB) QueueReminders(ctx context.Context) (int, error) {
	now := db.Clock().Unix()
	rows, err := db.read.QueryContext(ctx, remindersDueQuery, now, now)
	if err != nil {
		return 0, fmt.Errorf("storage: unable to find due reminders: %w", err)
	}
	salons, err := sqlscan.All(rows, func(id *int64) []any { return []any{id} })
	if err != nil {
		return 0, fmt.Errorf("storage: unable to find due reminders: %w", err)
	}
	total := 0
	for _, id := range salons {
		after := int64(0)
		for {
			var first sql.NullInt64
			if err := db.read.QueryRowContext(ctx, reminderFirstQuery, id, after, tickets.NoticeReminder).Scan(&first); err != nil {
				return total, fmt.Errorf("storage: unable to find due reminders: %w", err)
			}
			if !first.Valid {
				break // every active ticket of the salon has its reminder
			}
			after = first.Int64 - 1
			n, next, err := db.queueReminderChunk(ctx, id, after)
			if err != nil {
				return total, err
			}
			total += int(n)
			if next == 0 {
				break
			}
			after = next
		}
	}
	return total, nil
}

// queueReminderChunk queues the reminders of salon id's next reminderChunk
// tickets after ticket id after, in one write, and returns how many it
// queued and the last ticket id of the chunk (0 when it reached the
// salon's last ticket, or the salon is no longer due).
func (db *DB) queueReminderChunk(ctx context.Context, id, after int64) (n, next int64, err error) {
	// Apart from the salon cache: it reads only salon columns the cache
	// never changes (status, times, sequence) and writes only the outbox,
	// so RSVPs between the chunks keep their cache.
	err = db.updateApart(ctx, func(tx *Tx) error {
		n, next = 0, 0 // set afresh if the write runs again
		var sequence int
		err := tx.QueryRowContext(ctx, reminderSalonQuery, id, tx.now.Unix(), tx.now.Unix()).Scan(&sequence)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // no longer due: cancelled, moved or started
		} else if err != nil {
			return fmt.Errorf("storage: unable to check a salon's reminders: %w", err)
		}
		upTo := int64(math.MaxInt64)
		err = tx.QueryRowContext(ctx, reminderChunkEnd, id, after, reminderChunk-1).Scan(&upTo)
		if err == nil {
			next = upTo
		} else if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("storage: unable to find due reminders: %w", err)
		}
		// The payload is made by tickets.NoticePayload like every other
		// notice's.
		res, err := tx.ExecContext(ctx, remindersQuery, tickets.NoticeReminder,
			tickets.NoticePayload(tickets.NoticeReminder, 0, sequence), tx.now.Unix(), tx.now.Unix(),
			id, after, tickets.NoticeReminder, upTo)
		if err != nil {
			return fmt.Errorf("storage: unable to queue reminders: %w", err)
		}
		n, _ = res.RowsAffected()
		if n > 0 {
			tx.queuedMail()
		}
		return nil
	})
	return n, next, err
}

// remindersDueQuery lists the published salons whose reminder time has come
// and that have not started.
const remindersDueQuery = `SELECT id FROM salons
	WHERE status = 'published' AND reminder_before > 0 AND starts_at - reminder_before <= ? AND starts_at > ?
	ORDER BY id`

// reminderSalonQuery is remindersDueQuery for one salon, with its sequence.
const reminderSalonQuery = `SELECT sequence FROM salons
	WHERE id = ? AND status = 'published' AND reminder_before > 0 AND starts_at - reminder_before <= ? AND starts_at > ?`

// reminderChunkEnd is the id of the last ticket of the salon's next chunk
// after a ticket id (the chunk's size less one is the OFFSET); no row when
// fewer tickets are left.
const reminderChunkEnd = `SELECT id FROM tickets WHERE salon_id = ? AND id > ? ORDER BY id LIMIT 1 OFFSET ?`

// reminderLacking selects the active tickets of a salon after a ticket id
// that have had no reminder (salon id, ticket id, reminder kind).
const reminderLacking = `t.salon_id = ? AND t.id > ? AND t.status IN ('confirmed', 'waitlisted') AND t.erased_at IS NULL
	  AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.ticket_id = t.id AND o.kind = ?)`

// reminderFirstQuery is the first ticket reminderLacking selects, NULL for
// none.
const reminderFirstQuery = `SELECT MIN(t.id) FROM tickets t WHERE ` + reminderLacking

// remindersQuery queues a reminder for each ticket reminderLacking selects
// up to a ticket id.
const remindersQuery = `INSERT INTO outbox (kind, salon_id, ticket_id, recipient, lang, payload, message_id, next_attempt_at, created_at)
	SELECT ?, t.salon_id, t.id, t.email, t.lang, ?, lower(hex(randomblob(16))), ?, ?
	FROM tickets t
	WHERE ` + reminderLacking + ` AND t.id <= ?
	ORDER BY t.id`
