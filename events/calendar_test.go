package events

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	ics "github.com/arran4/golang-ical"
)

var updateGolden = flag.Bool("update", false, "rewrite events/testdata/ical/*.ics from the current output")

// wantEvent is what a parser must read back from one VEVENT.
type wantEvent struct {
	UID         string `json:"uid"`
	Start       string `json:"start"` // UTC, as JavaScript's toISOString
	End         string `json:"end"`
	Summary     string `json:"summary"`
	Location    string `json:"location"`
	Description string `json:"description"`
	Status      string `json:"status"`
	Sequence    int    `json:"sequence"`
}

// goldenCase is one golden file and what it must contain.
type goldenCase struct {
	name       string
	body       []byte
	zones      int // VTIMEZONE components
	events     []wantEvent
	method     string
	properties []string // content lines that must appear as they are
}

// normalized is the test's own statement of what TEXT values become:
// CR dropped, other controls but LF and tab dropped, bad UTF-8 replaced.
func normalized(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' || !unicode.IsControl(r) {
			return r
		}
		return -1
	}, s)
}

func jsTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func want(s *Salon, status string, seq int) wantEvent {
	link := "https://salon.example.com:8443/salons/" + s.Slug
	desc := link
	if strings.TrimSpace(s.Description) != "" {
		desc = normalized(s.Description) + "\n\n" + link
	}
	var loc []string
	for _, p := range []string{s.Venue, s.Address} {
		if strings.TrimSpace(p) != "" {
			loc = append(loc, normalized(p))
		}
	}
	return wantEvent{
		UID:         "salon-" + strconv.FormatInt(s.ID, 10) + "@salon.example.com",
		Start:       jsTime(s.StartsAt),
		End:         jsTime(s.EndsAt),
		Summary:     normalized(s.Title),
		Location:    strings.Join(loc, ", "),
		Description: desc,
		Status:      status,
		Sequence:    seq,
	}
}

func goldenCases() []goldenCase {
	fin, can, ber, nasty := fintechSalon(), cancelledSalon(), berlinSalon(), nastySalon()
	ana := testAttendee()
	waiting := Attendee{Name: "Wang Wei", Email: "wei@example.cn", Waitlisted: true}
	gone := Attendee{Name: "Gone", Email: "gone@example.com", Cancelled: true}
	return []goldenCase{{
		name: "salon", body: SalonCalendar(fin, testCalOpts), zones: 1, method: "PUBLISH",
		events: []wantEvent{want(fin, "CONFIRMED", 0)},
		properties: []string{
			"DTSTART;TZID=Asia/Shanghai:20261205T190000",
			"DTSTAMP:20261002T093000Z", "TRANSP:OPAQUE", "CATEGORIES:fintech",
			"URL:https://salon.example.com:8443/salons/fintech-founders-dec",
		},
	}, {
		name: "feed", zones: 2, method: "PUBLISH",
		body: FeedCalendar("Salon: all salons", []FeedEntry{{Salon: fin}, {Salon: can}, {Salon: ber}, {Salon: nil}}, testCalOpts),
		events: []wantEvent{
			want(fin, "CONFIRMED", 0), want(can, "CANCELLED", 2), want(ber, "CONFIRMED", 1),
		},
		properties: []string{
			"X-WR-CALNAME:Salon: all salons", "REFRESH-INTERVAL;VALUE=DURATION:PT1H", "X-PUBLISHED-TTL:PT1H",
		},
	}, {
		name: "personal-feed", zones: 2, method: "PUBLISH",
		body: FeedCalendar("Ana's salons", []FeedEntry{
			{Salon: fin, Attendee: &ana}, {Salon: ber, Attendee: &waiting}, {Salon: can, Attendee: &gone},
		}, testCalOpts),
		events: []wantEvent{
			want(fin, "CONFIRMED", 0), want(ber, "TENTATIVE", 1), want(can, "CANCELLED", 2),
		},
	}, {
		name: "invite-request", zones: 1, method: "REQUEST",
		body:   InviteCalendar(fin, ana, MethodRequest, testCalOpts),
		events: []wantEvent{want(fin, "CONFIRMED", 0)},
		properties: []string{
			"ORGANIZER;CN=\"沙龙团队 (Salon: Shanghai, Berlin)\":mailto:hello@salon.example.com",
		},
	}, {
		name: "invite-cancel", zones: 1, method: "CANCEL",
		body:   InviteCalendar(fin, ana, "cancel", testCalOpts),
		events: []wantEvent{want(fin, "CANCELLED", 1)},
	}, {
		name: "berlin-dst", zones: 1, method: "PUBLISH",
		body:   SalonCalendar(ber, testCalOpts),
		events: []wantEvent{want(ber, "CONFIRMED", 1)},
		properties: []string{
			"DTSTART;TZID=Europe/Berlin:20261024T220000",
			"DTEND;TZID=Europe/Berlin:20261025T040000",
			"DTSTART:20260329T020000", "DTSTART:20261025T030000",
		},
	}, {
		name: "nasty", zones: 1, method: "REQUEST",
		body:   InviteCalendar(nasty, ana, MethodRequest, testCalOpts),
		events: []wantEvent{want(nasty, "CONFIRMED", 10)},
	}}
}

func TestCalendarGolden(t *testing.T) {
	for _, tc := range goldenCases() {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join("testdata", "ical", tc.name+".ics")
			if *updateGolden {
				if err := os.WriteFile(path, tc.body, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			golden, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./events -run TestCalendarGolden -update)", err)
			}
			if !bytes.Equal(tc.body, golden) {
				t.Errorf("output differs from %s (rerun with -update if the change is meant):\n%s", path, tc.body)
			}
			checkWellFormed(t, tc.body, len(tc.events))
			unfolded := unfold(string(tc.body))
			if !strings.Contains(unfolded, "\r\nMETHOD:"+tc.method+"\r\n") {
				t.Errorf("METHOD:%s missing", tc.method)
			}
			if n := strings.Count(unfolded, "\r\nBEGIN:VTIMEZONE\r\n"); n != tc.zones {
				t.Errorf("%d VTIMEZONEs, want %d", n, tc.zones)
			}
			for _, p := range tc.properties {
				if !strings.Contains(unfolded, "\r\n"+p+"\r\n") {
					t.Errorf("missing line %q", p)
				}
			}
		})
	}
}

// checkWellFormed checks the physical form of a calendar: CRLF lines of at
// most 75 octets, each valid UTF-8, balanced components, one VEVENT per
// salon and nothing else nested.
func checkWellFormed(t *testing.T, body []byte, events int) {
	t.Helper()
	s := string(body)
	if !strings.HasSuffix(s, "\r\n") {
		t.Fatal("does not end with CRLF")
	}
	lines := strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n")
	var stack []string
	vevents := 0
	for i, l := range lines {
		if len(l) > 75 {
			t.Errorf("line %d has %d octets: %q", i+1, len(l), l)
		}
		if !utf8.ValidString(l) {
			t.Errorf("line %d is not valid UTF-8: %q", i+1, l)
		}
		if strings.ContainsAny(l, "\r\n") {
			t.Errorf("line %d has a bare CR or LF: %q", i+1, l)
		}
		switch {
		case strings.HasPrefix(l, "BEGIN:"):
			name := l[len("BEGIN:"):]
			allowed := map[string][]string{
				"":          {"VCALENDAR"},
				"VCALENDAR": {"VTIMEZONE", "VEVENT"},
				"VTIMEZONE": {"STANDARD", "DAYLIGHT"},
			}
			parent := ""
			if len(stack) > 0 {
				parent = stack[len(stack)-1]
			}
			ok := false
			for _, a := range allowed[parent] {
				ok = ok || a == name
			}
			if !ok {
				t.Errorf("line %d: BEGIN:%s inside %q", i+1, name, parent)
			}
			if name == "VEVENT" {
				vevents++
			}
			stack = append(stack, name)
		case strings.HasPrefix(l, "END:"):
			if len(stack) == 0 || stack[len(stack)-1] != l[len("END:"):] {
				t.Fatalf("line %d: unbalanced %s", i+1, l)
			}
			stack = stack[:len(stack)-1]
		}
	}
	if len(stack) != 0 {
		t.Errorf("unclosed components %v", stack)
	}
	if vevents != events {
		t.Errorf("%d VEVENTs, want %d", vevents, events)
	}
}

// unfold undoes RFC 5545 folding (CRLF followed by one space or tab).
func unfold(s string) string {
	return strings.NewReplacer("\r\n ", "", "\r\n\t", "").Replace(s)
}

// TestCalendarRoundTrip reads every golden calendar back with golang-ical's
// parser: same components, and the text a person typed comes back exactly.
func TestCalendarRoundTrip(t *testing.T) {
	for _, tc := range goldenCases() {
		t.Run(tc.name, func(t *testing.T) {
			cal, err := ics.ParseCalendar(bytes.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			if got := len(cal.Components); got != tc.zones+len(tc.events) {
				t.Errorf("%d components, want %d", got, tc.zones+len(tc.events))
			}
			evs := cal.Events()
			if len(evs) != len(tc.events) {
				t.Fatalf("%d events, want %d", len(evs), len(tc.events))
			}
			for i, ev := range evs {
				w := tc.events[i]
				for _, c := range []struct {
					prop ics.ComponentProperty
					want string
				}{
					{ics.ComponentPropertyUniqueId, w.UID},
					{ics.ComponentPropertySummary, w.Summary},
					{ics.ComponentPropertyDescription, w.Description},
					{ics.ComponentPropertyLocation, w.Location},
					{ics.ComponentPropertyStatus, w.Status},
					{ics.ComponentPropertySequence, strconv.Itoa(w.Sequence)},
				} {
					got := ""
					if p := ev.GetProperty(c.prop); p != nil {
						got = p.Value
					}
					if got != c.want {
						t.Errorf("event %d %s = %q, want %q", i, c.prop, got, c.want)
					}
				}
				if n := len(ev.Alarms()); n != 0 {
					t.Errorf("event %d has %d alarms", i, n)
				}
			}
		})
	}
}
