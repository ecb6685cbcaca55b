package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"salon/storage"
	"salon/tickets"
)

// QueueSalonMessage saves an organizer's message and queues one mail per
// guest of its audience, in one write. The writer runs one write at a
// time, so counting the salon's messages of the last day and adding this
// one cannot interleave with another sender's.
func (db *DB) QueueSalonMessage(ctx context.Context, r storage.MessageRequest) (*storage.SalonMessage, error) {
	r.Normalize()
	if err := r.Validate(); err != nil {
		return nil, err
	}
	statuses := storage.AudienceStatuses(r.Audience)
	in := `(?` + strings.Repeat(`, ?`, len(statuses)-1) + `)`
	out := &storage.SalonMessage{SalonID: r.SalonID, Subject: r.Subject, Body: r.Body, Audience: r.Audience, SentBy: r.SentBy}
	err := db.update(ctx, func(tx *Tx) error {
		var exists int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM salons WHERE id = ?`, r.SalonID).Scan(&exists); err != nil {
			return fmt.Errorf("storage: unable to fetch salon: %w", err)
		} else if exists == 0 {
			return notFound("Salon")
		}
		var sent int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM salon_messages WHERE salon_id = ? AND created_at > ?`,
			r.SalonID, tx.now.Add(-storage.MessageWindow).Unix()).Scan(&sent); err != nil {
			return fmt.Errorf("storage: unable to count messages: %w", err)
		}
		if sent >= storage.MessagesPerWindow {
			return storage.ErrTooManyMessages
		}
		args := []any{r.SalonID}
		for _, s := range statuses {
			args = append(args, s)
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM tickets WHERE salon_id = ? AND status IN `+in+
			` AND erased_at IS NULL`, args...).Scan(&n); err != nil {
			return fmt.Errorf("storage: unable to count guests: %w", err)
		}
		out.Recipients, out.CreatedAt = n, tx.now
		if n == 0 {
			return nil
		}
		var sender any
		if a, ok := storage.ActorFrom(ctx); ok {
			out.Sender = a.Email
		}
		if r.SentBy != 0 {
			sender = r.SentBy
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO salon_messages (salon_id, subject, body, audience, recipients, sent_by, sender, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, r.SalonID, r.Subject, r.Body, r.Audience, n, sender, out.Sender, tx.now.Unix())
		if err != nil {
			return fmt.Errorf("storage: unable to save message: %w", err)
		}
		out.ID, _ = res.LastInsertId()
		payload := fmt.Sprintf(`{"message":%d}`, out.ID)
		if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (kind, salon_id, ticket_id, recipient, lang, payload, message_id, next_attempt_at, created_at)
			SELECT ?, salon_id, id, email, lang, ?, lower(hex(randomblob(16))), ?, ? FROM tickets
			WHERE salon_id = ? AND status IN `+in+` AND erased_at IS NULL ORDER BY id`,
			append([]any{tickets.NoticeMessage, payload, tx.now.Unix(), tx.now.Unix()}, args...)...); err != nil {
			return fmt.Errorf("storage: unable to queue message: %w", err)
		}
		tx.queuedMail()
		return audit(ctx, tx, storage.ActionSalonMessage, r.SalonID, storage.MessageAuditDetail(r.Audience, n, r.Subject))
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

const salonMessageColumns = `id, salon_id, subject, body, audience, recipients, COALESCE(sent_by, 0), sender, created_at`

func scanSalonMessage(row scanner) (*storage.SalonMessage, error) {
	var m storage.SalonMessage
	var created int64
	if err := row.Scan(&m.ID, &m.SalonID, &m.Subject, &m.Body, &m.Audience, &m.Recipients, &m.SentBy, &m.Sender, &created); err != nil {
		return nil, err
	}
	m.CreatedAt = unix(created)
	return &m, nil
}

// FindSalonMessage returns one message.
func (db *DB) FindSalonMessage(ctx context.Context, id int64) (*storage.SalonMessage, error) {
	m, err := scanSalonMessage(db.read.QueryRowContext(ctx, `SELECT `+salonMessageColumns+` FROM salon_messages WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Message")
	} else if err != nil {
		return nil, fmt.Errorf("storage: unable to fetch message: %w", err)
	}
	return m, nil
}

// FindSalonMessages lists a salon's messages, newest first.
func (db *DB) FindSalonMessages(ctx context.Context, salonID int64) ([]*storage.SalonMessage, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+salonMessageColumns+` FROM salon_messages WHERE salon_id = ?
		ORDER BY id DESC`, salonID)
	if err != nil {
		return nil, fmt.Errorf("storage: unable to list messages: %w", err)
	}
	defer rows.Close()
	var out []*storage.SalonMessage
	for rows.Next() {
		m, err := scanSalonMessage(rows)
		if err != nil {
			return nil, fmt.Errorf("storage: unable to read message: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// CountAudience counts the guests a message to audience would reach.
func (db *DB) CountAudience(ctx context.Context, salonID int64, audience string) (int, error) {
	statuses := storage.AudienceStatuses(audience)
	args := []any{salonID}
	for _, s := range statuses {
		args = append(args, s)
	}
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM tickets WHERE salon_id = ? AND status IN (?`+
		strings.Repeat(`, ?`, len(statuses)-1)+`) AND erased_at IS NULL`, args...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("storage: unable to count guests: %w", err)
	}
	return n, nil
}

// ChangePassword sets the password and ends the account's other sessions.
func (db *DB) ChangePassword(ctx context.Context, userID int64, hash, keepSession string) error {
	if hash == "" {
		return storage.ErrPasswordRequired
	}
	return db.update(ctx, func(tx *Tx) error {
		email, err := setPassword(ctx, tx, userID, hash)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ? AND id_hash <> ?`,
			userID, tickets.HashToken(keepSession)); err != nil {
			return fmt.Errorf("storage: unable to end sessions: %w", err)
		}
		return audit(ctx, tx, storage.ActionUserPassword, 0, email)
	})
}
