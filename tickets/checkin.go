package tickets

import "time"

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

// Bounds on the scan time an offline upload may carry.
const (
	// MaxOfflineAge is how far back an offline scan may be dated: a door
	// phone that lost the network uploads its queue once it is back, which
	// is within the evening, or the next day at the latest.
	MaxOfflineAge = 24 * time.Hour
	// MaxClockSkew is how far a door device's clock may run ahead of the
	// server's; a time ahead by less is recorded as now.
	MaxClockSkew = 5 * time.Minute
)

// ScanTime decides when a scan is recorded as made, in whole seconds. An
// online scan is made now, on the server's clock, whatever the device
// claims: it reaches the server as it happens, and a device's word about
// the time would let it backdate check-ins. Only a scan uploaded from a
// device's offline queue keeps its claimed time, from MaxOfflineAge back to
// now; a claim ahead by at most MaxClockSkew is now. A claim outside those
// bounds is refused (ok false) rather than clamped, so that no check-in is
// ever recorded at a time nobody claimed. A zero claim is now.
func ScanTime(claimed, now time.Time, offline bool) (at time.Time, ok bool) {
	now = now.UTC().Truncate(time.Second)
	if !offline || claimed.IsZero() {
		return now, true
	}
	claimed = claimed.UTC().Truncate(time.Second)
	switch {
	case claimed.After(now.Add(MaxClockSkew)), claimed.Before(now.Add(-MaxOfflineAge)):
		return time.Time{}, false
	case claimed.After(now):
		return now, true
	}
	return claimed, true
}
