package events

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

// prop returns the unfolded value of the first line of body's first VEVENT
// (or of the calendar, for METHOD) starting with name followed by ':' or ';'
// (parameters included), or "" when absent.
func prop(body []byte, name string) string {
	text := unfold(string(body))
	if i := strings.Index(text, "\r\nBEGIN:VEVENT\r\n"); i >= 0 && name != "METHOD" {
		text = text[i:]
	}
	for _, l := range strings.Split(text, "\r\n") {
		if strings.HasPrefix(l, name+":") || strings.HasPrefix(l, name+";") {
			return l[len(name):]
		}
	}
	return ""
}

// TestCalendarSequenceAcrossEdits follows one salon through edits and its
// cancellation: UID never changes, SEQUENCE rises with every change
// attendees must see and only then, so clients replace their copy.
func TestCalendarSequenceAcrossEdits(t *testing.T) {
	s := fintechSalon()
	uid := prop(SalonCalendar(s, testCalOpts), "UID")
	if uid != ":salon-42@salon.example.com" {
		t.Fatalf("UID = %q", uid)
	}
	str := func(v string) *string { return &v }
	num := func(v int) *int { return &v }
	later := s.StartsAt.Add(time.Hour)
	cancelled := StatusCancelled
	steps := []struct {
		name   string
		update SalonUpdate
		seq    string
		status string
	}{
		{"capacity only", SalonUpdate{Capacity: num(60)}, ":0", ":CONFIRMED"},
		{"new title", SalonUpdate{Title: str("Fintech founders, winter edition")}, ":1", ":CONFIRMED"},
		{"moved an hour", SalonUpdate{StartsAt: &later, EndsAt: &later}, ":2", ":CONFIRMED"},
		{"description only", SalonUpdate{Description: str("New words.")}, ":2", ":CONFIRMED"},
		{"new venue", SalonUpdate{Venue: str("The Roof")}, ":3", ":CONFIRMED"},
		{"cancelled", SalonUpdate{Status: &cancelled}, ":4", ":CANCELLED"},
	}
	prev := SalonCalendar(s, testCalOpts)
	for _, st := range steps {
		s.Apply(st.update)
		s.UpdatedAt = s.UpdatedAt.Add(time.Minute)
		body := SalonCalendar(s, testCalOpts)
		if got := prop(body, "UID"); got != uid {
			t.Errorf("%s: UID %q, want %q", st.name, got, uid)
		}
		if got := prop(body, "SEQUENCE"); got != st.seq {
			t.Errorf("%s: SEQUENCE%s, want %s", st.name, got, st.seq)
		}
		if got := prop(body, "STATUS"); got != st.status {
			t.Errorf("%s: STATUS%s, want %s", st.name, got, st.status)
		}
		if prop(body, "DTSTAMP") == prop(prev, "DTSTAMP") {
			t.Errorf("%s: DTSTAMP did not move with UpdatedAt", st.name)
		}
		for _, b := range [][]byte{
			InviteCalendar(s, testAttendee(), MethodRequest, testCalOpts),
			FeedCalendar("f", []FeedEntry{{Salon: s}}, testCalOpts),
		} {
			if got := prop(b, "UID"); got != uid {
				t.Errorf("%s: UID %q in invite or feed", st.name, got)
			}
		}
		prev = body
	}
	// The salon's cancellation raised Sequence already; its CANCEL mail
	// carries the same number as the public file.
	if got := prop(InviteCalendar(s, testAttendee(), MethodCancel, testCalOpts), "SEQUENCE"); got != ":4" {
		t.Errorf("CANCEL of a cancelled salon: SEQUENCE%s, want :4", got)
	}
}

// TestCalendarAttendeeStanding covers STATUS, SEQUENCE and PARTSTAT for each
// standing of a person while the salon stands.
func TestCalendarAttendeeStanding(t *testing.T) {
	s := fintechSalon()
	s.Sequence = 10
	cases := []struct {
		name     string
		a        Attendee
		method   string
		status   string
		seq      string
		partstat string
		wantMeth string // METHOD in the file
	}{
		{"confirmed", Attendee{Name: "A", Email: "a@x.io"}, MethodRequest, "CONFIRMED", "10", "ACCEPTED", "REQUEST"},
		{"waitlisted", Attendee{Name: "A", Email: "a@x.io", Waitlisted: true}, MethodRequest, "TENTATIVE", "10", "TENTATIVE", "REQUEST"},
		{"cancelled ticket, request", Attendee{Name: "A", Email: "a@x.io", Cancelled: true}, MethodRequest, "CANCELLED", "11", "DECLINED", "REQUEST"},
		{"cancel mail", Attendee{Name: "A", Email: "a@x.io", Cancelled: true}, MethodCancel, "CANCELLED", "11", "DECLINED", "CANCEL"},
		{"unknown method is a request", Attendee{Name: "A", Email: "a@x.io"}, "PUBLISH\r\nX", "CONFIRMED", "10", "ACCEPTED", "REQUEST"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := InviteCalendar(s, tc.a, tc.method, testCalOpts)
			if got := prop(b, "STATUS"); got != ":"+tc.status {
				t.Errorf("STATUS%s, want %s", got, tc.status)
			}
			if got := prop(b, "SEQUENCE"); got != ":"+tc.seq {
				t.Errorf("SEQUENCE%s, want %s", got, tc.seq)
			}
			if got := prop(b, "ATTENDEE"); !strings.Contains(got, ";PARTSTAT="+tc.partstat+";") {
				t.Errorf("ATTENDEE%s, want PARTSTAT=%s", got, tc.partstat)
			}
			if got := prop(b, "METHOD"); got != ":"+tc.wantMeth {
				t.Errorf("METHOD%s, want %s", got, tc.wantMeth)
			}
			checkWellFormed(t, b, 1)
		})
	}
}

// TestCalendarParams checks parameter values: quoted when they hold ':;,',
// never holding '"' or a control character, and no backslash escapes
// (golang-ical's serializer adds them).
func TestCalendarParams(t *testing.T) {
	cases := []struct{ name, want string }{
		{"Ana Lima", ";CN=Ana Lima:mailto:"},
		{"李娜", ";CN=李娜:mailto:"},
		{"Lima, Ana", `;CN="Lima, Ana":mailto:`},
		{`Ana "Nana" Lima`, ";CN=Ana 'Nana' Lima:mailto:"},
		{"a:b;c", `;CN="a:b;c":mailto:`},
		{"Ana\r\nBEGIN:VALARM", `;CN="Ana BEGIN:VALARM":mailto:`},
		{`back\slash`, `;CN=back\slash:mailto:`},
	}
	for _, tc := range cases {
		o := testCalOpts
		o.OrganizerName = tc.name
		got := prop(InviteCalendar(fintechSalon(), testAttendee(), MethodRequest, o), "ORGANIZER")
		if !strings.HasPrefix(got, tc.want) {
			t.Errorf("name %q: ORGANIZER%s, want it to start with %s", tc.name, got, tc.want)
		}
	}
	o := testCalOpts
	o.OrganizerEmail, o.OrganizerName = "", ""
	if got := prop(InviteCalendar(fintechSalon(), testAttendee(), MethodRequest, o), "ORGANIZER"); got != ":mailto:no-reply@salon.example.com" {
		t.Errorf("ORGANIZER without email: %q", got)
	}
	if got := prop(SalonCalendar(fintechSalon(), o), "ORGANIZER"); got != "" {
		t.Errorf("public file without organizer email has ORGANIZER%s", got)
	}
}

func TestCalendarTimes(t *testing.T) {
	cases := []struct {
		name, zone, start, end string
		wantStart, wantEnd     string
	}{
		{"shanghai", "Asia/Shanghai", "2026-12-05T19:00:00+08:00", "2026-12-05T21:30:00+08:00",
			";TZID=Asia/Shanghai:20261205T190000", ";TZID=Asia/Shanghai:20261205T213000"},
		{"berlin across DST end", "Europe/Berlin", "2026-10-24T22:00:00+02:00", "2026-10-25T04:00:00+01:00",
			";TZID=Europe/Berlin:20261024T220000", ";TZID=Europe/Berlin:20261025T040000"},
		{"berlin repeated hour in UTC", "Europe/Berlin", "2026-10-25T02:30:00+02:00", "2026-10-25T02:30:00+01:00",
			":20261025T003000Z", ":20261025T013000Z"},
		{"UTC zone", "UTC", "2026-12-05T19:00:00Z", "2026-12-05T20:00:00Z", ":20261205T190000Z", ":20261205T200000Z"},
		{"bad zone falls back", "Local", "2026-12-05T19:00:00+08:00", "2026-12-05T20:00:00+08:00",
			";TZID=Asia/Shanghai:20261205T190000", ";TZID=Asia/Shanghai:20261205T200000"},
		{"end before start is left out", "Asia/Shanghai", "2026-12-05T19:00:00+08:00", "2026-12-05T18:00:00+08:00",
			";TZID=Asia/Shanghai:20261205T190000", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := fintechSalon()
			s.Timezone, s.StartsAt, s.EndsAt = tc.zone, mustTime(tc.start), mustTime(tc.end)
			b := SalonCalendar(s, testCalOpts)
			if got := prop(b, "DTSTART"); got != tc.wantStart {
				t.Errorf("DTSTART%s, want %s", got, tc.wantStart)
			}
			if got := prop(b, "DTEND"); got != tc.wantEnd {
				t.Errorf("DTEND%s, want %s", got, tc.wantEnd)
			}
			for _, v := range []string{prop(b, "DTSTART"), prop(b, "DTEND")} {
				if strings.HasPrefix(v, ";TZID=") && strings.HasSuffix(v, "Z") {
					t.Errorf("TZID beside a Z time: %s", v)
				}
			}
			zones := strings.Count(string(b), "BEGIN:VTIMEZONE")
			if tzid := strings.Contains(unfold(string(b)), ";TZID="); tzid != (zones == 1) {
				t.Errorf("%d VTIMEZONEs for TZID use %v", zones, tzid)
			}
		})
	}
}

// TestVTimezoneRules checks the observances against known transitions.
func TestVTimezoneRules(t *testing.T) {
	cases := []struct {
		zone       string
		year       int
		want, deny []string
	}{
		{"Asia/Shanghai", 2026,
			[]string{"BEGIN:STANDARD\r\nDTSTART:19910915T020000\r\nTZOFFSETFROM:+0900\r\nTZOFFSETTO:+0800\r\nTZNAME:CST\r\nEND:STANDARD"},
			[]string{"DAYLIGHT"}},
		{"Europe/Berlin", 2026, []string{
			"BEGIN:STANDARD\r\nDTSTART:20251026T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\n",
			"BEGIN:DAYLIGHT\r\nDTSTART:20260329T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\n",
			"BEGIN:STANDARD\r\nDTSTART:20261025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n",
		}, []string{"2027"}},
		{"America/New_York", 2027, []string{
			"BEGIN:DAYLIGHT\r\nDTSTART:20270314T020000\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nTZNAME:EDT\r\n",
			"BEGIN:STANDARD\r\nDTSTART:20271107T020000\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\n",
		}, nil},
		{"Australia/Sydney", 2026, []string{
			"BEGIN:STANDARD\r\nDTSTART:20260405T030000\r\nTZOFFSETFROM:+1100\r\nTZOFFSETTO:+1000\r\n",
			"BEGIN:DAYLIGHT\r\nDTSTART:20261004T020000\r\nTZOFFSETFROM:+1000\r\nTZOFFSETTO:+1100\r\n",
		}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.zone, func(t *testing.T) {
			loc, err := LoadZone(tc.zone)
			if err != nil {
				t.Fatal(err)
			}
			at := time.Date(tc.year, time.June, 1, 12, 0, 0, 0, loc)
			var w icalWriter
			writeVTimezone(&w, loc, []int{at.Year()}, &zoneBudget{observances: maxCalendarObservances, lookups: maxZoneLookups})
			got := w.b.String()
			for _, s := range tc.want {
				if !strings.Contains(got, s) {
					t.Errorf("missing\n%s\nin\n%s", s, got)
				}
			}
			for _, s := range tc.deny {
				if strings.Contains(got, s) {
					t.Errorf("unexpected %q in\n%s", s, got)
				}
			}
		})
	}
}

func TestCalendarLinks(t *testing.T) {
	s := fintechSalon()
	g, err := url.Parse(GoogleCalendarURL(s, testCalOpts))
	if err != nil {
		t.Fatal(err)
	}
	q := g.Query()
	if g.Host != "calendar.google.com" || q.Get("action") != "TEMPLATE" ||
		q.Get("dates") != "20261205T110000Z/20261205T133000Z" || q.Get("text") != s.Title ||
		q.Get("location") != "The Loft, 88 Century Avenue, Pudong, Shanghai" || q.Get("ctz") != "Asia/Shanghai" ||
		!strings.HasSuffix(q.Get("details"), "\n\nhttps://salon.example.com:8443/salons/fintech-founders-dec") {
		t.Errorf("Google link %s", g)
	}
	if strings.Contains(g.RawQuery, "+") {
		t.Errorf("Google link encodes spaces as '+': %s", g.RawQuery)
	}

	long := fintechSalon()
	long.Description = strings.Repeat("长", 5000)
	o, err := url.Parse(OutlookCalendarURL(long, testCalOpts))
	if err != nil {
		t.Fatal(err)
	}
	q = o.Query()
	if o.Host != "outlook.live.com" || o.Path != "/calendar/0/deeplink/compose" ||
		q.Get("rru") != "addevent" || q.Get("startdt") != "2026-12-05T11:00:00Z" ||
		q.Get("enddt") != "2026-12-05T13:30:00Z" || q.Get("subject") != s.Title {
		t.Errorf("Outlook link %s", o)
	}
	if n := len([]rune(q.Get("body"))); n > maxLinkDescription+100 {
		t.Errorf("Outlook body has %d characters; long descriptions must be cut", n)
	}
	if strings.Contains(o.RawQuery, "+") {
		t.Errorf("Outlook link encodes spaces as '+': %s", o.RawQuery)
	}

	for in, want := range map[string]string{
		"http://localhost:8080/calendar.ics":       "webcal://localhost:8080/calendar.ics",
		"https://salon.example.com/feeds/abc.ics":  "webcal://salon.example.com/feeds/abc.ics",
		"HTTPS://salon.example.com/calendar.ics":   "webcal://salon.example.com/calendar.ics",
		"webcal://salon.example.com/calendar.ics":  "webcal://salon.example.com/calendar.ics",
		"salon.example.com/calendar.ics?industry=": "webcal://salon.example.com/calendar.ics?industry=",
	} {
		if got := WebcalURL(in); got != want {
			t.Errorf("WebcalURL(%q) = %q, want %q", in, got, want)
		}
	}
}
