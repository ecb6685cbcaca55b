package sqlite

import (
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"salon/storage"
	"salon/tickets"
)

// enqueue writes one notice (a tickets.Notice* kind) in the caller's
// transaction, due now, with the payload tickets.NoticePayload makes of it
// and a message id of 128 random bits.
func enqueue(ctx context.Context, tx *Tx, kind string, salonID, ticketID int64, to, lang string, position, sequence int) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (kind, salon_id, ticket_id, recipient, lang, payload,
		message_id, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		kind, salonID, ticketID, to, lang, tickets.NoticePayload(kind, position, sequence),
		hex.EncodeToString(tickets.RandomBytes(16)), tx.now.Unix(), tx.now.Unix()); err != nil {
		return fmt.Errorf("storage: unable to queue %s notice: %w", kind, err)
	}
	tx.queuedMail()
	return nil
}

// QueuedAfter counts the queued messages whose ids are above afterID and
// returns the highest id above it (afterID when there is none), so that new
// mail can be reported without reading it. By id alone it is a range of the
// primary key.
func (db *DB) QueuedAfter(ctx context.Context, afterID int64) (n int, lastID int64, err error) {
	if err := db.copyNoticesForRead(ctx); err != nil {
		return 0, 0, err
	}
	err = db.read.QueryRowContext(ctx, `SELECT COALESCE(SUM(status = 'queued'), 0), COALESCE(MAX(id), ?) FROM outbox WHERE id > ?`,
		afterID, afterID).Scan(&n, &lastID)
	if err != nil {
		return 0, 0, fmt.Errorf("storage: unable to count new mail: %w", err)
	}
	return n, lastID, nil
}

// FindMessages lists outbox messages with their salon's slug and title, in one query.
func (db *DB) FindMessages(ctx context.Context, f storage.OutboxFilter) ([]*storage.Message, error) {
	if err := db.copyNoticesForRead(ctx); err != nil {
		return nil, err
	}
	// The salons side is a subquery that names its id apart, so that the
	// unqualified outboxColumns stay unambiguous; SQLite flattens it into a
	// plain primary-key LEFT JOIN.
	q := `SELECT ` + outboxColumns + `, COALESCE(s.slug, ''), COALESCE(s.title, '') FROM outbox
		LEFT JOIN (SELECT id AS salon_ref, slug, title, organizer_id FROM salons) s ON s.salon_ref = outbox.salon_id WHERE 1 = 1`
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
	var out []*storage.Message
	for rows.Next() {
		var slug, title string
		m, err := scanMessage(rows, &slug, &title)
		if err != nil {
			return nil, fmt.Errorf("storage: unable to read outbox: %w", err)
		}
		m.Slug, m.SalonTitle = slug, title
		out = append(out, m)
	}
	return out, rows.Err()
}

// scanMessage scans one row selected with outboxColumns followed by the
// columns that extra points at.
func scanMessage(rows *sql.Rows, extra ...any) (*storage.Message, error) {
	var m storage.Message
	var payload string
	var next, created int64
	var sent *int64
	dest := append([]any{&m.ID, &m.Kind, &m.SalonID, &m.TicketID, &m.Recipient, &m.Lang, &payload, &m.MessageID,
		&m.Status, &m.Attempts, &next, &m.LastError, &created, &sent, &m.Claim}, extra...)
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
