package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"time"

	"salon/events"
	"salon/storage"
)

// outboxColumns is the column list scanMessage expects, in its order.
const outboxColumns = `id, kind, COALESCE(salon_id, 0), COALESCE(ticket_id, 0), recipient, lang, payload, message_id,
	status, attempts, next_attempt_at, last_error, created_at, sent_at, claim`

// ClaimMessages hands out up to limit messages that are due, oldest first,
// marking them sending (and counting the attempt) in the same write. Because
// every write goes through the single writer, two callers can never claim the
// same message.
func (db *DB) ClaimMessages(ctx context.Context, limit int) ([]*storage.Message, error) {
	if limit <= 0 {
		return nil, nil
	}
	var out []*storage.Message
	err := db.updateApart(ctx, func(tx *Tx) error {
		out = out[:0]
		rows, err := tx.QueryContext(ctx, `UPDATE outbox SET status = ?, attempts = attempts + 1, claim = claim + 1
			WHERE id IN (SELECT id FROM outbox WHERE status = ? AND next_attempt_at <= ? ORDER BY id LIMIT ?)
			RETURNING `+outboxColumns, storage.OutboxSending, storage.OutboxQueued, tx.now.Unix(), limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			m, err := scanMessage(rows)
			if err != nil {
				return err
			}
			out = append(out, m)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("storage: unable to claim outbox messages: %w", err)
	}
	// RETURNING promises no order; senders rely on oldest first.
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// MarkSent records that the server accepted the message.
// An email link's mail forgets its link then: the link lives nowhere else.
func (db *DB) MarkSent(ctx context.Context, id, claim int64) error {
	return db.moveMessage(ctx, id, claim, "mark sent", storage.OutboxSending, false,
		`UPDATE outbox SET status = ?, sent_at = ?, last_error = '',
			payload = CASE WHEN kind = 'email_link' THEN '{}' ELSE payload END WHERE id = ? AND status = ? AND claim = ?`,
		func(now int64) []any { return []any{storage.OutboxSent, now, id, storage.OutboxSending, claim} }, nil)
}

// MarkRetry puts a message that failed for a passing reason back in the
// queue, due again at next.
func (db *DB) MarkRetry(ctx context.Context, id, claim int64, errText string, next time.Time) error {
	return db.moveMessage(ctx, id, claim, "mark for retry", storage.OutboxSending, false,
		`UPDATE outbox SET status = ?, next_attempt_at = ?, last_error = ? WHERE id = ? AND status = ? AND claim = ?`,
		func(int64) []any {
			return []any{storage.OutboxQueued, next.Unix(), storage.Truncate(errText, storage.MaxErrorText), id, storage.OutboxSending, claim}
		}, nil)
}

// MarkFailed gives up on a message; it stays in the outbox, with its error,
// for an admin to read and perhaps retry.
func (db *DB) MarkFailed(ctx context.Context, id, claim int64, errText string) error {
	return db.moveMessage(ctx, id, claim, "mark failed", storage.OutboxSending, false,
		`UPDATE outbox SET status = ?, last_error = ? WHERE id = ? AND status = ? AND claim = ?`,
		func(int64) []any {
			return []any{storage.OutboxFailed, storage.Truncate(errText, storage.MaxErrorText), id, storage.OutboxSending, claim}
		}, nil)
}

// RetryMessage puts a failed message back in the queue, due now: an admin
// fixed what was wrong (the address, the mail server) and wants it sent.
// The error is kept so the console still shows why it failed before.
func (db *DB) RetryMessage(ctx context.Context, id int64) error {
	return db.moveMessage(ctx, id, 0, "retry", storage.OutboxFailed, true,
		`UPDATE outbox SET status = ?, next_attempt_at = ? WHERE id = ? AND status = ?`,
		func(now int64) []any { return []any{storage.OutboxQueued, now, id, storage.OutboxFailed} }, func(tx *Tx) error {
			var kind string
			var salonID int64
			if err := tx.QueryRowContext(ctx, `SELECT kind, COALESCE(salon_id, 0) FROM outbox WHERE id = ?`, id).Scan(&kind, &salonID); err != nil {
				return err
			}
			return audit(ctx, tx, storage.ActionMailRetry, salonID, strconv.FormatInt(id, 10)+" "+kind)
		})
}

// RequeueInFlight returns messages left sending by a process that stopped
// between claiming and marking them, so they are sent again. Call it before
// the first claim, while no sender runs. Such a message may already have been
// delivered; its stable Message-ID lets the receiver recognise the resend.
func (db *DB) RequeueInFlight(ctx context.Context) (int, error) {
	var n int64
	err := db.updateApart(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET status = ?, next_attempt_at = ? WHERE status = ?`,
			storage.OutboxQueued, tx.now.Unix(), storage.OutboxSending)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("storage: unable to requeue messages in flight: %w", err)
	}
	return int(n), nil
}

// moveMessage runs one status change on one message; args gets the write's
// own clock, which is only known inside the transaction. When no row
// matched, it tells a missing message from one in another status, so a
// caller learns whether it raced with someone. claim is the claim the move
// was made for, zero for a move that needs none. queues says the change
// puts the message in the queue for now, so the mail worker is woken.
func (db *DB) moveMessage(ctx context.Context, id, claim int64, what, from string, queues bool, query string, args func(now int64) []any, moved func(*Tx) error) error {
	err := db.updateApart(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, query, args(tx.now.Unix())...)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 1 {
			if queues {
				tx.queuedMail()
			}
			if moved != nil {
				return moved(tx)
			}
			return nil
		}
		var status string
		var current int64
		err = tx.QueryRowContext(ctx, `SELECT status, claim FROM outbox WHERE id = ?`, id).Scan(&status, &current)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("Message")
		} else if err != nil {
			return err
		}
		if status == from && claim != 0 && current != claim {
			return events.Errorf(events.ECONFLICT, "Message %d was claimed again (claim %d, not %d).", id, current, claim)
		}
		return events.Errorf(events.ECONFLICT, "Message %d is %s, not %s.", id, status, from)
	})
	if err != nil {
		return fmt.Errorf("storage: unable to %s message %d: %w", what, id, err)
	}
	return nil
}
