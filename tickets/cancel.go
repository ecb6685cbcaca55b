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
	// EffectWithdraw: a pending request is withdrawn; it held no seat.
	EffectWithdraw = "withdraw"
)

// CancelEffect says what cancelling t would do now, by the rule the store
// follows when it cancels: the seats given back promote the party at the
// head of the waitlist (headSeats seats, 0 when nobody waits) only when all
// of it then fits, and the salon goes on. It is "" for a ticket that holds
// nothing to give up (cancelled or declined).
func CancelEffect(t *Ticket, s *events.Salon, headSeats int) string {
	switch t.Status {
	case StatusWaitlisted:
		return EffectLeaveWaitlist
	case StatusPending:
		return EffectWithdraw
	case StatusConfirmed:
		if s.Status != events.StatusCancelled && headSeats > 0 && Fits(s.Capacity, s.Confirmed-t.Seats(), headSeats) {
			return EffectSeatToWaitlist
		}
		return EffectSeatFreed
	}
	return ""
}
