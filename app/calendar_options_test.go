package app

import (
	"testing"

	"salon/events"
)

// TestCalendarOptions: the organizer comes from --mail-from, named "Salon"
// when the address has no name, and the mail renderer gets the very options
// the calendar files and page links use, so invitations agree everywhere.
func TestCalendarOptions(t *testing.T) {
	for _, tc := range []struct {
		from string
		want events.CalendarOptions
	}{
		{"Team <team@x.example>", events.CalendarOptions{BaseURL: "https://x.example", OrganizerName: "Team", OrganizerEmail: "team@x.example"}},
		{"team@x.example", events.CalendarOptions{BaseURL: "https://x.example", OrganizerName: "Salon", OrganizerEmail: "team@x.example"}},
		{"", events.CalendarOptions{BaseURL: "https://x.example", OrganizerName: "Salon", OrganizerEmail: "no-reply@localhost"}},
	} {
		cfg := Config{DB: "unused", BaseURL: "https://x.example/", MailFrom: tc.from}
		if err := cfg.Validate(); err != nil {
			t.Fatal(err)
		}
		if got := newCalendarOptions(cfg); got != tc.want {
			t.Errorf("%q: %+v, want %+v", tc.from, got, tc.want)
		}
		s := &Server{cfg: cfg, calOpts: newCalendarOptions(cfg)}
		if got := s.Notices().Calendar; got != tc.want {
			t.Errorf("%q: mail invitations use %+v, want %+v", tc.from, got, tc.want)
		}
	}
}
