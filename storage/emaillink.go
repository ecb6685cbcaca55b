package storage

import (
	"context"
	"time"

	"salon/events"
)

// Email links prove that a ticket's holder reads the ticket's address:
// a ticket's link alone does not (whoever RSVPs with an address gets the
// link), so export and erasure over every ticket of an email go through a
// one-time link mailed to that address.
const (
	// EmailLinkTTL is how long an email link stays valid.
	EmailLinkTTL = 24 * time.Hour
	// EmailLinkGap is the least time between two links for one address.
	EmailLinkGap = 10 * time.Minute
	// EmailLinkDaily is how many links one address may get in EmailLinkTTL.
	EmailLinkDaily = 5
)

// ErrEmailLinkLimited answers a link asked for too soon after the last
// one, or too often in a day, for the address.
var ErrEmailLinkLimited = &events.Error{Code: events.ERATELIMITED,
	Message: "A link was mailed to this address a short while ago; check your inbox, or ask again later."}

// EmailLinkRequest asks for an email link for the address of the ticket a
// manage token opens.
type EmailLinkRequest struct {
	TicketToken string
	// MailURL is what the mailed link starts with; the token follows it.
	MailURL string
	// Lang is the mail's language.
	Lang string
}

// EmailLinkPayload is the outbox payload of an email link's mail: the
// link itself, since only its hash is stored elsewhere. It is blanked once
// the mail is sent, and when the link is replaced or its tickets erased.
type EmailLinkPayload struct {
	URL       string `json:"url"`
	Name      string `json:"name,omitempty"`
	ExpiresAt int64  `json:"expires_at"`
}

// EmailLink is an unspent, unexpired email link: whose address it proves
// and every ticket of that address.
type EmailLink struct {
	Email     string
	CreatedAt time.Time
	ExpiresAt time.Time
	// Tickets are every ticket of Email, oldest first, with their salons'
	// slugs and titles.
	Tickets []*EmailTicket
}

// EmailTicket is one ticket of an email link's address, for its page.
type EmailTicket struct {
	TicketID int64
	Status   string
	Salon    *events.Salon
}

// EmailExport is everything held about the owner of an address: the
// export of each of its tickets, oldest first.
type EmailExport struct {
	Email   string
	Tickets []*Export
}

// EmailLinks are the one-time links over every ticket of an email.
type EmailLinks interface {
	// CreateEmailLink makes a link for the address of the ticket
	// r.TicketToken opens, and queues its mail to that address in the same
	// write; the token is returned in clear, once, and only its hash is
	// kept. The address's earlier unspent links stop working. An unknown
	// or erased ticket is ENOTFOUND; a link within EmailLinkGap of the
	// address's last one, or beyond EmailLinkDaily in EmailLinkTTL, is
	// ErrEmailLinkLimited, however many ask at once, from any process.
	CreateEmailLink(ctx context.Context, r EmailLinkRequest) (string, error)
	// FindEmailLink returns the link a token opens, with the address's
	// tickets; an unknown, spent or replaced link (or one whose address was
	// erased) is ENOTFOUND, an expired one ErrLinkExpired.
	FindEmailLink(ctx context.Context, token string) (*EmailLink, error)
	// ExportEmail returns the export of every ticket of the link's
	// address; errors as FindEmailLink.
	ExportEmail(ctx context.Context, token string) (*EmailExport, error)
	// EraseEmail erases every ticket of the link's address as EraseTicket
	// does (active ones cancelled, seats promoted from the waitlists), and
	// spends the link, all in one write; it returns how many tickets it
	// erased. Errors as FindEmailLink, so a second call is ENOTFOUND.
	EraseEmail(ctx context.Context, token string) (int, error)
}

// ErasedByEmailLink is the reason an erasure through an email link gives in
// its ticket.erase audit entry, after the ticket's id.
const ErasedByEmailLink = "email"
