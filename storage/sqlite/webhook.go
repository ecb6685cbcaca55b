package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"salon/storage"
	"salon/storage/internal/sqlscan"
)

// CreateWebhook saves w; its events are kept between commas (see the
// migration) so that a subscriber is found with one instr().
func (db *DB) CreateWebhook(ctx context.Context, w *storage.Webhook) error {
	return db.update(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO webhooks (user_id, url, events, secret, created_at) VALUES (?, ?, ?, ?, ?)`,
			w.UserID, w.URL, joinEvents(w.Events), w.Secret, tx.now.Unix())
		if err != nil {
			return fmt.Errorf("storage: unable to create webhook: %w", err)
		}
		w.ID, _ = res.LastInsertId()
		w.CreatedAt = tx.now
		return audit(ctx, tx, storage.ActionWebhookCreate, 0, strconv.FormatInt(w.ID, 10)+" "+w.URL)
	})
}

// joinEvents and splitEvents convert between a list and its stored form.
func joinEvents(evs []string) string { return "," + strings.Join(evs, ",") + "," }

func splitEvents(s string) []string { return strings.Split(strings.Trim(s, ","), ",") }

const webhookColumns = `id, user_id, url, events, secret, created_at`

func scanWebhook(row scanner) (*storage.Webhook, error) {
	var w storage.Webhook
	var evs string
	var created int64
	if err := row.Scan(&w.ID, &w.UserID, &w.URL, &evs, &w.Secret, &created); err != nil {
		return nil, err
	}
	w.Events, w.CreatedAt = splitEvents(evs), unix(created)
	return &w, nil
}

// FindWebhooks lists owner's webhooks, or every one for owner 0.
func (db *DB) FindWebhooks(ctx context.Context, owner int64) ([]*storage.Webhook, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+webhookColumns+` FROM webhooks WHERE ? = 0 OR user_id = ? ORDER BY id`, owner, owner)
	if err != nil {
		return nil, fmt.Errorf("storage: unable to list webhooks: %w", err)
	}
	defer rows.Close()
	var out []*storage.Webhook
	for rows.Next() {
		w, err := scanWebhook(rows)
		if err != nil {
			return nil, fmt.Errorf("storage: unable to list webhooks: %w", err)
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// FindWebhook returns webhook id within owner's (any for owner 0).
func (db *DB) FindWebhook(ctx context.Context, id, owner int64) (*storage.Webhook, error) {
	w, err := scanWebhook(db.read.QueryRowContext(ctx, `SELECT `+webhookColumns+` FROM webhooks WHERE id = ? AND (? = 0 OR user_id = ?)`, id, owner, owner))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Webhook")
	} else if err != nil {
		return nil, fmt.Errorf("storage: unable to fetch webhook: %w", err)
	}
	return w, nil
}

// DeleteWebhook removes webhook id of owner; its deliveries go with it.
func (db *DB) DeleteWebhook(ctx context.Context, id, owner int64) error {
	return db.update(ctx, func(tx *Tx) error {
		var url string
		err := tx.QueryRowContext(ctx, `DELETE FROM webhooks WHERE id = ? AND (? = 0 OR user_id = ?) RETURNING url`, id, owner, owner).Scan(&url)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("Webhook")
		} else if err != nil {
			return fmt.Errorf("storage: unable to delete webhook: %w", err)
		}
		return audit(ctx, tx, storage.ActionWebhookDelete, 0, strconv.FormatInt(id, 10)+" "+url)
	})
}

// subscribersQuery finds the webhooks that get an event of a salon: its
// organizer's and every admin's, subscribed to the event type, of accounts
// that are not disabled.
const subscribersQuery = `SELECT w.id FROM webhooks w JOIN users u ON u.id = w.user_id
	WHERE (u.role = 'admin' OR (u.role = 'organizer' AND w.user_id = (SELECT organizer_id FROM salons WHERE id = ?)))
	AND u.disabled_at IS NULL AND instr(w.events, ?) > 0 ORDER BY w.id`

// emitWebhook writes one delivery per subscribed webhook of eventType for
// salonID, in the caller's transaction. data is only built when someone
// subscribed, so a write nobody listens to pays one indexed query.
func emitWebhook(ctx context.Context, tx *Tx, salonID int64, eventType string, data func() (any, error)) error {
	hooks, err := subscribers(ctx, tx, salonID, eventType)
	if err != nil {
		return err
	}
	return deliverWebhook(ctx, tx, hooks, eventType, data)
}

// subscribers are the webhooks that get eventType for salonID.
func subscribers(ctx context.Context, tx *Tx, salonID int64, eventType string) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, subscribersQuery, salonID, ","+eventType+",")
	if err != nil {
		return nil, fmt.Errorf("storage: unable to find webhooks: %w", err)
	}
	hooks, err := sqlscan.All(rows, func(id *int64) []any { return []any{id} })
	if err != nil {
		return nil, fmt.Errorf("storage: unable to find webhooks: %w", err)
	}
	return hooks, nil
}

// deliverWebhook writes one delivery of eventType per webhook of hooks.
func deliverWebhook(ctx context.Context, tx *Tx, hooks []int64, eventType string, data func() (any, error)) error {
	if len(hooks) == 0 {
		return nil
	}
	d, err := data()
	if err != nil {
		return err
	}
	body, err := storage.WebhookBody(eventType, tx.now, d)
	if err != nil {
		return err
	}
	for _, h := range hooks {
		if _, err := tx.ExecContext(ctx, `INSERT INTO webhook_deliveries (webhook_id, event_id, type, body, next_attempt_at, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`, h, storage.NewEventID(), eventType, body, tx.now.Unix(), tx.now.Unix()); err != nil {
			return fmt.Errorf("storage: unable to queue webhook delivery: %w", err)
		}
	}
	return nil
}

// ticketEvent emits eventType for ticket id as it is now in tx.
func ticketEvent(ctx context.Context, tx *Tx, salonID, id int64, eventType string) error {
	return emitWebhook(ctx, tx, salonID, eventType, func() (any, error) {
		t, _, err := scanTicketSalt(tx.QueryRowContext(ctx, ticketByID, id))
		if err != nil {
			return nil, fmt.Errorf("storage: unable to read ticket for webhook: %w", err)
		}
		return storage.TicketEventData(t), nil
	})
}
