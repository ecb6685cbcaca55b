package api_test

import (
	"context"
	"strconv"
	"testing"

	"salon/app/internal/apptest"
	"salon/storage"
)

// TestAPI_IDsStayInScope walks every API route that takes an id or a token
// with ids and credentials from elsewhere: another organizer's salon,
// another salon's door link, a staff token, a door link on organizer
// routes. None may reach past what its caller may see, and nothing changes.
func TestAPI_IDsStayInScope(t *testing.T) {
	ta := apptest.New(t)
	ctx := context.Background()
	a := ta.Salon(`"slug":"salon-a"`)
	b := ta.Salon(`"slug":"salon-b"`)
	_, ana := ta.RSVPToken(a, "ana@example.com")
	keyA := ta.DoorLinkKey(a)
	sa, _ := ta.DB.FindSalonBySlug(ctx, a)
	links, _ := ta.DB.FindDoorLinks(ctx, sa.ID)
	msgs, _ := ta.DB.FindMessages(ctx, storage.OutboxFilter{SalonID: sa.ID})
	if len(links) != 1 || len(msgs) == 0 {
		t.Fatalf("setup: %d links, %d messages", len(links), len(msgs))
	}
	link, msg, ticket := strconv.FormatInt(links[0].ID, 10), strconv.FormatInt(msgs[0].ID, 10), ana["id"].(string)
	api := "/api/v1/salons/"
	for _, tc := range []struct {
		name, method, path, token, body string
		status                          int
	}{
		// Another organizer, on salon A's routes.
		{"other organizer: attendees", "GET", api + a + "/attendees", ta.Token2, "", 403},
		{"other organizer: csv", "GET", api + a + "/attendees.csv", ta.Token2, "", 403},
		{"other organizer: scans", "GET", api + a + "/scans", ta.Token2, "", 403},
		{"other organizer: door links", "GET", api + a + "/door-links", ta.Token2, "", 403},
		{"other organizer: new door link", "POST", api + a + "/door-links", ta.Token2, "", 403},
		{"other organizer: revoke door link", "POST", api + a + "/door-links/" + link + "/revoke", ta.Token2, "", 403},
		{"other organizer: undo check-in", "DELETE", api + a + "/checkins/" + ticket, ta.Token2, "", 403},
		{"other organizer: check in", "POST", api + a + "/checkins", ta.Token2, `{"ticket_id":"` + ticket + `"}`, 403},
		{"other organizer: door data", "GET", api + a + "/door", ta.Token2, "", 403},
		{"other organizer: edit", "PATCH", api + a, ta.Token2, `{"title":"Taken over"}`, 403},
		{"other organizer: cancel", "POST", api + a + "/cancel", ta.Token2, "", 403},
		{"other organizer: mail", "GET", "/api/v1/outbox?salon=" + a, ta.Token2, "", 403},
		{"other organizer: retry mail", "POST", "/api/v1/outbox/" + msg + "/retry", ta.Token2, "", 403},
		// Salon A's ids through salon B, which the caller manages.
		{"A's door link through B", "POST", api + b + "/door-links/" + link + "/revoke", ta.Token, "", 404},
		{"A's ticket undone through B", "DELETE", api + b + "/checkins/" + ticket, ta.Token, "", 404},
		{"A's ticket checked in through B", "POST", api + b + "/checkins", ta.Token, `{"ticket_id":"` + ticket + `"}`, 404},
		// Salon A's door link elsewhere.
		{"door link at B's door", "GET", api + b + "/door", keyA, "", 403},
		{"door link checks in at B", "POST", api + b + "/checkins", keyA, `{"ticket_id":"` + ticket + `"}`, 403},
		{"door link on attendees", "GET", api + a + "/attendees", keyA, "", 401},
		{"door link on scans", "GET", api + a + "/scans", keyA, "", 401},
		{"door link revokes itself", "POST", api + a + "/door-links/" + link + "/revoke", keyA, "", 401},
		{"door link on mail", "POST", "/api/v1/outbox/" + msg + "/retry", keyA, "", 401},
		// Staff check in, and do nothing else.
		{"staff: attendees", "GET", api + a + "/attendees", ta.Staff, "", 403},
		{"staff: scans", "GET", api + a + "/scans", ta.Staff, "", 403},
		{"staff: revoke door link", "POST", api + a + "/door-links/" + link + "/revoke", ta.Staff, "", 403},
		{"staff: undo check-in", "DELETE", api + a + "/checkins/" + ticket, ta.Staff, "", 403},
		{"staff: retry mail", "POST", "/api/v1/outbox/" + msg + "/retry", ta.Staff, "", 403},
		// Tokens that are not a ticket's.
		{"ticket by its id", "GET", "/api/v1/tickets/" + ticket, "", "", 404},
		{"cancel by its id", "POST", "/api/v1/tickets/" + ticket + "/cancel", "", "", 404},
		{"feed revoke by its id", "POST", "/api/v1/tickets/" + ticket + "/feed/revoke", "", "", 404},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ct := ""
			if tc.body != "" {
				ct = "application/json"
			}
			if s, body, _ := ta.Do(tc.method, tc.path, tc.token, ct, tc.body); s != tc.status {
				t.Errorf("%d, want %d: %s", s, tc.status, body)
			}
		})
	}
	// Nothing changed: the link still opens A's door, Ana is confirmed and
	// not checked in, A keeps its title, and no scan was logged anywhere.
	if s, out := ta.JSON("GET", api+a+"/door", keyA, ""); s != 200 {
		t.Errorf("A's door link after the walk: %d %v", s, out)
	}
	anaID, _ := strconv.ParseInt(ticket, 10, 64)
	if got, _ := ta.DB.FindTicketByID(ctx, sa.ID, anaID); got == nil || got.Status != "confirmed" || got.CheckedInAt != nil {
		t.Errorf("Ana's ticket changed: %+v", got)
	}
	sb, _ := ta.DB.FindSalonBySlug(ctx, b)
	for _, id := range []int64{sa.ID, sb.ID} {
		if scans, _ := ta.DB.FindScans(ctx, id); len(scans) != 0 {
			t.Errorf("salon %d logged %d scans", id, len(scans))
		}
	}
	if got, _ := ta.DB.FindSalonBySlug(ctx, a); got.Title != sa.Title || got.Status != sa.Status {
		t.Errorf("salon A changed: %+v", got)
	}
}
