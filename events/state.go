package events

import "time"

// What a salon's public pages say about it, most important first: a reader
// must never see seats offered for a cancelled or finished evening.
const (
	StateOpen           = "open"            // taking RSVPs, seats left
	StateFullWaitlist   = "full_waitlist"   // full; RSVPs join the waitlist
	StateWaitlistClosed = "waitlist_closed" // full and no waitlist
	StateRSVPClosed     = "rsvp_closed"     // the RSVP deadline has passed
	StateStarted        = "started"
	StateEnded          = "ended"
	StateCancelled      = "cancelled"
)

// PublicState is the one state the public pages show for the salon at
// now. It agrees with RSVPOpen: only open and full_waitlist take RSVPs.
func (s *Salon) PublicState(now time.Time) string {
	switch {
	case s.Status == StatusCancelled:
		return StateCancelled
	case !now.Before(s.EndsAt):
		return StateEnded
	case !now.Before(s.StartsAt):
		return StateStarted
	case now.After(s.RSVPDeadline):
		return StateRSVPClosed
	case s.SeatsLeft() > 0:
		return StateOpen
	case s.Waitlist:
		return StateFullWaitlist
	}
	return StateWaitlistClosed
}

// TakesRSVPs reports whether a salon in state accepts an RSVP (a seat or
// a place on the waitlist).
func TakesRSVPs(state string) bool { return state == StateOpen || state == StateFullWaitlist }
