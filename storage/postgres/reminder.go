package postgres

import (
	"context"
	"fmt"

	"salon/storage/internal/sqlscan"
	"salon/tickets"
)

// QueueReminders queues a reminder for every active ticket of a published
// salon whose reminder time has come and that has not had one: once per
// attendee, written in one transaction. It returns how many were queued.
// The unique index on reminders makes a run racing another process's skip
// the rows that one queued.
func (db *DB) QueueReminders(ctx context.Context) (int, error) {
	var n int64
	err := db.update(ctx, func(tx *Tx) error {
		type due struct {
			id       int64
			sequence int
		}
		rows, err := tx.QueryContext(ctx, remindersDueQuery, tx.now.Unix(), tx.now.Unix())
		if err != nil {
			return fmt.Errorf("storage: unable to find due reminders: %w", err)
		}
		salons, err := sqlscan.All(rows, func(d *due) []any { return []any{&d.id, &d.sequence} })
		if err != nil {
			return fmt.Errorf("storage: unable to find due reminders: %w", err)
		}
		// One INSERT per salon, so that each salon's payload is made by
		// tickets.NoticePayload like every other notice's.
		for _, d := range salons {
			res, err := tx.ExecContext(ctx, remindersQuery, tickets.NoticeReminder,
				tickets.NoticePayload(tickets.NoticeReminder, 0, d.sequence), tx.now.Unix(), tx.now.Unix(),
				d.id, tickets.NoticeReminder)
			if err != nil {
				return fmt.Errorf("storage: unable to queue reminders: %w", err)
			}
			k, _ := res.RowsAffected()
			n += k
		}
		if n > 0 {
			tx.queuedMail()
		}
		return nil
	})
	return int(n), err
}

// remindersDueQuery lists the published salons whose reminder time has come
// and that have not started.
const remindersDueQuery = `SELECT id, sequence FROM salons
	WHERE status = 'published' AND reminder_before > 0 AND starts_at - reminder_before <= ? AND starts_at > ?
	ORDER BY id`

// remindersQuery queues the reminders of one due salon: one for each active
// ticket that has not had one.
const remindersQuery = `INSERT INTO outbox (kind, salon_id, ticket_id, recipient, lang, payload, message_id, next_attempt_at, created_at)
	SELECT ?, t.salon_id, t.id, t.email, t.lang, ?, replace(gen_random_uuid()::text, '-', ''), ?, ?
	FROM tickets t
	WHERE t.salon_id = ? AND t.status IN ('confirmed', 'waitlisted') AND t.erased_at IS NULL
	  AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.ticket_id = t.id AND o.kind = ?)
	ORDER BY t.id
	ON CONFLICT (ticket_id) WHERE kind = 'reminder' DO NOTHING`
