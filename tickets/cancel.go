package tickets

import "salon/events"

// What cancelling a ticket does, as its page says before the guest
// confirms. A waitlisted guest frees no seat, so is never told one frees.
const (
	// EffectSeatToWaitlist: the seat goes to the first person waiting.
	EffectSeatToWaitlist = "seat_to_waitlist"
	// EffectSeatFreed: the seat is freed, and nobody is waiting for it.
	EffectSeatFreed = "seat_freed"
	// EffectLeaveWaitlist: the guest leaves the waitlist; no seat changes hands.
	EffectLeaveWaitlist = "leave_waitlist"
)

// CancelEffect says what cancelling a ticket of status in s would do now,
// by the rule the store follows when it cancels: the seat given back
// promotes someone only when it leaves a seat free (see Promotions) and
// the salon goes on. It is "" for a ticket already cancelled.
func CancelEffect(status string, s *events.Salon) string {
	switch status {
	case StatusWaitlisted:
		return EffectLeaveWaitlist
	case StatusConfirmed:
		if s.Status != events.StatusCancelled && Promotions(s.Capacity, s.Confirmed-1, s.Waitlisted) > 0 {
			return EffectSeatToWaitlist
		}
		return EffectSeatFreed
	}
	return ""
}
