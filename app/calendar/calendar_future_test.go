package calendar_test

import (
	"strings"
	"testing"

	"salon/app/internal/apptest"
)

// TestCalendarPastGoZoneTable serves every calendar of a salon in 2045 in
// Berlin, past the end of Go's zone table (2037), with an RSVP whose
// invitation goes out by mail: each must finish and carry the year's real
// DST changes.
func TestCalendarPastGoZoneTable(t *testing.T) {
	ta, smtp := apptest.MailApp(t)
	var slug string
	apptest.Finishes("creating the salon", func() {
		slug = ta.Salon(`"slug":"berlin-2045","timezone":"Europe/Berlin",` +
			`"starts_at":"2045-06-01T19:00:00+02:00","ends_at":"2045-06-01T21:00:00+02:00"`)
	})
	dst := "BEGIN:DAYLIGHT\r\nDTSTART:20450326T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n"
	var token, feed string
	apptest.Finishes("RSVP", func() { token, feed, _ = ta.RSVP(slug, "Ana", "ana@example.com") })
	for _, path := range []string{"/salons/" + slug + ".ics", "/calendar.ics", "/t/" + token + "/invite.ics", feed} {
		var status int
		var body string
		apptest.Finishes("GET "+path, func() { status, body, _ = ta.GetICS(path) })
		if status != 200 {
			t.Fatalf("GET %s: %d %s", path, status, body)
		}
		parseICS(t, body)
		if !strings.Contains(body, "DTSTART;TZID=Europe/Berlin:20450601T190000") || !strings.Contains(body, dst) {
			t.Errorf("GET %s: no Berlin wall time or no DST change of 2045:\n%s", path, body)
		}
	}
	// The mail worker renders the invitation too; waitMail gives up after 10s.
	if msgs := len(apptest.WaitMail(t, smtp, 1)); msgs != 1 || !strings.Contains(string(smtp.Messages()[0].Data), "METHOD:REQUEST") {
		t.Fatalf("%d mails, or the first has no invitation", msgs)
	}
}
