package calendar_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"salon/app/internal/apptest"
)

// parseICS parses body with golang-ical, an independent reader.
func parseICS(t *testing.T, body string) *ics.Calendar {
	t.Helper()
	cal, err := ics.ParseCalendar(strings.NewReader(body))
	if err != nil {
		t.Fatalf("golang-ical cannot parse: %v\n%s", err, body)
	}
	return cal
}

func calMethod(cal *ics.Calendar) string {
	for _, p := range cal.CalendarProperties {
		if p.IANAToken == "METHOD" {
			return p.Value
		}
	}
	return ""
}

func calName(cal *ics.Calendar) string {
	for _, p := range cal.CalendarProperties {
		if p.IANAToken == "X-WR-CALNAME" {
			return p.Value
		}
	}
	return ""
}

func prop(ev *ics.VEvent, p ics.ComponentProperty) string {
	if v := ev.GetProperty(p); v != nil {
		return v.Value
	}
	return ""
}

// oneEvent parses body and returns its METHOD and only VEVENT.
func oneEvent(t *testing.T, body string) (string, *ics.VEvent) {
	t.Helper()
	cal := parseICS(t, body)
	evs := cal.Events()
	if len(evs) != 1 {
		t.Fatalf("%d events, want 1:\n%s", len(evs), body)
	}
	return calMethod(cal), evs[0]
}

// eventByUID finds uid in a feed.
func eventByUID(t *testing.T, body, uid string) *ics.VEvent {
	t.Helper()
	for _, ev := range parseICS(t, body).Events() {
		if ev.Id() == uid {
			return ev
		}
	}
	return nil
}

func seq(t *testing.T, ev *ics.VEvent) int {
	t.Helper()
	n, err := strconv.Atoi(prop(ev, ics.ComponentPropertySequence))
	if err != nil {
		t.Fatalf("SEQUENCE: %v", err)
	}
	return n
}

func wantCalendarHeaders(t *testing.T, h http.Header, cacheControl string) {
	t.Helper()
	if ct := h.Get("Content-Type"); ct != "text/calendar; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if cc := h.Get("Cache-Control"); cc != cacheControl {
		t.Errorf("Cache-Control %q, want %q", cc, cacheControl)
	}
	if et := h.Get("ETag"); !strings.HasPrefix(et, `"`) || !strings.HasSuffix(et, `"`) || len(et) < 10 {
		t.Errorf("ETag %q is not a strong tag", et)
	}
	if _, err := http.ParseTime(h.Get("Last-Modified")); err != nil {
		t.Errorf("Last-Modified %q: %v", h.Get("Last-Modified"), err)
	}
}

// TestCalendarEndpoints follows one salon through its file, the public feed,
// a personal feed and invitations: the same UID everywhere, TENTATIVE while
// waitlisted, CANCEL once the ticket or the salon is cancelled.
func TestCalendarEndpoints(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon(`"slug":"fintech-founders-dec","title":"Fintech founders","industry":"fintech","capacity":1`)
	other := ta.Salon(`"slug":"bio-night","industry":"biotech"`)

	// The file, with a hyphenated slug, and Host never used for links.
	status, body, h := ta.GetICS("/salons/"+slug+".ics", "Host", "evil.example")
	if status != 200 {
		t.Fatalf("salon file: %d %s", status, body)
	}
	wantCalendarHeaders(t, h, "public, max-age=300")
	if cd := h.Get("Content-Disposition"); cd != `inline; filename="fintech-founders-dec.ics"` {
		t.Errorf("Content-Disposition %q", cd)
	}
	if strings.Contains(body, "evil.example") || !strings.Contains(body, "https://salon.example/salons/"+slug) {
		t.Errorf("links not from the base URL:\n%s", body)
	}
	method, ev := oneEvent(t, body)
	uid := ev.Id()
	if method != "PUBLISH" || !strings.HasSuffix(uid, "@salon.example") || prop(ev, ics.ComponentPropertySummary) != "Fintech founders" {
		t.Fatalf("salon file: METHOD %q UID %q\n%s", method, uid, body)
	}
	seq0 := seq(t, ev)

	// The page route still answers beside the .ics route.
	if status, page, _ := ta.Do("GET", "/salons/"+slug, "", "", "", "Accept", "text/html"); status != 200 || !strings.Contains(page, "Fintech founders") {
		t.Fatalf("salon page: %d", status)
	}

	// The public feed, whole and filtered.
	status, body, h = ta.GetICS("/calendar.ics")
	if status != 200 {
		t.Fatalf("feed: %d %s", status, body)
	}
	wantCalendarHeaders(t, h, "public, max-age=300")
	cal := parseICS(t, body)
	if calMethod(cal) != "PUBLISH" || calName(cal) != "Salon" || len(cal.Events()) != 2 || eventByUID(t, body, uid) == nil {
		t.Fatalf("feed: METHOD %q name %q, %d events\n%s", calMethod(cal), calName(cal), len(cal.Events()), body)
	}
	_, body, _ = ta.GetICS("/calendar.ics?industry=FinTech")
	cal = parseICS(t, body)
	if calName(cal) != "Salon · fintech" || len(cal.Events()) != 1 || cal.Events()[0].Id() != uid {
		t.Fatalf("fintech feed: name %q, %d events", calName(cal), len(cal.Events()))
	}
	_, body, _ = ta.GetICS("/calendar.ics?industry=biotech")
	if evs := parseICS(t, body).Events(); len(evs) != 1 || evs[0].Id() == uid {
		t.Fatalf("biotech feed has %d events, or the fintech one", len(evs))
	}

	// Ana gets the seat, Bob the waitlist.
	ana, anaFeed, st := ta.RSVP(slug, "Ana Lima", "ana@example.com")
	if st != "confirmed" {
		t.Fatalf("ana %s", st)
	}
	bob, bobFeed, st := ta.RSVP(slug, "Bob", "bob@example.com")
	if st != "waitlisted" {
		t.Fatalf("bob %s", st)
	}
	// Bob also goes to the other salon, confirmed: his feed holds both.
	ta.RSVP(other, "Bob", "bob@example.com")

	status, body, h = ta.GetICS("/t/" + ana + "/invite.ics")
	if status != 200 {
		t.Fatalf("invite: %d %s", status, body)
	}
	wantCalendarHeaders(t, h, "private, max-age=300")
	method, ev = oneEvent(t, body)
	if method != "REQUEST" || ev.Id() != uid || prop(ev, ics.ComponentPropertyStatus) != "CONFIRMED" ||
		!strings.Contains(body, "mailto:no-reply@salon.example") || !strings.Contains(body, "mailto:ana@example.com") {
		t.Fatalf("ana's invite: METHOD %q\n%s", method, body)
	}

	status, body, h = ta.GetICS(bobFeed)
	if status != 200 {
		t.Fatalf("bob's feed %s: %d %s", bobFeed, status, body)
	}
	wantCalendarHeaders(t, h, "private, max-age=300")
	cal = parseICS(t, body)
	if calMethod(cal) != "PUBLISH" || len(cal.Events()) != 2 {
		t.Fatalf("bob's feed: %d events\n%s", len(cal.Events()), body)
	}
	if ev := eventByUID(t, body, uid); ev == nil || prop(ev, ics.ComponentPropertyStatus) != "TENTATIVE" {
		t.Fatalf("bob's waitlisted salon is not TENTATIVE:\n%s", body)
	}
	_, body, _ = ta.GetICS("/t/" + bob + "/invite.ics")
	if method, ev := oneEvent(t, body); method != "REQUEST" || prop(ev, ics.ComponentPropertyStatus) != "TENTATIVE" {
		t.Fatalf("bob's invite: %s %s", method, prop(ev, ics.ComponentPropertyStatus))
	}

	// Ana cancels: her invite turns into a CANCEL with a higher SEQUENCE,
	// her feed shows the salon cancelled, and Bob, promoted, is confirmed.
	if code, out := ta.JSON("POST", "/api/v1/tickets/"+ana+"/cancel", "", ""); code != 200 {
		t.Fatalf("cancel: %d %v", code, out)
	}
	_, body, _ = ta.GetICS("/t/" + ana + "/invite.ics")
	method, ev = oneEvent(t, body)
	if method != "CANCEL" || ev.Id() != uid || prop(ev, ics.ComponentPropertyStatus) != "CANCELLED" || seq(t, ev) <= seq0 {
		t.Fatalf("ana's invite after cancelling: METHOD %q SEQUENCE %d\n%s", method, seq(t, ev), body)
	}
	_, body, _ = ta.GetICS(anaFeed)
	if ev := eventByUID(t, body, uid); ev == nil || prop(ev, ics.ComponentPropertyStatus) != "CANCELLED" {
		t.Fatalf("ana's feed after cancelling:\n%s", body)
	}
	_, body, _ = ta.GetICS(bobFeed)
	if ev := eventByUID(t, body, uid); ev == nil || prop(ev, ics.ComponentPropertyStatus) != "CONFIRMED" {
		t.Fatalf("bob's feed after promotion:\n%s", body)
	}

	// The salon is cancelled: Bob's invite cancels too, and the file and
	// feed keep the event, marked cancelled, so subscribers drop it.
	if code, out := ta.JSON("POST", "/api/v1/salons/"+slug+"/cancel", ta.Token, ""); code != 200 {
		t.Fatalf("cancel salon: %d %v", code, out)
	}
	_, body, _ = ta.GetICS("/t/" + bob + "/invite.ics")
	method, ev = oneEvent(t, body)
	if method != "CANCEL" || ev.Id() != uid || prop(ev, ics.ComponentPropertyStatus) != "CANCELLED" || seq(t, ev) <= seq0 {
		t.Fatalf("bob's invite after the salon's cancellation: METHOD %q\n%s", method, body)
	}
	_, body, _ = ta.GetICS("/salons/" + slug + ".ics")
	if _, ev := oneEvent(t, body); prop(ev, ics.ComponentPropertyStatus) != "CANCELLED" || ev.Id() != uid {
		t.Fatalf("salon file after cancelling:\n%s", body)
	}
	_, body, _ = ta.GetICS("/calendar.ics")
	if ev := eventByUID(t, body, uid); ev == nil || prop(ev, ics.ComponentPropertyStatus) != "CANCELLED" {
		t.Fatalf("feed after cancelling:\n%s", body)
	}
}

// TestCalendarHead: HEAD answers the headers of GET without a body.
func TestCalendarHead(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon("")
	_, body, get := ta.GetICS("/salons/" + slug + ".ics")
	status, head, h := ta.Do("HEAD", "/salons/"+slug+".ics", "", "", "", "Accept", "text/calendar")
	if status != 200 || head != "" {
		t.Fatalf("HEAD: %d %q", status, head)
	}
	wantCalendarHeaders(t, h, "public, max-age=300")
	if h.Get("ETag") != get.Get("ETag") || h.Get("Content-Length") != strconv.Itoa(len(body)) {
		t.Errorf("HEAD ETag %q length %q; GET %q %d", h.Get("ETag"), h.Get("Content-Length"), get.Get("ETag"), len(body))
	}
}

// TestCalendarNotFound: drafts and unknown names answer the contract's 404.
func TestCalendarNotFound(t *testing.T) {
	ta := apptest.New(t)
	draft := ta.Salon(`"status":"draft","slug":"secret-plans"`)
	for _, path := range []string{
		"/salons/" + draft + ".ics",
		"/salons/no-such-salon.ics",
		"/feeds/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics",
		"/feeds/short.ics",
		"/t/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/invite.ics",
	} {
		t.Run(path, func(t *testing.T) {
			for _, accept := range []string{"text/calendar", "application/json"} {
				status, body, h := ta.GetICS(path, "Accept", accept)
				if status != 404 || !strings.HasPrefix(h.Get("Content-Type"), "application/json") ||
					!strings.Contains(body, `{"error":{"code":"not_found"`) {
					t.Fatalf("Accept %s: %d %q %s", accept, status, h.Get("Content-Type"), body)
				}
			}
		})
	}
	// An industry that cannot exist is refused rather than cached.
	if status, body, _ := ta.GetICS("/calendar.ics?industry=" + strings.Repeat("x", 40)); status != 422 || !strings.Contains(body, `"industry"`) {
		t.Fatalf("bad industry: %d %s", status, body)
	}
	// The draft's page is hidden too, and nothing was cached for any of it.
	if n := apptest.CalendarCacheLen(ta.Srv); n != 0 {
		t.Errorf("%d cache entries after only errors", n)
	}
}

// TestCalendarPageLinks: the pages offer download, webcal, Google and
// Outlook links.
func TestCalendarPageLinks(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon(`"slug":"ai-evening","industry":"ai"`)
	ticket, feed, _ := ta.RSVP(slug, "Ana", "ana@example.com")
	const google, outlook = `href="https://calendar.google.com/calendar/render?action=TEMPLATE&amp;`, `href="https://outlook.live.com/calendar/0/deeplink/compose?`
	for _, tc := range []struct {
		name, path string
		want       []string
	}{
		{"salon", "/salons/" + slug, []string{`href="/salons/ai-evening.ics"`, `href="webcal://salon.example/calendar.ics?industry=ai"`, google, outlook, "Add to calendar"}},
		{"ticket", "/t/" + ticket, []string{`href="/t/` + ticket + `/invite.ics"`, `href="webcal://salon.example` + feed + `"`, google, outlook}},
		{"index", "/", []string{`href="webcal://salon.example/calendar.ics"`}},
		{"index filtered", "/?industry=ai", []string{`href="webcal://salon.example/calendar.ics?industry=ai"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body, _ := ta.Do("GET", tc.path, "", "", "", "Accept", "text/html")
			if status != 200 {
				t.Fatalf("%d", status)
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("no %s in\n%s", w, body)
				}
			}
			if strings.Contains(body, "ZgotmplZ") {
				t.Errorf("a link was blanked by html/template")
			}
		})
	}
	// A cancelled ticket offers nothing to add.
	ta.JSON("POST", "/api/v1/tickets/"+ticket+"/cancel", "", "")
	if _, body, _ := ta.Do("GET", "/t/"+ticket, "", "", "", "Accept", "text/html"); strings.Contains(body, "invite.ics") {
		t.Errorf("cancelled ticket still offers its invitation")
	}
}

// lastModified reads the Last-Modified header.
func lastModified(t *testing.T, h http.Header) time.Time {
	t.Helper()
	lm, err := http.ParseTime(h.Get("Last-Modified"))
	if err != nil {
		t.Fatal(err)
	}
	return lm
}
