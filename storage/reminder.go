package storage

import (
	"context"
	"fmt"
)

// QueueReminders queues a reminder for every active ticket of a published
// salon whose reminder time has come and that has not had one: once per
// attendee, written in one transaction. It returns how many were queued.
func (db *DB) QueueReminders(ctx context.Context) (int, error) {
	var n int64
	err := db.update(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, remindersQuery,
			KindReminder, tx.now.Unix(), tx.now.Unix(), tx.now.Unix(), tx.now.Unix(), KindReminder)
		if err != nil {
			return fmt.Errorf("storage: unable to queue reminders: %w", err)
		}
		if n, _ = res.RowsAffected(); n > 0 {
			tx.queuedMail()
		}
		return nil
	})
	return int(n), err
}

// remindersQuery queues the reminders that are due.
const remindersQuery = `INSERT INTO outbox (kind, salon_id, ticket_id, recipient, lang, payload, message_id, next_attempt_at, created_at)
	SELECT ?, t.salon_id, t.id, t.email, t.lang, json_object('sequence', s.sequence), lower(hex(randomblob(16))), ?, ?
	FROM tickets t JOIN salons s ON s.id = t.salon_id
	WHERE s.status = 'published' AND t.status <> 'cancelled'
	  AND s.reminder_before > 0 AND s.starts_at - s.reminder_before <= ? AND s.starts_at > ?
	  AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.ticket_id = t.id AND o.kind = ?)
	ORDER BY t.id`
