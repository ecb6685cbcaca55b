package api_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"salon/app/internal/apptest"
	"salon/storage"
	"salon/tickets"
)

// rsvpID RSVPs through the API and returns the ticket's id and status.
func rsvpID(t *testing.T, ta *apptest.App, slug, body string) (string, string) {
	t.Helper()
	s, out := ta.JSON("POST", "/api/v1/salons/"+slug+"/rsvps", "", body)
	if s != 201 {
		t.Fatalf("rsvp %s: %d %v", body, s, out)
	}
	tk := out["ticket"].(map[string]any)
	return tk["id"].(string), tk["status"].(string)
}

// TestApprovalAPI walks every answer of approve and decline: a pending
// RSVP, a seat taken by approval, the waitlist, salon_full, a second
// decision, another salon's ticket, another organizer, no credentials.
func TestApprovalAPI(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon(`"capacity":2,"approval":true,"max_guests":2,"waitlist":false`)
	s, out := ta.JSON("GET", "/api/v1/salons/"+slug, "", "")
	sa := out["salon"].(map[string]any)
	if s != 200 || sa["approval"] != true || sa["max_guests"] != float64(2) || sa["pending"] != float64(0) {
		t.Fatalf("salon: %d %v", s, out)
	}
	ana, st := rsvpID(t, ta, slug, `{"name":"Ana","email":"ana@example.com","guests":1}`)
	if st != "pending" {
		t.Fatalf("RSVP to a salon with approval: %s", st)
	}
	bo, _ := rsvpID(t, ta, slug, `{"name":"Bo","email":"bo@example.com"}`)
	_, out = ta.JSON("GET", "/api/v1/salons/"+slug, "", "")
	if sa := out["salon"].(map[string]any); sa["pending"] != float64(3) || sa["confirmed"] != float64(0) || sa["seats_left"] != float64(2) {
		t.Fatalf("pending seats take no seat: %v", sa)
	}
	other := ta.Salon(`"approval":true`)
	carl, _ := rsvpID(t, ta, other, `{"name":"Carl","email":"carl@example.com"}`)
	_, stranger := ta.User("stranger@example.com", "organizer")

	base := "/api/v1/salons/" + slug + "/attendees/"
	for _, tc := range []struct {
		name, path, token string
		status            int
		code, field       string
		want              string // the ticket's status afterwards
		guests            float64
	}{
		{"no credentials", base + ana + "/approve", "", 401, "unauthorized", "", "", 0},
		{"another organizer", base + ana + "/approve", stranger, 403, "forbidden", "", "", 0},
		{"another salon's ticket", base + carl + "/approve", ta.Token, 404, "not_found", "", "", 0},
		{"not an id", base + "abc/approve", ta.Token, 404, "not_found", "", "", 0},
		{"approve a party that fits", base + ana + "/approve", ta.Token, 200, "", "", "confirmed", 1},
		{"approve again", base + ana + "/approve", ta.Token, 422, "invalid", "status", "", 0},
		{"decline a confirmed ticket", base + ana + "/decline", ta.Token, 422, "invalid", "status", "", 0},
		{"approve into a full salon without waitlist", base + bo + "/approve", ta.Token, 409, "salon_full", "", "", 0},
		{"decline", base + bo + "/decline", ta.Token, 200, "", "", "declined", 0},
		{"approve a declined ticket", base + bo + "/approve", ta.Token, 422, "invalid", "status", "", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before, _ := ta.DB.FindMessages(context.Background(), storage.OutboxFilter{})
			s, out := ta.JSON("POST", tc.path, tc.token, "")
			if s != tc.status || apptest.ErrCode(out) != tc.code {
				t.Fatalf("%d %v", s, out)
			}
			if tc.field != "" && !strings.Contains(ta.Fields(out), tc.field) {
				t.Fatalf("fields %v", out)
			}
			after, _ := ta.DB.FindMessages(context.Background(), storage.OutboxFilter{})
			if tc.want == "" {
				if len(after) != len(before) {
					t.Fatalf("a refused decision queued %d mails", len(after)-len(before))
				}
				return
			}
			tk := out["ticket"].(map[string]any)
			if tk["status"] != tc.want || tk["guests"] != tc.guests || len(after) != len(before)+1 {
				t.Fatalf("ticket %v, %d mails queued", tk, len(after)-len(before))
			}
		})
	}
	_, out = ta.JSON("GET", "/api/v1/salons/"+slug, "", "")
	if sa := out["salon"].(map[string]any); sa["confirmed"] != float64(2) || sa["pending"] != float64(0) || sa["seats_left"] != float64(0) {
		t.Fatalf("counts after decisions: %v", sa)
	}
	s, out = ta.JSON("GET", "/api/v1/salons/"+slug+"/attendees?status=declined", ta.Token, "")
	if list := out["attendees"].([]any); s != 200 || len(list) != 1 || list[0].(map[string]any)["id"] != bo {
		t.Fatalf("declined attendees: %d %v", s, out)
	}
	// The holder may withdraw a pending request.
	id, _ := strconv.ParseInt(carl, 10, 64)
	tk, err := ta.DB.FindTicketByID(context.Background(), mustSalonID(t, ta, other), id)
	if err != nil {
		t.Fatal(err)
	}
	if s, out := ta.JSON("POST", "/api/v1/tickets/"+tk.Token+"/cancel", "", ""); s != 200 || out["ticket"].(map[string]any)["status"] != "cancelled" {
		t.Fatalf("cancel a pending ticket: %d %v", s, out)
	}
}

func mustSalonID(t *testing.T, ta *apptest.App, slug string) int64 {
	t.Helper()
	sa, err := ta.DB.FindSalonBySlug(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	return sa.ID
}

// TestGuestsBadInput: guests above max_guests, negative or not an integer,
// and max_guests out of range, are invalid naming the field, and nothing
// is written.
func TestGuestsBadInput(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon(`"capacity":10,"max_guests":2`)
	for _, tc := range []struct{ name, body, field string }{
		{"above max_guests", `{"name":"A","email":"a@example.com","guests":3}`, "guests"},
		{"negative", `{"name":"A","email":"a@example.com","guests":-1}`, "guests"},
		{"not an integer", `{"name":"A","email":"a@example.com","guests":1.5}`, "guests"},
		{"a string", `{"name":"A","email":"a@example.com","guests":"two"}`, "guests"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, out := ta.JSON("POST", "/api/v1/salons/"+slug+"/rsvps", "", tc.body)
			if s != 422 || apptest.ErrCode(out) != "invalid" || !strings.Contains(ta.Fields(out), tc.field) {
				t.Fatalf("%d %v", s, out)
			}
		})
	}
	none := ta.Salon(`"capacity":10`)
	if s, out := ta.JSON("POST", "/api/v1/salons/"+none+"/rsvps", "", `{"name":"A","email":"a@example.com","guests":1}`); s != 422 || !strings.Contains(ta.Fields(out), "guests") {
		t.Fatalf("guests at a salon that takes none: %d %v", s, out)
	}
	if list, _ := ta.DB.FindTickets(context.Background(), storage.TicketFilter{}); len(list) != 0 {
		t.Fatalf("refused RSVPs wrote %d tickets", len(list))
	}
	for _, body := range []string{`{"max_guests":11}`, `{"max_guests":-1}`} {
		if s, out := ta.JSON("PATCH", "/api/v1/salons/"+slug, ta.Token, body); s != 422 || !strings.Contains(ta.Fields(out), "max_guests") {
			t.Fatalf("PATCH %s: %d %v", body, s, out)
		}
	}
	_, out := ta.JSON("GET", "/api/v1/salons/"+slug, "", "")
	if out["salon"].(map[string]any)["max_guests"] != float64(2) {
		t.Fatalf("a refused PATCH changed max_guests: %v", out)
	}
	// A party counts its seats everywhere; the CSV carries guests.
	_, st := rsvpID(t, ta, slug, `{"name":"Dee","email":"dee@example.com","guests":2}`)
	_, out = ta.JSON("GET", "/api/v1/salons/"+slug, "", "")
	if sa := out["salon"].(map[string]any); st != tickets.StatusConfirmed || sa["confirmed"] != float64(3) || sa["seats_left"] != float64(7) {
		t.Fatalf("party of three: %s %v", st, sa)
	}
	s, csv, _ := ta.Do("GET", "/api/v1/salons/"+slug+"/attendees.csv", ta.Token, "", "")
	lines := strings.Split(strings.TrimSpace(csv), "\r\n")
	if s != 200 || !strings.HasSuffix(lines[0], ",guests") || !strings.HasSuffix(lines[1], ",2") {
		t.Fatalf("CSV: %d %q", s, csv)
	}
}
