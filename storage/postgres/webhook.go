package postgres

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
// migration) so that a subscriber is found with one strpos().
func (db *DB) CreateWebhook(ctx context.Context, w *storage.Webhook) error {
	return db.update(ctx, func(tx *Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO webhooks (user_id, url, events, secret, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			w.UserID, w.URL, joinEvents(w.Events), w.Secret, tx.now.Unix()).Scan(&w.ID); err != nil {
			return fmt.Errorf("storage: unable to create webhook: %w", err)
		}
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
	rows, err := db.read.QueryContext(ctx, `SELECT `+webhookColumns+` FROM webhooks WHERE ?::BIGINT = 0 OR user_id = ? ORDER BY id`, owner, owner)
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
	w, err := scanWebhook(db.read.QueryRowContext(ctx, `SELECT `+webhookColumns+` FROM webhooks WHERE id = ? AND (?::BIGINT = 0 OR user_id = ?)`, id, owner, owner))
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
		err := tx.QueryRowContext(ctx, `DELETE FROM webhooks WHERE id = ? AND (?::BIGINT = 0 OR user_id = ?) RETURNING url`, id, owner, owner).Scan(&url)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("Webhook")
		} else if err != nil {
			return fmt.Errorf("storage: unable to delete webhook: %w", err)
		}
		return audit(ctx, tx, storage.ActionWebhookDelete, 0, strconv.FormatInt(id, 10)+" "+url)
	})
}

// subscribersQuery finds the webhooks that get an event of each of some
// salons, by salon: the salon's organizer's and every admin's, subscribed
// to the event type, of accounts that are not disabled.
const subscribersQuery = `SELECT s.id, w.id FROM salons s, webhooks w JOIN users u ON u.id = w.user_id
	WHERE s.id = ANY(?) AND (u.role = 'admin' OR (u.role = 'organizer' AND w.user_id = s.organizer_id))
	AND u.disabled_at IS NULL AND strpos(w.events, ?) > 0 ORDER BY s.id, w.id`

// emitWebhook writes one delivery per subscribed webhook of eventType for
// salonID, in the caller's transaction. data is only built when someone
// subscribed, so a write nobody listens to pays one indexed query.
func emitWebhook(ctx context.Context, tx *Tx, salonID int64, eventType string, data func() (any, error)) error {
	hooks, err := subscribers(ctx, tx, salonID, eventType)
	if err != nil {
		return err
	}
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

// subscribers returns the webhooks subscribed to eventType for salonID:
// as its batch read them (see readSubscribers), else read now.
func subscribers(ctx context.Context, tx *Tx, salonID int64, eventType string) ([]int64, error) {
	if hooks, ok := tx.hooks[hookKey{salonID, eventType}]; ok {
		return hooks, nil
	}
	bySalon, err := querySubscribers(ctx, tx, []int64{salonID}, eventType)
	return bySalon[salonID], err
}

// readSubscribers reads, in one query, the webhooks subscribed to
// eventType of each of salonIDs into tx.hooks, for subscribers to find. A
// batch of RSVPs reads them so, once for all its salons, as one write
// would: a webhook created while the batch runs gets the events of the
// batches after it.
func readSubscribers(ctx context.Context, tx *Tx, salonIDs []int64, eventType string) error {
	if len(salonIDs) == 0 {
		return nil
	}
	bySalon, err := querySubscribers(ctx, tx, salonIDs, eventType)
	if err != nil {
		return err
	}
	for _, id := range salonIDs {
		tx.hooks[hookKey{id, eventType}] = bySalon[id]
	}
	return nil
}

// querySubscribers runs subscribersQuery: the webhooks subscribed to
// eventType of each of salonIDs, by salon.
func querySubscribers(ctx context.Context, tx *Tx, salonIDs []int64, eventType string) (map[int64][]int64, error) {
	rows, err := tx.QueryContext(ctx, subscribersQuery, salonIDs, ","+eventType+",")
	if err != nil {
		return nil, fmt.Errorf("storage: unable to find webhooks: %w", err)
	}
	type sub struct{ salonID, id int64 }
	subs, err := sqlscan.All(rows, func(s *sub) []any { return []any{&s.salonID, &s.id} })
	if err != nil {
		return nil, fmt.Errorf("storage: unable to find webhooks: %w", err)
	}
	bySalon := make(map[int64][]int64, len(salonIDs))
	for _, s := range subs {
		bySalon[s.salonID] = append(bySalon[s.salonID], s.id)
	}
	return bySalon, nil
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
