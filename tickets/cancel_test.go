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
			if got := CancelEffect(tc.ticket, tc.salon); got != tc.want {
				t.Fatalf("CancelEffect(%s, %+v) = %q, want %q", tc.ticket, tc.salon, got, tc.want)
			}
		})
	}
}
