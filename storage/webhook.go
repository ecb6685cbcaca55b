package storage

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"salon/events"
	"salon/tickets"
)

// The webhook event types, as the contract names them.
const (
	EventRSVPCreated    = "rsvp.created"
	EventRSVPCancelled  = "rsvp.cancelled"
	EventTicketPromoted = "ticket.promoted"
	// EventTicketApproved: an organizer approved a pending ticket; it is
	// now confirmed or waitlisted.
	EventTicketApproved = "ticket.approved"
	EventCheckinCreated = "checkin.created"
	EventSalonChanged   = "salon.changed"
	EventSalonCancelled = "salon.cancelled"
)

// WebhookEvents lists every event type a webhook may subscribe to.
var WebhookEvents = []string{EventRSVPCreated, EventRSVPCancelled, EventTicketPromoted, EventTicketApproved,
	EventCheckinCreated, EventSalonChanged, EventSalonCancelled}

// Webhook delivery statuses.
const (
	DeliveryPending   = "pending"
	DeliverySending   = "sending"
	DeliveryDelivered = "delivered"
	DeliveryFailed    = "failed"
)

// Webhook is an address an organizer's other tools listen on. An
// organizer's webhooks get the events of their own salons; an admin's get
// every salon's.
type Webhook struct {
	ID     int64
	UserID int64
	URL    string
	Events []string
	// Secret is the HMAC key deliveries are signed with ("whsec_" and
	// base64), kept as it is: signing needs it back.
	Secret    string
	CreatedAt time.Time
}

// Delivery is one event on its way to one webhook. Its row is written in
// the same transaction as the change it reports.
type Delivery struct {
	ID        int64
	WebhookID int64
	// URL and Secret are the webhook's, read with the delivery so that a
	// worker needs no second lookup.
	URL    string
	Secret string
	// EventID is the webhook-id header: the same on every attempt, so
	// receivers can drop a repeat.
	EventID string
	Type    string
	// Body is the exact JSON posted and signed.
	Body          []byte
	Status        string
	Attempts      int
	NextAttemptAt time.Time
	// ResponseCode is the receiver's last HTTP status, 0 when it gave none.
	ResponseCode int
	LastError    string
	CreatedAt    time.Time
	DeliveredAt  *time.Time
}

// Webhooks keeps webhooks and their durable delivery queue. Owner ids
// scope every lookup by id: 0 means any owner (an admin), otherwise another
// owner's webhook or delivery is ENOTFOUND, like one that does not exist.
type Webhooks interface {
	// CreateWebhook saves w (the caller made its secret); w gets its id.
	// Audited as webhook.create.
	CreateWebhook(ctx context.Context, w *Webhook) error
	// FindWebhooks lists owner's webhooks (every one for owner 0), oldest first.
	FindWebhooks(ctx context.Context, owner int64) ([]*Webhook, error)
	// FindWebhook returns webhook id within owner.
	FindWebhook(ctx context.Context, id, owner int64) (*Webhook, error)
	// DeleteWebhook removes webhook id of owner and its deliveries.
	// Audited as webhook.delete.
	DeleteWebhook(ctx context.Context, id, owner int64) error
	// FindDeliveries lists a webhook's latest deliveries, newest first.
	FindDeliveries(ctx context.Context, webhookID int64, limit int) ([]*Delivery, error)
	// ClaimDeliveries hands up to limit due deliveries to the caller,
	// oldest first, marking them sending for lease and counting the
	// attempt. A delivery whose lease ran out (its sender stopped) is due
	// again. Concurrent claimers, in this process or another, never hold
	// the same delivery at once.
	ClaimDeliveries(ctx context.Context, limit int, lease time.Duration) ([]*Delivery, error)
	// MarkDelivered, MarkDeliveryRetry and MarkDeliveryFailed move on a
	// delivery claimed as attempt; when it is no longer that claim (its
	// lease ran out and someone claimed it again) they are ECONFLICT.
	MarkDelivered(ctx context.Context, id int64, attempt, code int) error
	// MarkDeliveryRetry: see MarkDelivered; due again at next.
	MarkDeliveryRetry(ctx context.Context, id int64, attempt, code int, errText string, next time.Time) error
	// MarkDeliveryFailed: see MarkDelivered; the delivery stays, with its error.
	MarkDeliveryFailed(ctx context.Context, id int64, attempt, code int, errText string) error
	// RetryDelivery queues delivery id of a webhook of owner again, due
	// now, with the same event id ("send again"); one being sent is
	// ECONFLICT. Audited as webhook.resend.
	RetryDelivery(ctx context.Context, id, owner int64) error
}

// WebhookBody is the JSON posted for one event: {"type", "timestamp", "data"}.
func WebhookBody(eventType string, at time.Time, data any) ([]byte, error) {
	b, err := json.Marshal(struct {
		Type      string `json:"type"`
		Timestamp string `json:"timestamp"`
		Data      any    `json:"data"`
	}{eventType, at.UTC().Format(time.RFC3339), data})
	if err != nil {
		return nil, fmt.Errorf("storage: unable to encode %s event: %w", eventType, err)
	}
	return b, nil
}

// webhookTicket is a ticket as a webhook receiver sees it: no manage token
// or code, which would let the receiver act as the attendee.
type webhookTicket struct {
	ID               string  `json:"id"`
	Salon            string  `json:"salon"`
	Name             string  `json:"name"`
	Email            string  `json:"email"`
	Company          string  `json:"company"`
	JobTitle         string  `json:"job_title"`
	Lang             string  `json:"lang"`
	Status           string  `json:"status"`
	Guests           int     `json:"guests"`
	WaitlistPosition *int    `json:"waitlist_position"`
	CheckedInAt      *string `json:"checked_in_at"`
	CreatedAt        string  `json:"created_at"`
}

// TicketEventData is the data of a ticket event: {"ticket": …}.
func TicketEventData(t *tickets.Ticket) any {
	j := webhookTicket{ID: strconv.FormatInt(t.ID, 10), Salon: t.Salon, Name: t.Name, Email: t.Email,
		Company: t.Company, JobTitle: t.JobTitle, Lang: t.Lang, Status: t.Status, Guests: t.Guests,
		CreatedAt: t.CreatedAt.UTC().Format(time.RFC3339)}
	if t.Status == tickets.StatusWaitlisted && t.WaitlistPosition > 0 {
		p := t.WaitlistPosition
		j.WaitlistPosition = &p
	}
	if t.CheckedInAt != nil {
		s := t.CheckedInAt.UTC().Format(time.RFC3339)
		j.CheckedInAt = &s
	}
	return map[string]any{"ticket": j}
}

// SalonEventData is the data of a salon event: {"salon": …}, times in
// the salon's zone.
func SalonEventData(s *events.Salon) any {
	loc := events.ZoneOrDefault(s.Timezone)
	return map[string]any{"salon": map[string]any{
		"slug": s.Slug, "title": s.Title, "status": s.Status, "venue": s.Venue, "address": s.Address,
		"starts_at": s.StartsAt.In(loc).Format(time.RFC3339), "ends_at": s.EndsAt.In(loc).Format(time.RFC3339),
		"timezone": s.Timezone, "capacity": s.Capacity, "confirmed": s.Confirmed, "waitlisted": s.Waitlisted,
		"pending": s.Pending, "approval": s.Approval, "max_guests": s.MaxGuests,
		"sequence": s.Sequence,
	}}
}

// NewEventID makes a webhook-id: 128 random bits, unique per delivery and
// kept across its attempts.
func NewEventID() string { return "msg_" + hex.EncodeToString(tickets.RandomBytes(16)) }
