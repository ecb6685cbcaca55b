package storage

import "time"

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
	MessageID string
	Status    string
	Attempts  int
	// Claim names the claim that handed the message out: each claim
	// raises it, and only the current one may mark the message, so a
	// worker that stalled past its lease cannot overwrite the outcome of
	// the worker that took the message over.
	Claim         int64
	NextAttemptAt time.Time
	LastError     string
	CreatedAt     time.Time
	SentAt        *time.Time
	// Slug is the slug of the salon the message is about, filled in by
	// FindMessages; empty for mail about no salon.
	Slug string
	// SalonTitle is that salon's title, filled in by FindMessages.
	SalonTitle string
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
