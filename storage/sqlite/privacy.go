package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"salon/storage"
	"salon/storage/internal/sqlscan"
	"salon/tickets"
)

// erasedMailError is what a message of an erased ticket says instead of
// its error text, which may quote the address.
const erasedMailError = "not sent: the recipient's personal data was erased"

// ExportTicket returns everything held about the holder of the ticket a
// manage token opens. The reads are separate, so a write in between may
// show; the holder can export again.
func (db *DB) ExportTicket(ctx context.Context, token string) (*storage.Export, error) {
	t, err := db.FindTicketByToken(ctx, token)
	if err != nil {
		return nil, err
	}
	ex := &storage.Export{Ticket: t}
	if ex.Salon, err = db.FindSalonByID(ctx, t.SalonID); err != nil {
		return nil, err
	}
	if ex.Messages, err = db.FindMessages(ctx, storage.OutboxFilter{TicketID: t.ID}); err != nil {
		return nil, err
	}
	if ex.Scans, err = db.findScans(ctx, `ticket_id = ?`, t.ID); err != nil {
		return nil, err
	}
	if ex.Audit, err = db.ticketAudit(ctx, t); err != nil {
		return nil, err
	}
	ex.Feed = t.Email != ""
	err = db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM idempotency_keys WHERE ticket_id = ?`, t.ID).Scan(&ex.IdempotencyKeys)
	if err != nil {
		return nil, fmt.Errorf("storage: unable to export ticket: %w", err)
	}
	return ex, nil
}

// ticketAuditCond selects the audit entries about one ticket: those of
// the ticket actions whose detail starts with its id (salon id, id, id+" %").
const ticketAuditCond = `salon_id = ? AND action IN ('ticket.cancel', 'ticket.checkin', 'ticket.undo_checkin', 'ticket.erase')
	AND (detail = ? OR detail LIKE ?)`

// ticketAudit lists the audit entries about t, oldest first.
func (db *DB) ticketAudit(ctx context.Context, t *tickets.Ticket) ([]*storage.AuditEntry, error) {
	id := strconv.FormatInt(t.ID, 10)
	rows, err := db.read.QueryContext(ctx, `SELECT id, COALESCE(user_id, 0), actor, action, detail, ip, created_at
		FROM audit_log WHERE `+ticketAuditCond+` ORDER BY id`, t.SalonID, id, id+" %")
	if err != nil {
		return nil, fmt.Errorf("storage: unable to list audit log: %w", err)
	}
	defer rows.Close()
	var out []*storage.AuditEntry
	for rows.Next() {
		e := storage.AuditEntry{SalonID: t.SalonID, Salon: t.Salon}
		var created int64
		if err := rows.Scan(&e.ID, &e.UserID, &e.Actor, &e.Action, &e.Detail, &e.IP, &created); err != nil {
			return nil, fmt.Errorf("storage: unable to read audit entry: %w", err)
		}
		e.CreatedAt = unix(created)
		out = append(out, &e)
	}
	return out, rows.Err()
}

// EraseTicket removes the personal data of the ticket a manage token
// opens; an active ticket is cancelled, without a notice, and its seat
// promotes from the waitlist in the same write.
func (db *DB) EraseTicket(ctx context.Context, token string) (*tickets.Ticket, error) {
	id, err := db.ticketIDByToken(ctx, token)
	if err != nil {
		return nil, err
	}
	var salonID int64
	err = db.update(ctx, func(tx *Tx) error {
		var status, email string
		var erased *int64
		err := tx.QueryRowContext(ctx, `SELECT salon_id, status, email, erased_at FROM tickets WHERE id = ?`, id).
			Scan(&salonID, &status, &email, &erased)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("Ticket")
		} else if err != nil {
			return fmt.Errorf("storage: unable to fetch ticket: %w", err)
		}
		if erased != nil {
			return nil
		}
		db.ticketsChanged(tx)
		if status != tickets.StatusCancelled {
			s, err := releaseSeat(ctx, tx, id, salonID, status)
			if err != nil {
				return err
			}
			if err := promote(ctx, tx, s); err != nil {
				return err
			}
		}
		return eraseTicket(ctx, tx, id, salonID, email, "")
	})
	if err != nil {
		return nil, err
	}
	return db.FindTicketByID(ctx, salonID, id)
}

// eraseEndedQuery finds a batch of tickets past retention: from the ended
// salons to their tickets by the salon index. Joined the other way round
// and ordered by ticket id, it scanned every ticket in the writer (290 ms
// at a million) at each start and each hour, even with nothing due, and
// held up every write meanwhile, the first health probe included.
const eraseEndedQuery = `SELECT t.id, t.salon_id, t.email FROM tickets t
	WHERE t.salon_id IN (SELECT id FROM salons WHERE ends_at < ?) AND t.erased_at IS NULL
	ORDER BY t.salon_id, t.id LIMIT ?`

// EraseEnded erases up to limit tickets of salons that ended before before,
// leaving their status and the salons' counts as they are.
func (db *DB) EraseEnded(ctx context.Context, before time.Time, limit int) (int, error) {
	if limit <= 0 {
		return 0, nil
	}
	var n int
	err := db.update(ctx, func(tx *Tx) error {
		n = 0
		rows, err := tx.QueryContext(ctx, eraseEndedQuery, before.Unix(), limit)
		if err != nil {
			return fmt.Errorf("storage: unable to find tickets past retention: %w", err)
		}
		type due struct {
			id, salonID int64
			email       string
		}
		all, err := sqlscan.All(rows, func(d *due) []any { return []any{&d.id, &d.salonID, &d.email} })
		if err != nil {
			return fmt.Errorf("storage: unable to read tickets: %w", err)
		}
		for _, d := range all {
			if err := eraseTicket(ctx, tx, d.id, d.salonID, d.email, "retention"); err != nil {
				return err
			}
		}
		if n = len(all); n > 0 {
			db.ticketsChanged(tx)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// eraseTicket removes the personal data of ticket id (whose email was
// email) from every table that holds it, and records the erasure with the
// id and why alone.
func eraseTicket(ctx context.Context, tx *Tx, id, salonID int64, email, why string) error {
	now := tx.now.Unix()
	if _, err := tx.ExecContext(ctx, `UPDATE tickets SET name = '', email = '', company = '', job_title = '', answers = '{}',
		erased_at = ?, updated_at = ? WHERE id = ?`, now, now, id); err != nil {
		return fmt.Errorf("storage: unable to erase ticket: %w", err)
	}
	// Mail not yet sent is failed, so no worker sends it to the address;
	// a message being sent now may still go out, as it was already built.
	if _, err := tx.ExecContext(ctx, `UPDATE outbox SET recipient = '', payload = '{}',
		last_error = CASE WHEN status = 'sent' THEN '' ELSE ? END,
		status = CASE WHEN status IN ('queued', 'sending') THEN 'failed' ELSE status END
		WHERE ticket_id = ?`, erasedMailError, id); err != nil {
		return fmt.Errorf("storage: unable to erase outbox rows: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE ticket_id = ?`, id); err != nil {
		return fmt.Errorf("storage: unable to erase idempotency keys: %w", err)
	}
	if email != "" {
		sid := strconv.FormatInt(id, 10)
		if _, err := tx.ExecContext(ctx, `UPDATE audit_log SET detail = trim(replace(replace(detail, ?, ''), '  ', ' '))
			WHERE `+ticketAuditCond, email, salonID, sid, sid+" %"); err != nil {
			return fmt.Errorf("storage: unable to erase audit details: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM feeds WHERE email = ?
			AND NOT EXISTS (SELECT 1 FROM tickets WHERE email = ?)`, email, email); err != nil {
			return fmt.Errorf("storage: unable to erase feed: %w", err)
		}
	}
	// The ticket's email links end with its address.
	if _, err := tx.ExecContext(ctx, `DELETE FROM email_links WHERE ticket_id = ?`, id); err != nil {
		return fmt.Errorf("storage: unable to erase email links: %w", err)
	}
	detail := strconv.FormatInt(id, 10)
	if why != "" {
		detail += " " + why
	}
	return auditAlways(ctx, tx, storage.ActionTicketErase, salonID, detail)
}
