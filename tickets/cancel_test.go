package tickets

import (
	"testing"

	"salon/events"
)

func TestCancelEffect(t *testing.T) {
	salon := func(capacity, confirmed, waitlisted int, status string) *events.Salon {
		return &events.Salon{Capacity: capacity, Confirmed: confirmed, Waitlisted: waitlisted, Waitlist: true, Status: status}
	}
	for _, tc := range []struct {
		name   string
		ticket string
		salon  *events.Salon
		want   string
	}{
		{"confirmed, people waiting", StatusConfirmed, salon(2, 2, 3, events.StatusPublished), EffectSeatToWaitlist},
		{"pending", StatusPending, salon(2, 2, 3, events.StatusPublished), EffectWithdraw},
		{"declined", StatusDeclined, salon(2, 2, 3, events.StatusPublished), ""},
		{"confirmed, nobody waiting", StatusConfirmed, salon(2, 2, 0, events.StatusPublished), EffectSeatFreed},
		{"confirmed, seats free", StatusConfirmed, salon(5, 2, 0, events.StatusPublished), EffectSeatFreed},
		// Capacity lowered below the confirmed count: a seat given back
		// still leaves none free, so nobody moves up.
		{"confirmed, overbooked by a lowered capacity", StatusConfirmed, salon(2, 4, 3, events.StatusPublished), EffectSeatFreed},
		{"confirmed, salon cancelled", StatusConfirmed, salon(2, 2, 3, events.StatusCancelled), EffectSeatFreed},
		{"waitlisted", StatusWaitlisted, salon(2, 2, 3, events.StatusPublished), EffectLeaveWaitlist},
		{"waitlisted, last one waiting", StatusWaitlisted, salon(2, 2, 1, events.StatusPublished), EffectLeaveWaitlist},
		{"already cancelled", StatusCancelled, salon(2, 2, 3, events.StatusPublished), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			head := 0
			if tc.salon.Waitlisted > 0 {
				head = 1
			}
			if got := CancelEffect(&Ticket{Status: tc.ticket}, tc.salon, head); got != tc.want {
				t.Fatalf("CancelEffect(%s, %+v) = %q, want %q", tc.ticket, tc.salon, got, tc.want)
			}
		})
	}
}

// A party's seats go to the head of the waitlist only when all of the head
// then fits.
func TestCancelEffectParties(t *testing.T) {
	s := &events.Salon{Capacity: 6, Confirmed: 6, Waitlisted: 4, Waitlist: true, Status: events.StatusPublished}
	for _, tc := range []struct {
		name         string
		guests, head int
		want         string
	}{
		{"party of two frees room for a head of two", 1, 2, EffectSeatToWaitlist},
		{"single leaves a head of four waiting", 0, 4, EffectSeatFreed},
		{"party of four makes room for a head of four", 3, 4, EffectSeatToWaitlist},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := CancelEffect(&Ticket{Status: StatusConfirmed, Guests: tc.guests}, s, tc.head); got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}
