package events_test

import (
	"testing"

	"salon/events"
)

func TestCheckTransition(t *testing.T) {
	const (
		d = events.StatusDraft
		p = events.StatusPublished
		c = events.StatusCancelled
	)
	for _, tc := range []struct {
		from, to string
		want     string // error code, "" when allowed
	}{
		{d, d, ""},
		{d, p, ""},
		{d, c, ""},
		{p, p, ""},
		{p, c, ""},
		{p, d, events.ECONFLICT},
		{c, c, ""},
		{c, d, events.ECONFLICT},
		{c, p, events.ECONFLICT},
		{c, "bogus", events.ECONFLICT},
	} {
		t.Run(tc.from+" to "+tc.to, func(t *testing.T) {
			err := events.CheckTransition(tc.from, tc.to)
			if got := events.ErrorCode(err); got != tc.want {
				t.Fatalf("CheckTransition(%q, %q) = %v, want code %q", tc.from, tc.to, err, tc.want)
			}
		})
	}
}
