package events_test

import (
	"testing"
	"time"

	"salon/events"
)

func TestSalonPublicState(t *testing.T) {
	s := validSalon()
	s.RSVPDeadline = s.StartsAt.Add(-time.Hour)
	before := s.RSVPDeadline.Add(-time.Minute)
	for _, tc := range []struct {
		name string
		mod  func(*events.Salon)
		now  time.Time
		want string
	}{
		{"open", func(*events.Salon) {}, before, events.StateOpen},
		{"full with waitlist", func(s *events.Salon) { s.Confirmed, s.Waitlist = s.Capacity, true }, before, events.StateFullWaitlist},
		{"full without waitlist", func(s *events.Salon) { s.Confirmed = s.Capacity }, before, events.StateWaitlistClosed},
		{"over capacity without waitlist", func(s *events.Salon) { s.Confirmed = s.Capacity + 2 }, before, events.StateWaitlistClosed},
		{"deadline passed", func(*events.Salon) {}, s.RSVPDeadline.Add(time.Minute), events.StateRSVPClosed},
		{"full and deadline passed", func(s *events.Salon) { s.Confirmed = s.Capacity }, s.RSVPDeadline.Add(time.Minute), events.StateRSVPClosed},
		{"started", func(*events.Salon) {}, s.StartsAt, events.StateStarted},
		{"ended", func(*events.Salon) {}, s.EndsAt, events.StateEnded},
		{"cancelled before", func(s *events.Salon) { s.Status = events.StatusCancelled }, before, events.StateCancelled},
		{"cancelled and ended", func(s *events.Salon) { s.Status = events.StatusCancelled }, s.EndsAt.Add(time.Hour), events.StateCancelled},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := s
			tc.mod(&c)
			if got := c.PublicState(tc.now); got != tc.want {
				t.Fatalf("PublicState = %q, want %q", got, tc.want)
			}
		})
	}
}
