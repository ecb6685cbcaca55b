package tickets

import (
	"strconv"
	"time"
)

// Kinds of notice: what a queued mail tells its attendee. They are stored
// in the outbox, so they are names that must not change.
const (
	NoticeConfirmed         = "confirmed"
	NoticeWaitlisted        = "waitlisted"
	NoticePromoted          = "promoted"
	NoticeAlreadyRegistered = "already_registered"
	NoticeTicketCancelled   = "ticket_cancelled"
	NoticeSalonChanged      = "salon_changed"
	NoticeSalonCancelled    = "salon_cancelled"
	NoticeReminder          = "reminder"
	// NoticeInvitation carries a one-time link where an account's owner
	// sets a password; it is about no salon or ticket.
	NoticeInvitation = "invitation"
	// NoticeMessage is an organizer's message to a salon's guests; its
	// payload names the message (storage.MessagePayload).
	NoticeMessage = "message"
)

// NoticePayload is the outbox payload (JSON) of a notice of kind: what the
// mail needs of the moment it was queued. A new RSVP's notice keeps its
// waitlist position (0 when confirmed), since the ticket may have moved by
// the time the mail goes out; notices that carry a calendar invite keep the
// salon's sequence; the rest carry nothing. It is written by hand, not by
// encoding/json, because it is made inside the writer for every RSVP.
func NoticePayload(kind string, position, sequence int) string {
	switch kind {
	case NoticeConfirmed, NoticeWaitlisted:
		return `{"position":` + strconv.Itoa(position) + `}`
	case NoticePromoted, NoticeAlreadyRegistered:
		return `{}`
	default:
		return `{"sequence":` + strconv.Itoa(sequence) + `}`
	}
}

// ResendWindow keeps a stranger from mail-bombing an attendee by RSVPing
// with their address again and again: one resend per ticket per window.
const ResendWindow = 10 * time.Minute

// ResendAllowed says whether a repeated RSVP may queue the ticket's
// confirmation again at now, given when its last resend was queued (zero
// when it has had none). Only resends count: the first confirmation (or a
// promotion) is no reason to mail nothing to an owner who asks again a
// minute later, and the window still bounds what a stranger can make the
// address receive.
func ResendAllowed(lastResend, now time.Time) bool {
	return lastResend.IsZero() || !lastResend.After(now.Add(-ResendWindow))
}

// Notices of approval: a request waiting for the organizer, and a no. A
// yes is mailed as the confirmation or waitlist notice it leads to.
const (
	NoticePending  = "pending"
	NoticeDeclined = "declined"
)

// NoticeFor is the notice a ticket gets when it takes status: by an RSVP,
// or by an organizer's approval.
func NoticeFor(status string) string {
	switch status {
	case StatusConfirmed:
		return NoticeConfirmed
	case StatusPending:
		return NoticePending
	}
	return NoticeWaitlisted
}

// NoticeEmailLink carries a one-time link to every ticket of the address it
// is mailed to, for export and erasure; it is about no salon.
const NoticeEmailLink = "email_link"
