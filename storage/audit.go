package storage

import (
	"context"
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
	// Account actions (see AccountChanges).
	ActionUserInvite   = "user.invite"
	ActionUserReset    = "user.reset"
	ActionUserPassword = "user.password"
	ActionUserUpdate   = "user.update"
	ActionUserDisable  = "user.disable"
	ActionUserEnable   = "user.enable"
	// The webhook actions.
	ActionWebhookCreate = "webhook.create"
	ActionWebhookDelete = "webhook.delete"
	ActionWebhookResend = "webhook.resend"
	// Approval actions (see Approvals).
	ActionTicketApprove = "ticket.approve"
	ActionTicketDecline = "ticket.decline"
	// ActionIndustryCreate records an industry added to the list.
	ActionIndustryCreate = "industry.create"
)

// AuditActions lists every action a store records.
var AuditActions = []string{ActionSalonCreate, ActionSalonUpdate, ActionSalonPublish, ActionSalonCancel,
	ActionTicketCancel, ActionCheckin, ActionUndoCheckin, ActionDoorLinkMake, ActionDoorLinkStop, ActionMailRetry,
	ActionTokenCreate, ActionTokenRevoke, ActionUserCreate, ActionLogin, ActionSetup,
	ActionUserInvite, ActionUserReset, ActionUserPassword, ActionUserUpdate, ActionUserDisable, ActionUserEnable,
	ActionWebhookCreate, ActionWebhookDelete, ActionWebhookResend,
	ActionTicketApprove, ActionTicketDecline,
	ActionIndustryCreate}

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

// AuditFilter selects audit entries; zero fields do not filter.
type AuditFilter struct {
	SalonID int64
	// OrganizerID keeps entries about that organizer's salons, and the
	// organizer's own entries.
	OrganizerID int64
	Limit       int
}
