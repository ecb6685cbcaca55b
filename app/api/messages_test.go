package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"salon/app/internal/apptest"
	"salon/events"
	"salon/storage"
	"salon/tickets"
)

// messageRows counts a salon's message mails.
func messageRows(t *testing.T, ta *apptest.App, slug string) int {
	t.Helper()
	sa, err := ta.DB.FindSalonBySlug(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := ta.DB.FindMessages(context.Background(), storage.OutboxFilter{SalonID: sa.ID})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range msgs {
		if m.Kind == tickets.NoticeMessage {
			n++
		}
	}
	return n
}

// TestMessageScenarios: every refusal of POST …/messages names its field
// or code and queues nothing; an accepted message queues one mail per guest
// of its audience and says how many.
func TestMessageScenarios(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon(`"slug":"law-night","capacity":2`)
	for _, email := range []string{"ana@example.com", "bo@example.com", "cy@example.com"} {
		ta.RSVPToken(slug, email)
	}
	path := "/api/v1/salons/" + slug + "/messages"
	huge := strings.Repeat("b", storage.MaxMessageBody+1)
	for _, tc := range []struct {
		name, token, ctype, body string
		status                   int
		code, field              string
	}{
		{"no token", "", "application/json", `{"subject":"s","body":"b","to":"all"}`, 401, "unauthorized", ""},
		{"other organizer", "OTHER", "application/json", `{"subject":"s","body":"b","to":"all"}`, 403, "forbidden", ""},
		{"staff", "STAFF", "application/json", `{"subject":"s","body":"b","to":"all"}`, 403, "forbidden", ""},
		{"unknown salon", "ORG", "application/json", `{"subject":"s","body":"b","to":"all"}`, 404, "not_found", ""},
		{"empty subject", "ORG", "application/json", `{"subject":" ","body":"b","to":"all"}`, 422, "invalid", "subject"},
		{"missing subject", "ORG", "application/json", `{"body":"b","to":"all"}`, 422, "invalid", "subject"},
		{"subject with a line break", "ORG", "application/json", `{"subject":"a\nb","body":"b","to":"all"}`, 422, "invalid", "subject"},
		{"huge subject", "ORG", "application/json", `{"subject":"` + strings.Repeat("s", 201) + `","body":"b","to":"all"}`, 422, "invalid", "subject"},
		{"empty body", "ORG", "application/json", `{"subject":"s","body":"","to":"all"}`, 422, "invalid", "body"},
		{"huge body", "ORG", "application/json", `{"subject":"s","body":"` + huge + `","to":"all"}`, 422, "invalid", "body"},
		{"unknown audience", "ORG", "application/json", `{"subject":"s","body":"b","to":"cancelled"}`, 422, "invalid", "to"},
		{"audience of the wrong type", "ORG", "application/json", `{"subject":"s","body":"b","to":1}`, 422, "invalid", "to"},
		{"unknown field", "ORG", "application/json", `{"subject":"s","body":"b","to":"all","cc":"x"}`, 400, "bad_request", ""},
		{"not JSON", "ORG", "text/plain", `subject=s`, 400, "bad_request", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parent := ta.T
			ta.T = t
			defer func() { ta.T = parent }()
			tok := map[string]string{"ORG": ta.Token, "OTHER": ta.Token2, "STAFF": ta.Staff}[tc.token]
			p := path
			if tc.name == "unknown salon" {
				p = "/api/v1/salons/nope/messages"
			}
			status, body, _ := ta.Do("POST", p, tok, tc.ctype, tc.body)
			if status != tc.status || !strings.Contains(body, fmt.Sprintf(`"code":%q`, tc.code)) {
				t.Fatalf("status %d, want %d %s: %s", status, tc.status, tc.code, body)
			}
			if tc.field != "" {
				var e struct {
					Error struct{ Fields map[string]string } `json:"error"`
				}
				if err := json.Unmarshal([]byte(body), &e); err != nil || e.Error.Fields[tc.field] == "" {
					t.Fatalf("body %s does not name field %s", body, tc.field)
				}
			}
		})
	}
	if n := messageRows(t, ta, slug); n != 0 {
		t.Fatalf("refused messages queued %d mails", n)
	}
	for _, c := range []struct {
		to   string
		want float64
	}{{"confirmed", 2}, {"waitlisted", 1}, {"all", 3}} {
		status, out := ta.JSON("POST", path, ta.Token, `{"subject":"Room 4","body":"We moved.","to":"`+c.to+`"}`)
		if status != 202 || out["queued"] != c.want {
			t.Fatalf("%s: %d %v", c.to, status, out)
		}
	}
	if n := messageRows(t, ta, slug); n != 6 {
		t.Fatalf("%d message mails, want 6", n)
	}
	status, out := ta.JSON("POST", path, ta.Token, `{"subject":"Again","body":"b","to":"all"}`)
	if status != 429 || apptest.ErrCode(out) != "rate_limited" {
		t.Fatalf("fourth message: %d %v", status, out)
	}
	if n := messageRows(t, ta, slug); n != 6 {
		t.Fatalf("the refused message queued mail: %d", n)
	}
	entries, _ := ta.DB.FindAudit(context.Background(), storage.AuditFilter{})
	var found bool
	for _, e := range entries {
		if e.Action == storage.ActionSalonMessage && strings.Contains(e.Detail, "Room 4") && strings.HasSuffix(e.Detail, " api") {
			found = true
		}
		if strings.Contains(e.Detail, "We moved") {
			t.Fatalf("the audit log keeps the body: %+v", e)
		}
	}
	if !found {
		t.Fatal("no audit entry of the message")
	}
}

// TestMessageAllowanceParallel: parallel requests through HTTP cannot send
// more than the allowance.
func TestMessageAllowanceParallel(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon(`"slug":"busy-night"`)
	ta.RSVPToken(slug, "ana@example.com")
	base := ta.Listen()
	var wg sync.WaitGroup
	var mu sync.Mutex
	codes := map[int]int{}
	for i := 0; i < 12; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			status := postJSON(t, base+"/api/v1/salons/"+slug+"/messages", ta.Token,
				fmt.Sprintf(`{"subject":"News %d","body":"b","to":"all"}`, i))
			mu.Lock()
			codes[status]++
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	if codes[202] != storage.MessagesPerWindow || codes[429] != 12-storage.MessagesPerWindow {
		t.Fatalf("answers %v", codes)
	}
	if n := messageRows(t, ta, slug); n != storage.MessagesPerWindow {
		t.Fatalf("%d mails queued", n)
	}
}

// TestDuplicateSalon: a copy is a new draft a week later with a new slug
// and no guests; days moves it otherwise; refusals change nothing.
func TestDuplicateSalon(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon(`"slug":"law-night","title":"Law night","venue":"Hall A","reminder_before_minutes":180`)
	ta.RSVPToken(slug, "ana@example.com")
	_, orig := ta.JSON("GET", "/api/v1/salons/"+slug, "", "")
	o := orig["salon"].(map[string]any)

	status, out := ta.JSON("POST", "/api/v1/salons/"+slug+"/duplicate", ta.Token, "")
	if status != 201 {
		t.Fatalf("duplicate: %d %v", status, out)
	}
	d := out["salon"].(map[string]any)
	if d["slug"] == slug || d["status"] != "draft" || d["confirmed"].(float64) != 0 || d["title"] != "Law night" ||
		d["venue"] != "Hall A" || d["reminder_before_minutes"].(float64) != 180 {
		t.Fatalf("copy: %v", d)
	}
	if shift := hoursBetween(t, o["starts_at"], d["starts_at"]); shift != 7*24 {
		t.Fatalf("start moved %v hours", shift)
	}
	if shift := hoursBetween(t, o["rsvp_deadline"], d["rsvp_deadline"]); shift != 7*24 {
		t.Fatalf("deadline moved %v hours", shift)
	}
	status, out = ta.JSON("POST", "/api/v1/salons/"+slug+"/duplicate", ta.Token, `{"days":14}`)
	if status != 201 || hoursBetween(t, o["starts_at"], out["salon"].(map[string]any)["starts_at"]) != 14*24 {
		t.Fatalf("14 days: %d %v", status, out)
	}
	second := out["salon"].(map[string]any)["slug"]
	if second == d["slug"] {
		t.Fatal("two copies share a slug")
	}
	// A draft is not public; its organizer sees it.
	if s, _ := ta.JSON("GET", "/api/v1/salons/"+d["slug"].(string), "", ""); s != 404 {
		t.Fatalf("the draft copy is public: %d", s)
	}
	none := ta.Salon(`"slug":"no-reminder"`)
	if s, out := ta.JSON("PATCH", "/api/v1/salons/"+none, ta.Token, `{"reminder_before_minutes":0}`); s != 200 {
		t.Fatalf("no reminder: %d %v", s, out)
	}
	status, out = ta.JSON("POST", "/api/v1/salons/"+none+"/duplicate", ta.Token, "")
	if status != 201 || out["salon"].(map[string]any)["reminder_before_minutes"].(float64) != 0 {
		t.Fatalf("a salon without reminders copied with one: %v", out)
	}

	before, _ := ta.DB.FindSalons(context.Background(), eventsAll())
	for _, tc := range []struct {
		name, token, body string
		status            int
		code, field       string
	}{
		{"no token", "", "", 401, "unauthorized", ""},
		{"other organizer", ta.Token2, "", 403, "forbidden", ""},
		{"staff", ta.Staff, "", 403, "forbidden", ""},
		{"too many days", ta.Token, `{"days":400}`, 422, "invalid", "days"},
		{"days of the wrong type", ta.Token, `{"days":"7"}`, 422, "invalid", "days"},
		{"unknown field", ta.Token, `{"weeks":1}`, 400, "bad_request", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parent := ta.T
			ta.T = t
			defer func() { ta.T = parent }()
			status, out := ta.JSON("POST", "/api/v1/salons/"+slug+"/duplicate", tc.token, tc.body)
			if status != tc.status || apptest.ErrCode(out) != tc.code || (tc.field != "" && ta.Fields(out) != tc.field) {
				t.Fatalf("%d %v", status, out)
			}
		})
	}
	if status, out := ta.JSON("POST", "/api/v1/salons/nope/duplicate", ta.Token, ""); status != 404 {
		t.Fatalf("unknown salon: %d %v", status, out)
	}
	after, _ := ta.DB.FindSalons(context.Background(), eventsAll())
	if len(after) != len(before) {
		t.Fatalf("refusals made salons: %d -> %d", len(before), len(after))
	}
}

// TestPatchSaysNotified: a change attendees must see answers how many were
// mailed.
func TestPatchSaysNotified(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon(`"slug":"told-night"`)
	ta.RSVPToken(slug, "ana@example.com")
	ta.RSVPToken(slug, "bo@example.com")
	if s, out := ta.JSON("PATCH", "/api/v1/salons/"+slug, ta.Token, `{"capacity":5}`); s != 200 || out["notified"].(float64) != 0 {
		t.Fatalf("capacity: %d %v", s, out)
	}
	if s, out := ta.JSON("PATCH", "/api/v1/salons/"+slug, ta.Token, `{"venue":"Hall B"}`); s != 200 || out["notified"].(float64) != 2 {
		t.Fatalf("venue: %d %v", s, out)
	}
}

// postJSON posts body over the network and returns the status.
func postJSON(t *testing.T, u, token, body string) int {
	req, _ := http.NewRequest("POST", u, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return 0
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

func hoursBetween(t *testing.T, a, b any) float64 {
	t.Helper()
	ta, err1 := time.Parse(time.RFC3339, a.(string))
	tb, err2 := time.Parse(time.RFC3339, b.(string))
	if err1 != nil || err2 != nil {
		t.Fatalf("times %v %v", a, b)
	}
	return tb.Sub(ta).Hours()
}

func eventsAll() events.SalonFilter { return events.SalonFilter{} }
