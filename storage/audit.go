package storage

import (
	"context"
	"fmt"
	"strings"
	"time"

	"salon/events"
)

// Actor is the person a write is done for, as the audit log records them.
// The app puts it in the request's context once, where it authenticates
// (WithActor); every audited write reads it from there and records its
// audit row in the same transaction as the change, so a change without
// its row, or a row without its change, cannot be committed.
type Actor struct {
	UserID int64
	// Email is the account's email at the time of the action.
	Email string
	IP    string
	// Via names the surface when it is not the console ("api"); it is
	// added to the entry's detail.
	Via string
}

type actorKey struct{}

// WithActor returns ctx carrying a, for the audited writes made with it.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor ctx carries, if any. Writes made without one
// (the command line, the mail worker, attendees themselves) are not audited,
// as no organizer or admin made them.
func ActorFrom(ctx context.Context) (Actor, bool) {
	a, ok := ctx.Value(actorKey{}).(Actor)
	return a, ok
}

// The audit actions. The console shows each through its catalogue text
// "audit.<action>".
const (
	ActionSalonCreate  = "salon.create"
	ActionSalonUpdate  = "salon.update"
	ActionSalonPublish = "salon.publish"
	ActionSalonCancel  = "salon.cancel"
	ActionTicketCancel = "ticket.cancel"
	ActionCheckin      = "ticket.checkin"
	ActionUndoCheckin  = "ticket.undo_checkin"
	ActionDoorLinkMake = "door_link.create"
	ActionDoorLinkStop = "door_link.revoke"
	ActionMailRetry    = "mail.retry"
	ActionTokenCreate  = "token.create"
	ActionTokenRevoke  = "token.revoke"
	ActionUserCreate   = "user.create"
	ActionLogin        = "login"
	ActionSetup        = "account.setup"
)

// AuditActions lists every action a store records.
var AuditActions = []string{ActionSalonCreate, ActionSalonUpdate, ActionSalonPublish, ActionSalonCancel,
	ActionTicketCancel, ActionCheckin, ActionUndoCheckin, ActionDoorLinkMake, ActionDoorLinkStop, ActionMailRetry,
	ActionTokenCreate, ActionTokenRevoke, ActionUserCreate, ActionLogin, ActionSetup}

// SalonAction names a salon change for the audit log: a change of status
// is a publication or cancellation, anything else an edit.
func SalonAction(before, after string) string {
	if before != after {
		switch after {
		case events.StatusPublished:
			return ActionSalonPublish
		case events.StatusCancelled:
			return ActionSalonCancel
		}
	}
	return ActionSalonUpdate
}

// AuditEntry is one action an organizer or admin took.
type AuditEntry struct {
	ID     int64
	UserID int64
	// Actor is the account's email at the time of the action.
	Actor   string
	Action  string
	SalonID int64
	// Salon is the salon's slug, filled when listing.
	Salon     string
	Detail    string
	IP        string
	CreatedAt time.Time
}

// maxAuditDetail bounds the free text of an entry.
const maxAuditDetail = 500

// audit records action by the actor ctx carries, inside the write tx, so
// the entry commits or rolls back with the change it records. Without an
// actor it records nothing.
func audit(ctx context.Context, tx *Tx, action string, salonID int64, detail string) error {
	a, ok := ActorFrom(ctx)
	if !ok {
		return nil
	}
	return insertAudit(ctx, tx, &AuditEntry{UserID: a.UserID, Actor: a.Email, IP: a.IP, Action: action, SalonID: salonID,
		Detail: strings.TrimSpace(detail + " " + a.Via)})
}

func insertAudit(ctx context.Context, tx *Tx, e *AuditEntry) error {
	e.Detail = truncate(e.Detail, maxAuditDetail)
	var user, salon any
	if e.UserID != 0 {
		user = e.UserID
	}
	if e.SalonID != 0 {
		salon = e.SalonID
	}
	e.CreatedAt = tx.now
	res, err := tx.ExecContext(ctx, `INSERT INTO audit_log (user_id, actor, action, salon_id, detail, ip, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, user, e.Actor, e.Action, salon, e.Detail, truncate(e.IP, 64), tx.now.Unix())
	if err != nil {
		return fmt.Errorf("storage: unable to write audit entry: %w", err)
	}
	e.ID, _ = res.LastInsertId()
	return nil
}

// AuditFilter selects audit entries; zero fields do not filter.
type AuditFilter struct {
	SalonID int64
	// OrganizerID keeps entries about that organizer's salons, and the
	// organizer's own entries.
	OrganizerID int64
	Limit       int
}

// FindAudit lists audit entries, newest first.
func (db *DB) FindAudit(ctx context.Context, f AuditFilter) ([]*AuditEntry, error) {
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
	var out []*AuditEntry
	for rows.Next() {
		var e AuditEntry
		var created int64
		if err := rows.Scan(&e.ID, &e.UserID, &e.Actor, &e.Action, &e.SalonID, &e.Salon, &e.Detail, &e.IP, &created); err != nil {
			return nil, fmt.Errorf("storage: unable to read audit entry: %w", err)
		}
		e.CreatedAt = unix(created)
		out = append(out, &e)
	}
	return out, rows.Err()
}
