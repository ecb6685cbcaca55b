package postgres

import (
	"context"
	"fmt"
	"strings"

	"salon/storage"
)

// audit records action by the actor ctx carries, inside the write tx, so
// the entry commits or rolls back with the change it records. Without an
// actor it records nothing.
func audit(ctx context.Context, tx *Tx, action string, salonID int64, detail string) error {
	a, ok := storage.ActorFrom(ctx)
	if !ok {
		return nil
	}
	return insertAudit(ctx, tx, &storage.AuditEntry{UserID: a.UserID, Actor: a.Email, IP: a.IP, Action: action, SalonID: salonID,
		Detail: strings.TrimSpace(detail + " " + a.Via)})
}

// auditAlways records action even without an actor (an attendee, or the
// server itself), with an empty actor: erasures are recorded whoever asked.
func auditAlways(ctx context.Context, tx *Tx, action string, salonID int64, detail string) error {
	if _, ok := storage.ActorFrom(ctx); ok {
		return audit(ctx, tx, action, salonID, detail)
	}
	return insertAudit(ctx, tx, &storage.AuditEntry{Action: action, SalonID: salonID, Detail: detail})
}

func insertAudit(ctx context.Context, tx *Tx, e *storage.AuditEntry) error {
	e.Detail = storage.Truncate(e.Detail, storage.MaxAuditDetail)
	var user, salon any
	if e.UserID != 0 {
		user = e.UserID
	}
	if e.SalonID != 0 {
		salon = e.SalonID
	}
	e.CreatedAt = tx.now
	err := tx.QueryRowContext(ctx, `INSERT INTO audit_log (user_id, actor, action, salon_id, detail, ip, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, user, e.Actor, e.Action, salon, e.Detail, storage.Truncate(e.IP, 64), tx.now.Unix()).Scan(&e.ID)
	if err != nil {
		return fmt.Errorf("storage: unable to write audit entry: %w", err)
	}
	return nil
}

// FindAudit lists audit entries, newest first.
func (db *DB) FindAudit(ctx context.Context, f storage.AuditFilter) ([]*storage.AuditEntry, error) {
	q := `SELECT a.id, COALESCE(a.user_id, 0), a.actor, a.action, COALESCE(a.salon_id, 0), COALESCE(s.slug, ''),
		a.detail, a.ip, a.created_at FROM audit_log a LEFT JOIN salons s ON s.id = a.salon_id WHERE 1 = 1`
	var args []any
	if f.SalonID != 0 {
		q, args = q+` AND a.salon_id = ?`, append(args, f.SalonID)
	}
	if f.OrganizerID != 0 {
		q, args = q+` AND (s.organizer_id = ? OR a.user_id = ?)`, append(args, f.OrganizerID, f.OrganizerID)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 200
	}
	rows, err := db.read.QueryContext(ctx, q+` ORDER BY a.id DESC LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("storage: unable to list audit log: %w", err)
	}
	defer rows.Close()
	var out []*storage.AuditEntry
	for rows.Next() {
		var e storage.AuditEntry
		var created int64
		if err := rows.Scan(&e.ID, &e.UserID, &e.Actor, &e.Action, &e.SalonID, &e.Salon, &e.Detail, &e.IP, &created); err != nil {
			return nil, fmt.Errorf("storage: unable to read audit entry: %w", err)
		}
		e.CreatedAt = unix(created)
		out = append(out, &e)
	}
	return out, rows.Err()
}
