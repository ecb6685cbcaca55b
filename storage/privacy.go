package storage

import (
	"context"
	"time"

	"salon/events"
	"salon/tickets"
)

// Privacy is what attendees' rights over their personal data need of a
// store: to see everything held about them, and to have it erased.
type Privacy interface {
	// ExportTicket returns everything the store holds about the holder of
	// the ticket a manage token opens; an unknown token is ENOTFOUND.
	ExportTicket(ctx context.Context, token string) (*Export, error)
	// EraseTicket removes the personal data of the ticket a manage token
	// opens, for good, in one write: the ticket's name, email, company
	// and job title; the address (and error text) of its outbox rows, of
	// which those not yet sent are failed and never sent; the email in
	// audit entries about the ticket; its idempotency keys; and the
	// email's calendar feed once no other ticket has that email. An
	// active ticket is cancelled without a notice, and the freed seat goes
	// to the first on the waitlist in the same write. Audited as
	// ticket.erase with the ticket's id alone, whoever asked. Erasing
	// again answers the same; the token keeps opening the erased ticket.
	EraseTicket(ctx context.Context, token string) (*tickets.Ticket, error)
	// EraseEnded erases, as EraseTicket does but leaving every status and
	// count as it is, up to limit tickets not yet erased of salons that
	// ended before before, and returns how many it erased. Concurrent
	// callers, in any process, never erase one ticket twice.
	EraseEnded(ctx context.Context, before time.Time, limit int) (int, error)
	EmailLinks
}

// Export is everything a store holds about one ticket's holder.
type Export struct {
	Ticket *tickets.Ticket
	Salon  *events.Salon
	// Messages are the ticket's outbox rows, oldest first. Bodies are
	// rendered when sent and never stored.
	Messages []*Message
	// Scans are the door's scan log rows of the ticket, oldest first.
	Scans []*Scan
	// Audit lists the audit entries about the ticket, oldest first.
	Audit []*AuditEntry
	// Feed reports whether the ticket's email has a personal calendar
	// feed: its token is derived from the email and the email's first
	// ticket, and a revoked feed keeps a row with its version.
	Feed bool
	// IdempotencyKeys counts the RSVP retry keys kept for the ticket, as
	// hashes of the key and of the request.
	IdempotencyKeys int
}

// ActionTicketErase is the audit action of an erasure; its detail is the
// ticket's id, and "retention" when the retention period ran out.
const ActionTicketErase = "ticket.erase"

// The action is listed here, beside the feature, rather than in audit.go.
func init() { AuditActions = append(AuditActions, ActionTicketErase) }
