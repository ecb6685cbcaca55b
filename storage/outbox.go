package storage

import (
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"salon/tickets"
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
	// Slug is the slug of the salon the message is about, filled in by
	// FindMessages; empty for mail about no salon.
	Slug string
}

// enqueue writes one notice (a tickets.Notice* kind) in the caller's
// transaction, with the payload tickets.NoticePayload makes of it.
func enqueue(ctx context.Context, tx *Tx, kind string, salonID, ticketID int64, to, lang string, position, sequence int) error {
	return insertNotice(ctx, tx, kind, salonID, ticketID, to, lang, tickets.NoticePayload(kind, position, sequence),
		hex.EncodeToString(tickets.RandomBytes(16)))
}

// insertNotice is the one INSERT of an outbox row, due now. The payload is
// JSON (from tickets.NoticePayload) and the message id unique (128 random
// bits), both made by the caller so that hot paths can make the id before
// the write.
func insertNotice(ctx context.Context, tx *Tx, kind string, salonID, ticketID int64, to, lang, payload, messageID string) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (kind, salon_id, ticket_id, recipient, lang, payload,
		message_id, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		kind, salonID, ticketID, to, lang, payload, messageID, tx.now.Unix(), tx.now.Unix()); err != nil {
		return fmt.Errorf("storage: unable to queue %s notice: %w", kind, err)
	}
	tx.queuedMail()
	return nil
}

// OutboxFilter selects messages; zero fields do not filter.
type OutboxFilter struct {
	ID       int64
	Status   string
	TicketID int64
	SalonID  int64
	// OrganizerID keeps only mail about that organizer's salons.
	OrganizerID int64
	// NewestFirst lists the latest message first, as the console shows
	// them; otherwise the oldest comes first.
	NewestFirst bool
	// Limit caps the list; zero or less means no cap.
	Limit int
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

// FindMessages lists outbox messages with their salon's slug, in one query.
func (db *DB) FindMessages(ctx context.Context, f OutboxFilter) ([]*Message, error) {
	// The salons side is a subquery that names its id apart, so that the
	// unqualified outboxColumns stay unambiguous; SQLite flattens it into a
	// plain primary-key LEFT JOIN.
	q := `SELECT ` + outboxColumns + `, COALESCE(s.slug, '') FROM outbox
		LEFT JOIN (SELECT id AS salon_ref, slug, organizer_id FROM salons) s ON s.salon_ref = outbox.salon_id WHERE 1 = 1`
	var args []any
	if f.ID != 0 {
		q, args = q+` AND id = ?`, append(args, f.ID)
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
	if f.OrganizerID != 0 {
		q, args = q+` AND s.organizer_id = ?`, append(args, f.OrganizerID)
	}
	q += ` ORDER BY id`
	if f.NewestFirst {
		q += ` DESC`
	}
	limit := f.Limit
	if limit <= 0 {
		limit = -1
	}
	rows, err := db.read.QueryContext(ctx, q+` LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("storage: unable to list outbox: %w", err)
	}
	defer rows.Close()
	var out []*Message
	for rows.Next() {
		var slug string
		m, err := scanMessage(rows, &slug)
		if err != nil {
			return nil, fmt.Errorf("storage: unable to read outbox: %w", err)
		}
		m.Slug = slug
		out = append(out, m)
	}
	return out, rows.Err()
}

// scanMessage scans one row selected with outboxColumns followed by the
// columns that extra points at.
func scanMessage(rows *sql.Rows, extra ...any) (*Message, error) {
	var m Message
	var payload string
	var next, created int64
	var sent *int64
	dest := append([]any{&m.ID, &m.Kind, &m.SalonID, &m.TicketID, &m.Recipient, &m.Lang, &payload, &m.MessageID,
		&m.Status, &m.Attempts, &next, &m.LastError, &created, &sent}, extra...)
	if err := rows.Scan(dest...); err != nil {
		return nil, err
	}
	// A broken payload must not wedge the queue or hide the message: it is
	// handed out without it and its renderer decides what that means.
	_ = json.Unmarshal([]byte(payload), &m.Payload)
	m.NextAttemptAt, m.CreatedAt = unix(next), unix(created)
	if sent != nil {
		t := unix(*sent)
		m.SentAt = &t
	}
	return &m, nil
}
