package storage

import (
	"context"
	"fmt"
	"strings"
	"time"

	"salon/events"
)

// Audiences of an organizer's message: who of a salon's guests get it.
// AudienceAll is every guest holding a place, confirmed or waitlisted.
const (
	AudienceConfirmed  = "confirmed"
	AudienceWaitlisted = "waitlisted"
	AudienceAll        = "all"
)

// Limits on organizers' messages. A message is for the evening's practical
// news (a changed room, what to bring), not a newsletter: a few per salon a
// day keeps a mistaken script or a stolen token from flooding the guests.
const (
	MaxMessageSubject = 200
	MaxMessageBody    = 10000
	// MessagesPerWindow messages may be sent per salon in MessageWindow.
	MessagesPerWindow = 3
	MessageWindow     = 24 * time.Hour
)

// ActionSalonMessage is the audit action of a message to a salon's guests;
// its detail names the audience, how many got it and the subject, never the
// body.
const ActionSalonMessage = "salon.message"

// The action is listed here, beside the feature, rather than in audit.go.
func init() { AuditActions = append(AuditActions, ActionSalonMessage) }

// MessageRequest asks for one mail to each guest of a salon in an audience.
type MessageRequest struct {
	SalonID  int64
	Subject  string
	Body     string
	Audience string
	// SentBy is the account sending it (0 when none).
	SentBy int64
}

// Normalize trims the subject and body and makes line ends LF.
func (r *MessageRequest) Normalize() {
	r.Subject = events.CollapseSpace(r.Subject)
	r.Body = events.NormalizeText(r.Body)
	r.Audience = strings.TrimSpace(r.Audience)
}

// Validate checks the subject (one line), the body and the audience; the
// field names are those of the JSON body: subject, body and to.
func (r *MessageRequest) Validate() error {
	f := events.FieldErrors{}
	if msg := events.CheckLine(r.Subject, 1, MaxMessageSubject); msg != "" {
		f.Add("subject", msg)
	}
	if r.Body == "" {
		f.Add("body", "required")
	} else if msg := events.CheckText(r.Body, MaxMessageBody); msg != "" {
		f.Add("body", msg)
	}
	switch r.Audience {
	case AudienceConfirmed, AudienceWaitlisted, AudienceAll:
	default:
		f.Add("to", "must be confirmed, waitlisted or all")
	}
	return f.Err()
}

// AudienceStatuses are the ticket statuses an audience reaches.
func AudienceStatuses(audience string) []string {
	switch audience {
	case AudienceConfirmed:
		return []string{"confirmed"}
	case AudienceWaitlisted:
		return []string{"waitlisted"}
	}
	return []string{"confirmed", "waitlisted"}
}

// SalonMessage is a message sent to a salon's guests. Its text is kept
// once, here, and each guest's outbox row points at it.
type SalonMessage struct {
	ID       int64
	SalonID  int64
	Subject  string
	Body     string
	Audience string
	// Recipients is how many mails were queued.
	Recipients int
	SentBy     int64
	// Sender is the sending account's email at the time, for the console.
	Sender    string
	CreatedAt time.Time
}

// MessagePayload is the outbox payload of a message mail.
type MessagePayload struct {
	Message int64 `json:"message"`
}

// ErrTooManyMessages is the answer once a salon has sent MessagesPerWindow
// messages in the last MessageWindow.
var ErrTooManyMessages = &events.Error{Code: events.ERATELIMITED,
	Message: fmt.Sprintf("This salon has sent %d messages in the last %d hours; try again later.",
		MessagesPerWindow, int(MessageWindow/time.Hour))}

// Messages are organizers' messages to a salon's guests.
type Messages interface {
	// QueueSalonMessage checks r, then in one write checks the salon's
	// message allowance (ErrTooManyMessages beyond it, however many send
	// at once, from any process), saves the message and queues one mail
	// per guest in the audience that is not erased. With no such guest it
	// writes nothing and answers a message with no recipients. Audited as
	// salon.message.
	QueueSalonMessage(ctx context.Context, r MessageRequest) (*SalonMessage, error)
	// FindSalonMessage returns one message, or ENOTFOUND.
	FindSalonMessage(ctx context.Context, id int64) (*SalonMessage, error)
	// FindSalonMessages lists a salon's messages, newest first.
	FindSalonMessages(ctx context.Context, salonID int64) ([]*SalonMessage, error)
	// CountAudience counts the guests a message to audience would reach.
	CountAudience(ctx context.Context, salonID int64, audience string) (int, error)
}

// PasswordChanges is what a password change by the account's owner needs.
type PasswordChanges interface {
	// ChangePassword replaces userID's password hash (not empty) and ends
	// every session of the account but keepSession (a session id in
	// clear; empty ends them all), in one write, so a browser signed in
	// with the old password is signed out. Audited as user.password.
	ChangePassword(ctx context.Context, userID int64, hash, keepSession string) error
}

// MessageAuditDetail is the audit detail of a message: the audience, how
// many guests it went to and its subject, never its body.
func MessageAuditDetail(audience string, recipients int, subject string) string {
	return fmt.Sprintf("to %s, %d guests: %s", audience, recipients, subject)
}

// ErrPasswordRequired refuses an empty password hash.
var ErrPasswordRequired = &events.Error{Code: events.EINVALID, Message: "password: required",
	Fields: map[string]string{"password": "required"}}
