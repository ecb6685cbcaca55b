package events

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	ics "github.com/arran4/golang-ical"
)

// unescapeText decodes an RFC 5545 TEXT value strictly: any backslash not
// followed by one of \ ; , n N is an error, so a missed escape shows up.
func unescapeText(v string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == '\\' && i+1 < len(v):
			i++
			switch v[i] {
			case '\\', ';', ',':
				b.WriteByte(v[i])
			case 'n', 'N':
				b.WriteByte('\n')
			default:
				return "", false
			}
		case c == '\\', c == ';', c == ',':
			return "", false // a bare separator: the value was not escaped
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), true
}

var attendeeLine = regexp.MustCompile(`^ATTENDEE(;[A-Z-]+=("[^"\x00-\x1f\x7f]*"|[^";:,\x00-\x1f\x7f]*))*:mailto:[^\s"]*$`)

// FuzzCalendarText feeds arbitrary text (CR, LF, separators, any script,
// invalid UTF-8) into every free-text field and checks that it cannot
// change the calendar's structure and comes back exactly, once normalized.
func FuzzCalendarText(f *testing.F) {
	f.Add("Fintech founders' salon", "Line one\nline two", "The Loft")
	f.Add("Drinks\r\nBEGIN:VALARM\r\nACTION:AUDIO", "END:VEVENT\r\nBEGIN:VEVENT", `Bar;Inn,\ "Q"`)
	f.Add(strings.Repeat("创", 100), strings.Repeat("沙龙🎉", 200), strings.Repeat(`\`, 150))
	f.Add("a\rb", "\x00\x07\u0085\u2028", "\xff\xfe")
	f.Add(strings.Repeat("x", 66)+"é", strings.Repeat("y", 61)+`\n`, strings.Repeat(";", 80))
	f.Fuzz(func(t *testing.T, title, desc, venue string) {
		s := fintechSalon()
		s.Title, s.Description, s.Venue, s.Address = title, desc, venue, ""
		a := Attendee{Name: venue + title, Email: "ana@example.com"}
		w := want(s, "CONFIRMED", 0)

		body := InviteCalendar(s, a, MethodRequest, testCalOpts)
		checkWellFormed(t, body, 1)
		lines := strings.Split(unfold(string(body)), "\r\n")
		if n := strings.Count("\r\n"+string(body), "\r\nBEGIN:VEVENT\r\n"); n != 1 {
			t.Fatalf("%d BEGIN:VEVENT lines", n)
		}
		got := map[string]string{}
		for _, l := range lines {
			for _, name := range []string{"SUMMARY", "DESCRIPTION", "LOCATION"} {
				if strings.HasPrefix(l, name+":") {
					if _, dup := got[name]; dup {
						t.Fatalf("two %s lines", name)
					}
					v, ok := unescapeText(l[len(name)+1:])
					if !ok {
						t.Fatalf("badly escaped %s: %q", name, l)
					}
					got[name] = v
				}
			}
			if strings.HasPrefix(l, "ATTENDEE") && !attendeeLine.MatchString(l) {
				t.Fatalf("bad ATTENDEE line %q", l)
			}
		}
		if got["SUMMARY"] != w.Summary {
			t.Errorf("SUMMARY %q, want %q", got["SUMMARY"], w.Summary)
		}
		if got["DESCRIPTION"] != w.Description {
			t.Errorf("DESCRIPTION %q, want %q", got["DESCRIPTION"], w.Description)
		}
		if got["LOCATION"] != w.Location {
			t.Errorf("LOCATION %q, want %q", got["LOCATION"], w.Location)
		}

		// golang-ical must agree on the decoded values too.
		cal, err := ics.ParseCalendar(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		evs := cal.Events()
		if len(evs) != 1 || len(cal.Components) != 2 {
			t.Fatalf("golang-ical: %d events, %d components", len(evs), len(cal.Components))
		}
		if p := evs[0].GetProperty(ics.ComponentPropertySummary); p == nil || p.Value != w.Summary {
			t.Errorf("golang-ical SUMMARY %v, want %q", p, w.Summary)
		}
		if p := evs[0].GetProperty(ics.ComponentPropertyDescription); p == nil || p.Value != w.Description {
			t.Errorf("golang-ical DESCRIPTION %v, want %q", p, w.Description)
		}
		// Invalid UTF-8 in the input must not reach the file.
		if !utf8.Valid(body) {
			t.Errorf("calendar is not UTF-8")
		}
	})
}
