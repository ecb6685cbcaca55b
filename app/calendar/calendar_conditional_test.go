package calendar_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"salon/app/internal/apptest"
)

// TestCalendarConditional: ETag and Last-Modified revalidation, and a PATCH
// that moves the salon giving a new body (same UID, higher SEQUENCE).
func TestCalendarConditional(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon(`"slug":"design-night"`)
	path := "/salons/" + slug + ".ics"
	_, body, h := ta.GetICS(path)
	etag, lm := h.Get("ETag"), h.Get("Last-Modified")
	_, ev := oneEvent(t, body)
	uid, seq0 := ev.Id(), seq(t, ev)

	for _, tc := range []struct {
		name    string
		headers []string
		want    int
	}{
		{"same ETag", []string{"If-None-Match", etag}, 304},
		{"weak form of the ETag", []string{"If-None-Match", "W/" + etag}, 304},
		{"ETag in a list", []string{"If-None-Match", `"nope", ` + etag}, 304},
		{"star", []string{"If-None-Match", "*"}, 304},
		{"other ETag", []string{"If-None-Match", `"nope"`}, 200},
		{"If-Modified-Since equal", []string{"If-Modified-Since", lm}, 304},
		{"If-Modified-Since later", []string{"If-Modified-Since", lastModified(t, h).Add(time.Hour).Format(http.TimeFormat)}, 304},
		{"If-Modified-Since earlier", []string{"If-Modified-Since", lastModified(t, h).Add(-time.Second).Format(http.TimeFormat)}, 200},
		{"If-Modified-Since garbage", []string{"If-Modified-Since", "yesterday"}, 200},
		// If-None-Match decides when both are sent.
		{"other ETag wins over the date", []string{"If-None-Match", `"nope"`, "If-Modified-Since", lm}, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, b, rh := ta.GetICS(path, tc.headers...)
			if status != tc.want {
				t.Fatalf("%d, want %d", status, tc.want)
			}
			if rh.Get("ETag") != etag || rh.Get("Cache-Control") != "public, max-age=300" {
				t.Errorf("ETag %q Cache-Control %q", rh.Get("ETag"), rh.Get("Cache-Control"))
			}
			if status == 304 && b != "" {
				t.Errorf("304 with a body: %q", b)
			}
			if status == 200 && b != body {
				t.Errorf("another body for the same data")
			}
		})
	}

	// Move the salon a day later.
	start := time.Now().Add(96 * time.Hour).Truncate(time.Hour)
	code, out := ta.JSON("PATCH", "/api/v1/salons/"+slug, ta.Token,
		`{"starts_at":"`+start.Format(time.RFC3339)+`","ends_at":"`+start.Add(2*time.Hour).Format(time.RFC3339)+`"}`)
	if code != 200 {
		t.Fatalf("patch: %d %v", code, out)
	}
	status, body2, h2 := ta.GetICS(path, "If-None-Match", etag)
	if status != 200 || h2.Get("ETag") == etag || body2 == body {
		t.Fatalf("after PATCH: %d, ETag %q (was %q)", status, h2.Get("ETag"), etag)
	}
	_, ev = oneEvent(t, body2)
	if ev.Id() != uid || seq(t, ev) <= seq0 {
		t.Fatalf("after PATCH: UID %q (was %q), SEQUENCE %d (was %d)", ev.Id(), uid, seq(t, ev), seq0)
	}
	if !lastModified(t, h2).After(lastModified(t, h)) {
		t.Errorf("Last-Modified did not move: %s, was %s", h2.Get("Last-Modified"), lm)
	}
	// A client revalidating by date alone must get the new body too.
	if status, _, _ := ta.GetICS(path, "If-Modified-Since", lm); status != 200 {
		t.Errorf("If-Modified-Since the old date after PATCH: %d", status)
	}
	if status, _, _ := ta.GetICS(path, "If-None-Match", h2.Get("ETag")); status != 304 {
		t.Errorf("new ETag: %d", status)
	}
}

// TestCalendarCache: bodies are rendered once per change of what they show.
func TestCalendarCache(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon(`"slug":"cache-me","capacity":10`)
	renders := func() int64 { return apptest.CalendarRenders(ta.Srv) }
	file := "/salons/" + slug + ".ics"

	r0 := renders()
	_, body, h := ta.GetICS(file)
	if renders() != r0+1 {
		t.Fatalf("first request: %d renders", renders()-r0)
	}
	for range 3 {
		if _, b, _ := ta.GetICS(file); b != body {
			t.Fatal("cached body differs")
		}
		ta.GetICS(file, "If-None-Match", h.Get("ETag"))
	}
	if renders() != r0+1 {
		t.Fatalf("repeated requests rendered %d more times", renders()-r0-1)
	}

	// A ticket change leaves the public file alone but makes invitations
	// render again; their ETag stays when their body does.
	ana, _, _ := ta.RSVP(slug, "Ana", "ana@example.com")
	invite := "/t/" + ana + "/invite.ics"
	_, _, ih := ta.GetICS(invite)
	r1 := renders()
	ta.GetICS(file)
	ta.GetICS(invite)
	if renders() != r1 {
		t.Fatalf("no change, yet %d renders", renders()-r1)
	}
	ta.RSVP(slug, "Bob", "bob@example.com")
	ta.GetICS(file)
	if renders() != r1 {
		t.Fatal("an RSVP made the public file render again")
	}
	if status, _, _ := ta.GetICS(invite, "If-None-Match", ih.Get("ETag")); status != 304 || renders() != r1+1 {
		t.Fatalf("invite after another RSVP: %d, %d renders", status, renders()-r1)
	}

	// A PATCH makes the file render again, once.
	ta.JSON("PATCH", "/api/v1/salons/"+slug, ta.Token, `{"title":"Cache me, renamed"}`)
	r2 := renders()
	_, b, _ := ta.GetICS(file)
	ta.GetICS(file)
	if renders() != r2+1 || !strings.Contains(b, `SUMMARY:Cache me\, renamed`) {
		t.Fatalf("after PATCH: %d renders\n%s", renders()-r2, b)
	}

	// Many clients at once after a change: one render, one body.
	ta.JSON("PATCH", "/api/v1/salons/"+slug, ta.Token, `{"title":"Cache me, again"}`)
	r3 := renders()
	base := ta.Listen()
	var wg sync.WaitGroup
	etags := make([]string, 32)
	for i := range etags {
		wg.Go(func() {
			resp, err := http.Get(base + "/calendar.ics")
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			etags[i] = resp.Header.Get("ETag")
		})
	}
	wg.Wait()
	for _, e := range etags {
		if e != etags[0] || e == "" {
			t.Fatalf("ETags differ: %q", etags)
		}
	}
	if n := renders() - r3; n != 1 {
		t.Errorf("%d concurrent requests rendered %d times", len(etags), n)
	}
}

// TestCalendarFeedDedup: someone who cancelled and came back has one event
// per salon in their feed, showing the active ticket.
func TestCalendarFeedDedup(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon("")
	first, feed, _ := ta.RSVP(slug, "Ana", "ana@example.com")
	ta.JSON("POST", "/api/v1/tickets/"+first+"/cancel", "", "")
	ta.RSVP(slug, "Ana", "ana@example.com")
	_, body, _ := ta.GetICS(feed)
	evs := parseICS(t, body).Events()
	if len(evs) != 1 || prop(evs[0], ics.ComponentPropertyStatus) != "CONFIRMED" {
		t.Fatalf("%d events:\n%s", len(evs), body)
	}
}
