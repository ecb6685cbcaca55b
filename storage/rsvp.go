package storage

import (
	"time"

	"salon/tickets"
)

// RSVPRequest is one RSVP as storage takes it.
type RSVPRequest struct {
	Slug  string
	Input tickets.RSVPInput
	// IdempotencyKey, when not empty, makes a repeat of the same request
	// answer with the ticket the first one made, in its state now, but
	// without its manage or feed token: anyone who has the key and the body
	// can replay it, so the replay is no way into the ticket (the
	// confirmation mail is).
	IdempotencyKey string
}

// RSVPResult is a taken RSVP with what its answer shows beside the ticket,
// read in the same write so the answer needs no second look at the database.
type RSVPResult struct {
	Ticket *tickets.Ticket
	// Location is the salon's zone, for the times in the answer.
	Location *time.Location
	// FeedToken is the attendee's personal calendar feed token.
	FeedToken string
	// Replayed is set when the answer replays an earlier RSVP with the same
	// idempotency key; Ticket.Token and FeedToken are then empty.
	Replayed bool
}
