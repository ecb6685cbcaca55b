package app_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	_ "image/png"
	"strings"
	"sync"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// rsvpToken RSVPs and returns the manage token and the ticket JSON.
func (ta *testApp) rsvpToken(slug, email string) (string, map[string]any) {
	ta.t.Helper()
	s, out := ta.json("POST", "/api/v1/salons/"+slug+"/rsvps", "", `{"name":"Guest `+strings.Split(email, "@")[0]+`","email":"`+email+`","company":"Acme"}`)
	if s != 201 {
		ta.t.Fatalf("rsvp %s: %d %v", email, s, out)
	}
	tk := out["ticket"].(map[string]any)
	return strings.TrimPrefix(tk["manage_url"].(string), "https://salon.example/t/"), tk
}

func TestCheckinAPI(t *testing.T) {
	ta := newTestApp(t)
	slug := ta.salon(`"slug":"door-salon","capacity":1`)
	other := ta.salon(`"slug":"other-salon"`)
	_, ana := ta.rsvpToken(slug, "ana@example.com")
	_, bo := ta.rsvpToken(slug, "bo@example.com") // waitlisted
	_, cy := ta.rsvpToken(other, "cy@example.com")
	code := ana["code"].(string)
	if bo["code"] != nil {
		t.Fatal("a waitlisted ticket must have no code")
	}
	path := "/api/v1/salons/" + slug + "/checkins"
	for _, tc := range []struct {
		name, token, body string
		status            int
		result            string
	}{
		{"ok by staff", "STAFF", `{"code":"` + code + `","nonce":"n1"}`, 200, "ok"},
		{"same nonce replays", "STAFF", `{"code":"` + code + `","nonce":"n1"}`, 200, "ok"},
		{"repeat", "ORG", `{"code":"` + code + `"}`, 409, "already_checked_in"},
		{"other salon's ticket", "ORG", `{"code":"` + cy["code"].(string) + `"}`, 409, "wrong_salon"},
		{"truncated", "ORG", `{"code":"` + code[:20] + `"}`, 422, "invalid"},
		{"huge", "ORG", `{"code":"` + strings.Repeat("A", 5000) + `"}`, 422, "invalid"},
		{"empty", "ORG", `{"code":""}`, 422, "invalid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tok := map[string]string{"ORG": ta.token, "STAFF": ta.staff}[tc.token]
			s, out := ta.json("POST", path, tok, tc.body)
			if s != tc.status || out["result"] != tc.result {
				t.Fatalf("%d %v", s, out)
			}
			if tc.result != "invalid" {
				g := out["ticket"].(map[string]any)
				if _, hasEmail := g["email"]; hasEmail || g["name"] == "" {
					t.Fatalf("door answer must show name, never email: %v", g)
				}
			}
			if tc.result == "already_checked_in" && out["checked_in_at"] == nil {
				t.Fatal("a repeat must carry the first check-in time")
			}
		})
	}
	// The same nonce wrote one scan, not two.
	sa, _ := ta.db.FindSalonBySlug(context.Background(), slug)
	scans, _ := ta.db.FindScans(context.Background(), sa.ID)
	if len(scans) != 6 {
		t.Fatalf("scans logged: %d", len(scans))
	}
	if s, out := ta.json("POST", path, ta.token2, `{"code":"`+code+`"}`); s != 403 || errCode(out) != "forbidden" {
		t.Fatalf("another organizer: %d %v", s, out)
	}
	if s, out := ta.json("POST", path, "", `{"code":"`+code+`"}`); s != 401 {
		t.Fatalf("no credentials: %d %v", s, out)
	}
	// Undo by the organizer, then the guest can come in again.
	if s, out := ta.json("DELETE", "/api/v1/salons/"+slug+"/checkins/"+ana["id"].(string), ta.token, ""); s != 200 {
		t.Fatalf("undo: %d %v", s, out)
	}
	if s, out := ta.json("POST", path, ta.staff, `{"ticket_id":"`+ana["id"].(string)+`"}`); s != 200 || out["result"] != "ok" {
		t.Fatalf("check in by hand after undo: %d %v", s, out)
	}
}

func TestDoorLinks_API(t *testing.T) {
	ta := newTestApp(t)
	slug := ta.salon(`"slug":"door-a"`)
	other := ta.salon(`"slug":"door-b"`)
	_, ana := ta.rsvpToken(slug, "ana@example.com")
	s, out := ta.json("POST", "/api/v1/salons/"+slug+"/door-links", ta.token, `{"label":"front"}`)
	if s != 201 {
		t.Fatalf("create: %d %v", s, out)
	}
	link := out["door_link"].(map[string]any)
	url := link["url"].(string)
	key := url[strings.Index(url, "#key=")+5:]
	if !strings.HasPrefix(url, "https://salon.example/door/"+slug+"#key=sld_") {
		t.Fatalf("url %q", url)
	}
	s, data := ta.json("GET", "/api/v1/salons/"+slug+"/door", key, "")
	if s != 200 || len(data["public_keys"].([]any)) != 1 || len(data["guests"].([]any)) != 1 {
		t.Fatalf("door data: %d %v", s, data)
	}
	if strings.Contains(fmt.Sprint(data), "ana@example.com") {
		t.Fatal("door data leaks an email")
	}
	if s, out := ta.json("POST", "/api/v1/salons/"+other+"/checkins", key, `{"code":"`+ana["code"].(string)+`"}`); s != 403 {
		t.Fatalf("door link used for another salon: %d %v", s, out)
	}
	if s, out := ta.json("POST", "/api/v1/salons/"+slug+"/checkins", key, `{"code":"`+ana["code"].(string)+`"}`); s != 200 || out["result"] != "ok" {
		t.Fatalf("door link check-in: %d %v", s, out)
	}
	if s, _, _ := ta.do("POST", "/api/v1/salons/"+slug+"/door-links/"+link["id"].(string)+"/revoke", ta.token, "", ""); s != 204 {
		t.Fatalf("revoke: %d", s)
	}
	if s, out := ta.json("GET", "/api/v1/salons/"+slug+"/door", key, ""); s != 401 {
		t.Fatalf("revoked door link: %d %v", s, out)
	}
}

// TestQRImage decodes the served PNG back to the ticket's code.
func TestQRImage(t *testing.T) {
	ta := newTestApp(t)
	slug := ta.salon(`"capacity":1`)
	token, ana := ta.rsvpToken(slug, "ana@example.com")
	waitToken, _ := ta.rsvpToken(slug, "bo@example.com")
	status, body, hdr := ta.do("GET", "/t/"+token+"/qr.png", "", "", "")
	if status != 200 || hdr.Get("Content-Type") != "image/png" {
		t.Fatalf("qr: %d %s", status, hdr.Get("Content-Type"))
	}
	img, _, err := image.Decode(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	if err != nil || res.GetText() != ana["code"] {
		t.Fatalf("decoded %v %v, want %v", res, err, ana["code"])
	}
	if status, _, _ := ta.do("GET", "/t/"+waitToken+"/qr.png", "", "", ""); status != 404 {
		t.Fatalf("waitlisted ticket QR: %d", status)
	}
	// Cancelled: no QR, and its code no longer admits.
	ta.json("POST", "/api/v1/tickets/"+token+"/cancel", "", "")
	if status, _, _ := ta.do("GET", "/t/"+token+"/qr.png", "", "", ""); status != 404 {
		t.Fatalf("cancelled ticket QR: %d", status)
	}
	if s, out := ta.json("POST", "/api/v1/salons/"+slug+"/checkins", ta.token, `{"code":"`+ana["code"].(string)+`"}`); s != 409 || out["result"] != "not_confirmed" {
		t.Fatalf("revoked code: %d %v", s, out)
	}
}

func TestCheckinAPI_Concurrent(t *testing.T) {
	ta := newTestApp(t)
	slug := ta.salon(`"capacity":50`)
	for round := 0; round < 20; round++ {
		_, tk := ta.rsvpToken(slug, fmt.Sprintf("c%d@example.com", round))
		var wg sync.WaitGroup
		var mu sync.Mutex
		n := map[any]int{}
		for i := 0; i < 8; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, b, _ := ta.do("POST", "/api/v1/salons/"+slug+"/checkins", ta.staff, "application/json", `{"code":"`+tk["code"].(string)+`"}`)
				mu.Lock()
				n[strings.Contains(b, `"result":"ok"`)]++
				mu.Unlock()
			}()
		}
		wg.Wait()
		if n[true] != 1 || n[false] != 7 {
			t.Fatalf("round %d: %v", round, n)
		}
	}
}

func TestScanLogAndFeedRevoke(t *testing.T) {
	ta := newTestApp(t)
	slug := ta.salon("")
	token, tk := ta.rsvpToken(slug, "ana@example.com")
	ta.json("POST", "/api/v1/salons/"+slug+"/checkins", ta.staff, `{"code":"`+tk["code"].(string)+`","device":"phone-1"}`)
	ta.json("POST", "/api/v1/salons/"+slug+"/checkins", ta.staff, `{"code":"`+tk["code"].(string)+`","device":"phone-2","offline":true}`)
	s, out := ta.json("GET", "/api/v1/salons/"+slug+"/scans", ta.token, "")
	scans := out["scans"].([]any)
	if s != 200 || len(scans) != 2 || scans[0].(map[string]any)["result"] != "ok" || scans[1].(map[string]any)["flagged"] != true ||
		scans[1].(map[string]any)["device"] != "phone-2" {
		t.Fatalf("scans: %d %v", s, out)
	}
	if s, _ := ta.json("GET", "/api/v1/salons/"+slug+"/scans", ta.staff, ""); s != 403 {
		t.Fatalf("staff read the scan log: %d", s)
	}
	oldFeed := tk["feed_url"].(string)
	if s, _, _ := ta.do("GET", strings.TrimPrefix(oldFeed, "https://salon.example"), "", "", ""); s != 200 {
		t.Fatalf("the feed before revoking: %d", s) // and now it is cached
	}
	s, out = ta.json("POST", "/api/v1/tickets/"+token+"/feed/revoke", "", "")
	newFeed := out["ticket"].(map[string]any)["feed_url"].(string)
	if s != 200 || newFeed == oldFeed {
		t.Fatalf("revoke: %d %v", s, out)
	}
	if s, _, _ := ta.do("GET", strings.TrimPrefix(oldFeed, "https://salon.example"), "", "", ""); s != 404 {
		t.Fatalf("the old feed still answers: %d", s)
	}
	if s, _, _ := ta.do("GET", strings.TrimPrefix(newFeed, "https://salon.example"), "", "", ""); s != 200 {
		t.Fatalf("the new feed: %d", s)
	}
}
