package door_test

import (
	"context"
	"sort"
	"strings"
	"testing"

	"salon/app/internal/apptest"
)

// TestCheckin_TicketIDOfAnotherSalon: a check-in by hand names a ticket id,
// and an id of another salon is not found at this salon's door, for door
// links, staff and organizers alike: no name, no scan row, no check-in.
func TestCheckin_TicketIDOfAnotherSalon(t *testing.T) {
	ta := apptest.New(t)
	a := ta.Salon(`"slug":"salon-a"`)
	b := ta.Salon(`"slug":"salon-b"`)
	_, ana := ta.RSVPToken(a, "ana@example.com")
	key := ta.DoorLinkKey(b)
	ctx := context.Background()
	sb, _ := ta.DB.FindSalonBySlug(ctx, b)

	_, missing := ta.JSON("POST", "/api/v1/salons/"+b+"/checkins", ta.Staff, `{"ticket_id":"999999"}`)
	for who, tok := range map[string]string{"door link": key, "staff": ta.Staff, "organizer": ta.Token} {
		s, body, _ := ta.Do("POST", "/api/v1/salons/"+b+"/checkins", tok, "application/json", `{"ticket_id":"`+ana["id"].(string)+`"}`)
		if s != 404 || strings.Contains(body, "Guest ana") || strings.Contains(body, "Acme") || strings.Contains(body, `"result"`) {
			t.Errorf("%s: ticket of salon A at salon B's door: %d %s", who, s, body)
		}
		if _, out := ta.JSON("POST", "/api/v1/salons/"+b+"/checkins", tok, `{"ticket_id":"`+ana["id"].(string)+`"}`); apptest.ErrCode(out) != apptest.ErrCode(missing) || apptest.ErrCode(out) != "not_found" {
			t.Errorf("%s: another salon's ticket must answer as an unknown id: %v, unknown %v", who, out, missing)
		}
	}
	if s, out := ta.JSON("DELETE", "/api/v1/salons/"+b+"/checkins/"+ana["id"].(string), ta.Token, ""); s != 404 || apptest.ErrCode(out) != "not_found" {
		t.Errorf("undo of salon A's ticket at salon B: %d %v", s, out)
	}
	if scans, _ := ta.DB.FindScans(ctx, sb.ID); len(scans) != 0 {
		t.Errorf("salon B logged %d scans of another salon's ticket id", len(scans))
	}
	sa, _ := ta.DB.FindSalonBySlug(ctx, a)
	if sa.CheckedIn != 0 || sb.CheckedIn != 0 {
		t.Errorf("checked in: A %d, B %d", sa.CheckedIn, sb.CheckedIn)
	}
	// At its own salon the same id still works.
	if s, out := ta.JSON("POST", "/api/v1/salons/"+a+"/checkins", ta.Staff, `{"ticket_id":"`+ana["id"].(string)+`"}`); s != 200 || out["result"] != "ok" {
		t.Fatalf("by hand at its own salon: %d %v", s, out)
	}
}

// TestCheckin_WrongSalonCode: a signed code of another salon still answers
// wrong_salon, with what the contract names (name, company, job title,
// status) and nothing of the other salon's door: no id, no check-in time.
func TestCheckin_WrongSalonCode(t *testing.T) {
	ta := apptest.New(t)
	a := ta.Salon(`"slug":"salon-a"`)
	b := ta.Salon(`"slug":"salon-b"`)
	_, ana := ta.RSVPToken(a, "ana@example.com")
	if s, out := ta.JSON("POST", "/api/v1/salons/"+a+"/checkins", ta.Staff, `{"code":"`+ana["code"].(string)+`"}`); s != 200 {
		t.Fatalf("check in at A: %d %v", s, out)
	}
	for _, name := range []string{"first", "nonce replayed"} {
		s, out := ta.JSON("POST", "/api/v1/salons/"+b+"/checkins", ta.DoorLinkKey(b), `{"code":"`+ana["code"].(string)+`","nonce":"w1"}`)
		if s != 409 || out["result"] != "wrong_salon" || out["checked_in_at"] != nil {
			t.Fatalf("%s: %d %v", name, s, out)
		}
		g, _ := out["ticket"].(map[string]any)
		var keys []string
		for k := range g {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if strings.Join(keys, ",") != "company,job_title,name,status" || g["name"] != "Guest ana" {
			t.Fatalf("%s: wrong_salon shows %v", name, g)
		}
	}
	// Salon B's scan log keeps the attempt, not salon A's check-in time.
	s, out := ta.JSON("GET", "/api/v1/salons/"+b+"/scans", ta.Token, "")
	scans, _ := out["scans"].([]any)
	if s != 200 || len(scans) != 1 || scans[0].(map[string]any)["result"] != "wrong_salon" || scans[0].(map[string]any)["checked_in_at"] != nil {
		t.Fatalf("salon B's scan log: %d %v", s, out)
	}
}
