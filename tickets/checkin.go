package tickets

// Check-in results, as the API contract names them. They are plain strings
// rather than errors because every one of them is a normal answer at the
// door, shown to staff, not a failure of the server.
const (
	// CheckinOK: the ticket is confirmed, for this salon, and not used yet.
	CheckinOK = "ok"
	// CheckinAlready: the ticket was checked in before; a second person
	// with a copy of the code, or the same person scanned twice.
	CheckinAlready = "already_checked_in"
	// CheckinNotConfirmed: the ticket is waitlisted or cancelled, so it
	// holds no seat. A cancelled ticket's code is revoked this way.
	CheckinNotConfirmed = "not_confirmed"
	// CheckinWrongSalon: a genuine ticket, but for another salon.
	CheckinWrongSalon = "wrong_salon"
	// CheckinInvalid: not a ticket code of this server, or no ticket
	// behind it.
	CheckinInvalid = "invalid"
)

// DecideCheckin says what scanning a ticket at the door of salon salonID
// means. t is the ticket storage found for a verified code, nil when the
// code did not verify or no ticket has its id.
//
// The order of the checks is the order of what staff need to hear: a ticket
// for another salon is turned away as such whatever its status (the person
// is at the wrong door, and this door has no business with that salon's
// list); then a ticket holding no seat; only then whether the seat was used.
// Any status other than confirmed is refused, so a status added later
// fails closed. Idempotent repeats (same nonce) are storage's to recognise:
// this function sees only the ticket.
func DecideCheckin(t *Ticket, salonID int64) string {
	switch {
	case t == nil:
		return CheckinInvalid
	case t.SalonID != salonID:
		return CheckinWrongSalon
	case t.Status != StatusConfirmed:
		return CheckinNotConfirmed
	case t.CheckedInAt != nil:
		return CheckinAlready
	}
	return CheckinOK
}
