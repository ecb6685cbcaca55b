package site_test

import (
	"strings"
	"testing"
	"time"

	"salon/app/i18n"
	"salon/app/internal/apptest"
)

// TestSalonStates: every state a salon can be in is said at the top of its
// page and on its listing card, in both languages, and a salon that is not
// taking RSVPs offers neither seats nor the form.
func TestSalonStates(t *testing.T) {
	for _, tc := range []struct {
		state  string
		fields string
		rsvps  int
		cancel bool
		clock  time.Duration // how far the store's clock moves ahead
		form   bool
		seats  bool
	}{
		{state: "open", fields: `"capacity":3`, form: true, seats: true},
		{state: "full_waitlist", fields: `"capacity":1`, rsvps: 1, form: true, seats: true},
		{state: "waitlist_closed", fields: `"capacity":1,"waitlist":false`, rsvps: 1, seats: true},
		{state: "rsvp_closed", fields: `"capacity":3,"rsvp_deadline":"` + time.Now().Add(time.Hour).Format(time.RFC3339) + `"`, clock: 2 * time.Hour},
		{state: "started", clock: 72*time.Hour + 30*time.Minute},
		{state: "ended", clock: 80 * time.Hour},
		{state: "cancelled", fields: `"capacity":3`, rsvps: 1, cancel: true},
	} {
		t.Run(tc.state, func(t *testing.T) {
			ta := apptest.New(t)
			slug := ta.Salon(`"slug":"s-night","title":"State night"` + prefix(tc.fields))
			for i := range tc.rsvps {
				ta.RSVP(slug, "Guest", "g"+string(rune('a'+i))+"@example.com")
			}
			if tc.cancel {
				if s, out := ta.JSON("POST", "/api/v1/salons/"+slug+"/cancel", ta.Token, `{}`); s != 200 {
					t.Fatalf("cancel: %d %v", s, out)
				}
			}
			if tc.clock > 0 {
				ta.DB.Clock = func() time.Time { return time.Now().Add(tc.clock) }
			}
			for _, lang := range []string{"en", "zh"} {
				_, page, _ := ta.Do("GET", "/salons/"+slug, "", "", "", "Cookie", "lang="+lang)
				banner := `role="status">` + i18n.T(lang, "state."+tc.state) + "<"
				if has := strings.Contains(page, banner); has != (tc.state != "open") {
					t.Errorf("%s page: banner %q shown %v", lang, i18n.T(lang, "state."+tc.state), has)
				}
				if strings.Contains(page, "<p class=\"banner") && strings.Index(page, "<p class=\"banner") > strings.Index(page, "<h1>") {
					t.Errorf("%s page: the banner is not at the top", lang)
				}
				if has := strings.Contains(page, `action="/salons/`+slug+`/rsvp"`); has != tc.form {
					t.Errorf("%s page: RSVP form shown %v", lang, has)
				}
				if has := strings.Contains(page, `class="seats-left"`); has != tc.seats {
					t.Errorf("%s page: seat count shown %v", lang, has)
				}
				if tc.state == "ended" {
					continue // ended salons leave the listing
				}
				_, list, _ := ta.Do("GET", "/", "", "", "", "Cookie", "lang="+lang)
				badge := i18n.T(lang, "badge."+tc.state)
				if has := strings.Contains(list, `class="badge badge-`+tc.state+`">`+badge+"<"); has != (tc.state != "open") {
					t.Errorf("%s listing: badge %q shown %v", lang, badge, has)
				}
				if tc.state == "cancelled" && strings.Contains(list, i18n.T(lang, "list.seats_left", 2)) {
					t.Errorf("%s listing: a cancelled salon shows seats", lang)
				}
			}
		})
	}
}

func prefix(fields string) string {
	if fields == "" {
		return ""
	}
	return "," + fields
}
