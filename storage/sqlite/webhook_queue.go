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

// deliveryColumns is the column list scanDelivery expects, in its order,
// for webhook_deliveries joined as d with its webhook as w.
const deliveryColumns = `d.id, d.webhook_id, w.url, w.secret, d.event_id, d.type, d.body, d.status, d.attempts,
	d.next_attempt_at, d.response_code, d.last_error, d.created_at, d.delivered_at`

func scanDelivery(row scanner) (*storage.Delivery, error) {
	var d storage.Delivery
	var next, created int64
	var delivered sql.NullInt64
	if err := row.Scan(&d.ID, &d.WebhookID, &d.URL, &d.Secret, &d.EventID, &d.Type, &d.Body, &d.Status, &d.Attempts,
		&next, &d.ResponseCode, &d.LastError, &created, &delivered); err != nil {
		return nil, err
	}
	d.NextAttemptAt, d.CreatedAt = unix(next), unix(created)
	if delivered.Valid {
		t := unix(delivered.Int64)
		d.DeliveredAt = &t
	}
	return &d, nil
}

// FindDeliveries lists a webhook's latest deliveries, newest first.
func (db *DB) FindDeliveries(ctx context.Context, webhookID int64, limit int) ([]*storage.Delivery, error) {
	if limit <= 0 {
		limit = -1
	}
	rows, err := db.read.QueryContext(ctx, `SELECT `+deliveryColumns+` FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
		WHERE d.webhook_id = ? ORDER BY d.id DESC LIMIT ?`, webhookID, limit)
	if err != nil {
		return nil, fmt.Errorf("storage: unable to list deliveries: %w", err)
	}
	defer rows.Close()
	var out []*storage.Delivery
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return nil, fmt.Errorf("storage: unable to list deliveries: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// ClaimDeliveries marks up to limit due deliveries sending until now+lease
// and counts the attempt, in one write. The single writer makes two
// claimers in this process exclusive; the lease makes a row left sending
// by a stopped process due again.
func (db *DB) ClaimDeliveries(ctx context.Context, limit int, lease time.Duration) ([]*storage.Delivery, error) {
	if limit <= 0 {
		return nil, nil
	}
	var ids []int64
	err := db.updateApart(ctx, func(tx *Tx) error {
		ids = ids[:0]
		now := tx.now.Unix()
		rows, err := tx.QueryContext(ctx, `UPDATE webhook_deliveries SET status = 'sending', attempts = attempts + 1, lease_until = ?
			WHERE id IN (SELECT id FROM webhook_deliveries
				WHERE (status = 'pending' AND next_attempt_at <= ?) OR (status = 'sending' AND lease_until <= ?)
				ORDER BY id LIMIT ?)
			RETURNING id`, now+int64(lease/time.Second), now, now, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("storage: unable to claim webhook deliveries: %w", err)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	out := make([]*storage.Delivery, 0, len(ids))
	// The claim has committed: the rows are read even when the caller has
	// gone meanwhile, else they would sit leased with nobody sending them.
	rctx := context.WithoutCancel(ctx)
	for _, id := range ids {
		// Only this claimer moves the row now, so the copy is what it holds.
		d, err := scanDelivery(db.read.QueryRowContext(rctx, `SELECT `+deliveryColumns+` FROM webhook_deliveries d
			JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			continue // its webhook was deleted meanwhile
		} else if err != nil {
			return nil, fmt.Errorf("storage: unable to read claimed delivery: %w", err)
		}
		out = append(out, d)
	}
	return out, nil
}

// MarkDelivered records the receiver's 2xx.
func (db *DB) MarkDelivered(ctx context.Context, id int64, attempt, code int) error {
	return db.moveDelivery(ctx, id, attempt, `UPDATE webhook_deliveries SET status = 'delivered', response_code = ?, last_error = '',
		delivered_at = ? WHERE id = ? AND status = 'sending' AND attempts = ?`,
		func(now int64) []any { return []any{code, now, id, attempt} })
}

// MarkDeliveryRetry puts a delivery back in the queue, due at next.
func (db *DB) MarkDeliveryRetry(ctx context.Context, id int64, attempt, code int, errText string, next time.Time) error {
	return db.moveDelivery(ctx, id, attempt, `UPDATE webhook_deliveries SET status = 'pending', response_code = ?, last_error = ?,
		next_attempt_at = ? WHERE id = ? AND status = 'sending' AND attempts = ?`,
		func(int64) []any {
			return []any{code, storage.Truncate(errText, storage.MaxErrorText), next.Unix(), id, attempt}
		})
}

// MarkDeliveryFailed gives up on a delivery; it stays, with its error.
func (db *DB) MarkDeliveryFailed(ctx context.Context, id int64, attempt, code int, errText string) error {
	return db.moveDelivery(ctx, id, attempt, `UPDATE webhook_deliveries SET status = 'failed', response_code = ?, last_error = ?
		WHERE id = ? AND status = 'sending' AND attempts = ?`,
		func(int64) []any { return []any{code, storage.Truncate(errText, storage.MaxErrorText), id, attempt} })
}

// moveDelivery runs one change of a claimed delivery; no row changed means
// the claim is no longer the caller's.
func (db *DB) moveDelivery(ctx context.Context, id int64, attempt int, query string, args func(now int64) []any) error {
	err := db.updateApart(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, query, args(tx.now.Unix())...)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return events.Errorf(events.ECONFLICT, "Delivery %d is no longer claimed as attempt %d.", id, attempt)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("storage: unable to move delivery %d: %w", id, err)
	}
	return nil
}

// RetryDelivery queues a delivery of owner's webhook again, due now; its
// 24 hours of retries start again.
func (db *DB) RetryDelivery(ctx context.Context, id, owner int64) error {
	return db.updateApart(ctx, func(tx *Tx) error {
		var status string
		var hook int64
		err := tx.QueryRowContext(ctx, `SELECT d.status, d.webhook_id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
			WHERE d.id = ? AND (? = 0 OR w.user_id = ?)`, id, owner, owner).Scan(&status, &hook)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("Delivery")
		} else if err != nil {
			return fmt.Errorf("storage: unable to fetch delivery: %w", err)
		}
		if status == storage.DeliverySending {
			return events.Errorf(events.ECONFLICT, "This delivery is being sent now.")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = ?, created_at = ? WHERE id = ? AND status <> 'sending'`,
			tx.now.Unix(), tx.now.Unix(), id); err != nil {
			return fmt.Errorf("storage: unable to queue delivery again: %w", err)
		}
		return audit(ctx, tx, storage.ActionWebhookResend, 0, strconv.FormatInt(hook, 10)+" "+strconv.FormatInt(id, 10))
	})
}
