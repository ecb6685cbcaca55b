package door_test

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

	"salon/app/internal/apptest"
)

func TestCheckinAPI(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon(`"slug":"door-salon","capacity":1`)
	other := ta.Salon(`"slug":"other-salon"`)
	_, ana := ta.RSVPToken(slug, "ana@example.com")
	_, bo := ta.RSVPToken(slug, "bo@example.com") // waitlisted
	_, cy := ta.RSVPToken(other, "cy@example.com")
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
			tok := map[string]string{"ORG": ta.Token, "STAFF": ta.Staff}[tc.token]
			s, out := ta.JSON("POST", path, tok, tc.body)
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
	sa, _ := ta.DB.FindSalonBySlug(context.Background(), slug)
	scans, _ := ta.DB.FindScans(context.Background(), sa.ID)
	if len(scans) != 6 {
		t.Fatalf("scans logged: %d", len(scans))
	}
	if s, out := ta.JSON("POST", path, ta.Token2, `{"code":"`+code+`"}`); s != 403 || apptest.ErrCode(out) != "forbidden" {
		t.Fatalf("another organizer: %d %v", s, out)
	}
	if s, out := ta.JSON("POST", path, "", `{"code":"`+code+`"}`); s != 401 {
		t.Fatalf("no credentials: %d %v", s, out)
	}
	// Undo by the organizer, then the guest can come in again.
	if s, out := ta.JSON("DELETE", "/api/v1/salons/"+slug+"/checkins/"+ana["id"].(string), ta.Token, ""); s != 200 {
		t.Fatalf("undo: %d %v", s, out)
	}
	if s, out := ta.JSON("POST", path, ta.Staff, `{"ticket_id":"`+ana["id"].(string)+`"}`); s != 200 || out["result"] != "ok" {
		t.Fatalf("check in by hand after undo: %d %v", s, out)
	}
}

func TestDoorLinks_API(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon(`"slug":"door-a"`)
	other := ta.Salon(`"slug":"door-b"`)
	_, ana := ta.RSVPToken(slug, "ana@example.com")
	s, out := ta.JSON("POST", "/api/v1/salons/"+slug+"/door-links", ta.Token, `{"label":"front"}`)
	if s != 201 {
		t.Fatalf("create: %d %v", s, out)
	}
	link := out["door_link"].(map[string]any)
	url := link["url"].(string)
	key := url[strings.Index(url, "#key=")+5:]
	if !strings.HasPrefix(url, "https://salon.example/door/"+slug+"#key=sld_") {
		t.Fatalf("url %q", url)
	}
	s, data := ta.JSON("GET", "/api/v1/salons/"+slug+"/door", key, "")
	if s != 200 || len(data["public_keys"].([]any)) != 1 || len(data["guests"].([]any)) != 1 {
		t.Fatalf("door data: %d %v", s, data)
	}
	if strings.Contains(fmt.Sprint(data), "ana@example.com") {
		t.Fatal("door data leaks an email")
	}
	if s, out := ta.JSON("POST", "/api/v1/salons/"+other+"/checkins", key, `{"code":"`+ana["code"].(string)+`"}`); s != 403 {
		t.Fatalf("door link used for another salon: %d %v", s, out)
	}
	if s, out := ta.JSON("POST", "/api/v1/salons/"+slug+"/checkins", key, `{"code":"`+ana["code"].(string)+`"}`); s != 200 || out["result"] != "ok" {
		t.Fatalf("door link check-in: %d %v", s, out)
	}
	if s, _, _ := ta.Do("POST", "/api/v1/salons/"+slug+"/door-links/"+link["id"].(string)+"/revoke", ta.Token, "", ""); s != 204 {
		t.Fatalf("revoke: %d", s)
	}
	if s, out := ta.JSON("GET", "/api/v1/salons/"+slug+"/door", key, ""); s != 401 {
		t.Fatalf("revoked door link: %d %v", s, out)
	}
}

// TestQRImage decodes the served PNG back to the ticket's code.
func TestQRImage(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon(`"capacity":1`)
	token, ana := ta.RSVPToken(slug, "ana@example.com")
	waitToken, _ := ta.RSVPToken(slug, "bo@example.com")
	status, body, hdr := ta.Do("GET", "/t/"+token+"/qr.png", "", "", "")
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
	if status, _, _ := ta.Do("GET", "/t/"+waitToken+"/qr.png", "", "", ""); status != 404 {
		t.Fatalf("waitlisted ticket QR: %d", status)
	}
	// Cancelled: no QR, and its code no longer admits.
	ta.JSON("POST", "/api/v1/tickets/"+token+"/cancel", "", "")
	if status, _, _ := ta.Do("GET", "/t/"+token+"/qr.png", "", "", ""); status != 404 {
		t.Fatalf("cancelled ticket QR: %d", status)
	}
	if s, out := ta.JSON("POST", "/api/v1/salons/"+slug+"/checkins", ta.Token, `{"code":"`+ana["code"].(string)+`"}`); s != 409 || out["result"] != "not_confirmed" {
		t.Fatalf("revoked code: %d %v", s, out)
	}
}

func TestCheckinAPI_Concurrent(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon(`"capacity":50`)
	for round := 0; round < 20; round++ {
		_, tk := ta.RSVPToken(slug, fmt.Sprintf("c%d@example.com", round))
		var wg sync.WaitGroup
		var mu sync.Mutex
		n := map[any]int{}
		for i := 0; i < 8; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, b, _ := ta.Do("POST", "/api/v1/salons/"+slug+"/checkins", ta.Staff, "application/json", `{"code":"`+tk["code"].(string)+`"}`)
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
	ta := apptest.New(t)
	slug := ta.Salon("")
	token, tk := ta.RSVPToken(slug, "ana@example.com")
	ta.JSON("POST", "/api/v1/salons/"+slug+"/checkins", ta.Staff, `{"code":"`+tk["code"].(string)+`","device":"phone-1"}`)
	ta.JSON("POST", "/api/v1/salons/"+slug+"/checkins", ta.Staff, `{"code":"`+tk["code"].(string)+`","device":"phone-2","offline":true}`)
	s, out := ta.JSON("GET", "/api/v1/salons/"+slug+"/scans", ta.Token, "")
	scans := out["scans"].([]any)
	if s != 200 || len(scans) != 2 || scans[0].(map[string]any)["result"] != "ok" || scans[1].(map[string]any)["flagged"] != true ||
		scans[1].(map[string]any)["device"] != "phone-2" {
		t.Fatalf("scans: %d %v", s, out)
	}
	if s, _ := ta.JSON("GET", "/api/v1/salons/"+slug+"/scans", ta.Staff, ""); s != 403 {
		t.Fatalf("staff read the scan log: %d", s)
	}
	oldFeed := tk["feed_url"].(string)
	if s, _, _ := ta.Do("GET", strings.TrimPrefix(oldFeed, "https://salon.example"), "", "", ""); s != 200 {
		t.Fatalf("the feed before revoking: %d", s) // and now it is cached
	}
	s, out = ta.JSON("POST", "/api/v1/tickets/"+token+"/feed/revoke", "", "")
	newFeed := out["ticket"].(map[string]any)["feed_url"].(string)
	if s != 200 || newFeed == oldFeed {
		t.Fatalf("revoke: %d %v", s, out)
	}
	if s, _, _ := ta.Do("GET", strings.TrimPrefix(oldFeed, "https://salon.example"), "", "", ""); s != 404 {
		t.Fatalf("the old feed still answers: %d", s)
	}
	if s, _, _ := ta.Do("GET", strings.TrimPrefix(newFeed, "https://salon.example"), "", "", ""); s != 200 {
		t.Fatalf("the new feed: %d", s)
	}
}
