package storage

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"salon/tickets"
)

// Kinds of notice in the outbox.
const (
	KindConfirmed         = "confirmed"
	KindWaitlisted        = "waitlisted"
	KindPromoted          = "promoted"
	KindAlreadyRegistered = "already_registered"
	KindTicketCancelled   = "ticket_cancelled"
	KindSalonChanged      = "salon_changed"
	KindSalonCancelled    = "salon_cancelled"
	KindReminder          = "reminder"
)

// Outbox statuses.
const (
	OutboxQueued  = "queued"
	OutboxSending = "sending"
	OutboxSent    = "sent"
	OutboxFailed  = "failed"
)

// Message is one notice in the outbox.
type Message struct {
	ID        int64
	Kind      string
	SalonID   int64
	TicketID  int64
	Recipient string
	Lang      string
	Payload   map[string]any
	// MessageID is stable across resends so a duplicate after a crash is
	// recognisable; the mailer adds the domain.
	MessageID     string
	Status        string
	Attempts      int
	NextAttemptAt time.Time
	LastError     string
	CreatedAt     time.Time
	SentAt        *time.Time
}

// enqueue writes one notice in the caller's transaction.
func enqueue(ctx context.Context, tx *Tx, kind string, salonID, ticketID int64, to, lang string, payload map[string]any) error {
	if payload == nil {
		payload = map[string]any{}
	}
	body, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("storage: unable to encode notice: %w", err)
	}
	return insertNotice(ctx, tx, kind, salonID, ticketID, to, lang, string(body), hex.EncodeToString(tickets.RandomBytes(16)))
}

// insertNotice is the one INSERT of an outbox row, due now. The payload is
// JSON and the message id unique (128 random bits), both made by the caller
// so that hot paths can make them before the write.
func insertNotice(ctx context.Context, tx *Tx, kind string, salonID, ticketID int64, to, lang, payload, messageID string) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (kind, salon_id, ticket_id, recipient, lang, payload,
		message_id, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		kind, salonID, ticketID, to, lang, payload, messageID, tx.now.Unix(), tx.now.Unix()); err != nil {
		return fmt.Errorf("storage: unable to queue %s notice: %w", kind, err)
	}
	return nil
}

// OutboxFilter selects messages; zero fields do not filter.
type OutboxFilter struct {
	ID int64
	// AfterID keeps only messages with a larger id, for readers that follow
	// the outbox without reading it all again.
	AfterID  int64
	Status   string
	TicketID int64
	SalonID  int64
	Limit    int
}

// QueuedAfter counts the queued messages whose ids are above afterID and
// returns the highest id above it (afterID when there is none), so that new
// mail can be reported without reading it. By id alone it is a range of the
// primary key.
func (db *DB) QueuedAfter(ctx context.Context, afterID int64) (n int, lastID int64, err error) {
	err = db.read.QueryRowContext(ctx, `SELECT COALESCE(SUM(status = 'queued'), 0), COALESCE(MAX(id), ?) FROM outbox WHERE id > ?`,
		afterID, afterID).Scan(&n, &lastID)
	if err != nil {
		return 0, 0, fmt.Errorf("storage: unable to count new mail: %w", err)
	}
	return n, lastID, nil
}

// FindMessages lists outbox messages, oldest first.
func (db *DB) FindMessages(ctx context.Context, f OutboxFilter) ([]*Message, error) {
	q := `SELECT id, kind, COALESCE(salon_id, 0), COALESCE(ticket_id, 0), recipient, lang, payload, message_id,
		status, attempts, next_attempt_at, last_error, created_at, sent_at FROM outbox WHERE 1 = 1`
	var args []any
	if f.ID != 0 {
		q, args = q+` AND id = ?`, append(args, f.ID)
	}
	if f.AfterID != 0 {
		q, args = q+` AND id > ?`, append(args, f.AfterID)
	}
	if f.Status != "" {
		q, args = q+` AND status = ?`, append(args, f.Status)
	}
	if f.TicketID != 0 {
		q, args = q+` AND ticket_id = ?`, append(args, f.TicketID)
	}
	if f.SalonID != 0 {
		q, args = q+` AND salon_id = ?`, append(args, f.SalonID)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = -1
	}
	rows, err := db.read.QueryContext(ctx, q+` ORDER BY id LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("storage: unable to list outbox: %w", err)
	}
	defer rows.Close()
	var out []*Message
	for rows.Next() {
		var m Message
		var payload string
		var next, created int64
		var sent *int64
		if err := rows.Scan(&m.ID, &m.Kind, &m.SalonID, &m.TicketID, &m.Recipient, &m.Lang, &payload, &m.MessageID,
			&m.Status, &m.Attempts, &next, &m.LastError, &created, &sent); err != nil {
			return nil, fmt.Errorf("storage: unable to read outbox: %w", err)
		}
		_ = json.Unmarshal([]byte(payload), &m.Payload)
		m.NextAttemptAt, m.CreatedAt = unix(next), unix(created)
		if sent != nil {
			t := unix(*sent)
			m.SentAt = &t
		}
		out = append(out, &m)
	}
	return out, rows.Err()
}
