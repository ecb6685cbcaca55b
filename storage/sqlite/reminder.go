package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"

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
// that no ticket of its range has had one. It returns how many were queued.
func (db *DB) QueueReminders(ctx context.Context) (int, error) {
	now := db.Clock().Unix()
	salons, err := db.dueReminderSalons(ctx, now)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, id := range salons {
		after := int64(0)
		for {
			var n, next int64
			// Apart from the salon cache: it reads only salon columns the
			// cache never changes (status, times, sequence) and writes only
			// the outbox, so RSVPs between the chunks keep their cache.
			err := db.updateApart(ctx, func(tx *Tx) error {
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
				// The payload is made by tickets.NoticePayload like every
				// other notice's.
				res, err := tx.ExecContext(ctx, remindersQuery, tickets.NoticeReminder,
					tickets.NoticePayload(tickets.NoticeReminder, 0, sequence), tx.now.Unix(), tx.now.Unix(),
					id, after, upTo, tickets.NoticeReminder)
				if err != nil {
					return fmt.Errorf("storage: unable to queue reminders: %w", err)
				}
				n, _ = res.RowsAffected()
				if n > 0 {
					tx.queuedMail()
				}
				return nil
			})
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

// dueReminderSalons lists the published salons whose reminder time has come
// at now and that have not started.
func (db *DB) dueReminderSalons(ctx context.Context, now int64) ([]int64, error) {
	rows, err := db.read.QueryContext(ctx, remindersDueQuery, now, now)
	if err != nil {
		return nil, fmt.Errorf("storage: unable to find due reminders: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("storage: unable to find due reminders: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("storage: unable to find due reminders: %w", err)
	}
	return ids, nil
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

// remindersQuery queues the reminders of one due salon's tickets in an id
// range: one for each active ticket that has not had one.
const remindersQuery = `INSERT INTO outbox (kind, salon_id, ticket_id, recipient, lang, payload, message_id, next_attempt_at, created_at)
	SELECT ?, t.salon_id, t.id, t.email, t.lang, ?, lower(hex(randomblob(16))), ?, ?
	FROM tickets t
	WHERE t.salon_id = ? AND t.id > ? AND t.id <= ? AND t.status IN ('confirmed', 'waitlisted') AND t.erased_at IS NULL
	  AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.ticket_id = t.id AND o.kind = ?)
	ORDER BY t.id`
