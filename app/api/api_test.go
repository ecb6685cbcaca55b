package api_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"salon/app"
	"salon/app/internal/apptest"
	"salon/storage"
)

// TestAPIScenarios walks every row of the contract's error table that salons
// and RSVPs touch, and checks that refused requests change nothing.
func TestAPIScenarios(t *testing.T) {
	ta := apptest.New(t)
	open := ta.Salon(`"slug":"open-salon"`)
	full := ta.Salon(`"slug":"full-salon","capacity":1,"waitlist":false`)
	cancelled := ta.Salon(`"slug":"cancelled-salon"`)
	closed := ta.Salon(`"slug":"closed-salon","rsvp_deadline":"` + time.Now().Add(-time.Hour).Format(time.RFC3339) + `"`)
	draft := ta.Salon(`"slug":"draft-salon","status":"draft"`)
	if s, out := ta.JSON("POST", "/api/v1/salons/"+cancelled+"/cancel", ta.Token, ""); s != 200 {
		t.Fatalf("cancel salon: %d %v", s, out)
	}
	if s, out := ta.JSON("POST", "/api/v1/salons/"+full+"/rsvps", "", `{"name":"First","email":"first@example.com"}`); s != 201 {
		t.Fatalf("first rsvp: %d %v", s, out)
	}
	if s, out := ta.JSON("POST", "/api/v1/salons/"+open+"/rsvps", "", `{"name":"Alice","email":"alice@example.com"}`); s != 201 {
		t.Fatalf("alice: %d %v", s, out)
	}
	ctx := context.Background()
	before, _ := ta.DB.FindTickets(ctx, storage.TicketFilter{})

	long := strings.Repeat("x", 10000)
	rsvp := func(slug string) string { return "/api/v1/salons/" + slug + "/rsvps" }
	for _, tc := range []struct {
		name, method, path, token, ctype, body string
		status                                 int
		code                                   string
		field                                  string
	}{
		{"missing name", "POST", rsvp(open), "", "application/json", `{"email":"b@example.com"}`, 422, "invalid", "name"},
		{"malformed email", "POST", rsvp(open), "", "application/json", `{"name":"B","email":"b@"}`, 422, "invalid", "email"},
		{"10000-character name", "POST", rsvp(open), "", "application/json", `{"name":"` + long + `","email":"b@example.com"}`, 422, "invalid", "name"},
		{"LF in name", "POST", rsvp(open), "", "application/json", `{"name":"B\nB","email":"b@example.com"}`, 422, "invalid", "name"},
		{"control char in company", "POST", rsvp(open), "", "application/json", `{"name":"B","email":"b@example.com","company":"a\u0007b"}`, 422, "invalid", "company"},
		{"CR in job title", "POST", rsvp(open), "", "application/json", `{"name":"B","email":"b@example.com","job_title":"x\ry"}`, 422, "invalid", "job_title"},
		{"wrong type", "POST", rsvp(open), "", "application/json", `{"name":5,"email":"b@example.com"}`, 422, "invalid", "name"},
		{"same email other case", "POST", rsvp(open), "", "application/json", `{"name":"A","email":"  Alice@Example.COM "}`, 409, "already_registered", ""},
		{"invalid UTF-8 in name", "POST", rsvp(open), "", "application/json", "{\"name\":\"B\xff\",\"email\":\"b@example.com\"}", 400, "bad_request", ""},
		{"invalid UTF-8 in an extra field", "POST", rsvp(open), "", "application/json", "{\"name\":\"B\",\"email\":\"b@example.com\",\"note\":\"\xc3\"}", 400, "bad_request", ""},
		{"lone surrogate escape", "POST", rsvp(open), "", "application/json", `{"name":"B\ud800","email":"b@example.com"}`, 400, "bad_request", ""},
		{"invalid UTF-8 in a salon", "POST", "/api/v1/salons", "ORG", "application/json", "{\"title\":\"T\xff\",\"industry\":\"law\",\"capacity\":5,\"starts_at\":\"2027-01-05T19:00:00+08:00\",\"ends_at\":\"2027-01-05T21:00:00+08:00\"}", 400, "bad_request", ""},
		{"bidi override in name", "POST", rsvp(open), "", "application/json", `{"name":"Ana\u202e moc.live@ssap","email":"b@example.com"}`, 422, "invalid", "name"},
		{"invisible name", "POST", rsvp(open), "", "application/json", `{"name":"\u200b\u3164","email":"b@example.com"}`, 422, "invalid", "name"},
		{"invisible title", "PATCH", "/api/v1/salons/" + open, "ORG", "application/json", `{"title":"\u2060"}`, 422, "invalid", "title"},
		{"not JSON", "POST", rsvp(open), "", "application/json", `name=B`, 400, "bad_request", ""},
		{"two objects", "POST", rsvp(open), "", "application/json", `{} {}`, 400, "bad_request", ""},
		{"wrong content type", "POST", rsvp(open), "", "text/plain", `{"name":"B","email":"b@example.com"}`, 400, "bad_request", ""},
		{"draft salon", "POST", rsvp(draft), "", "application/json", `{"name":"B","email":"b@example.com"}`, 404, "not_found", ""},
		{"unknown salon", "POST", rsvp("nope"), "", "application/json", `{"name":"B","email":"b@example.com"}`, 404, "not_found", ""},
		{"full without waitlist", "POST", rsvp(full), "", "application/json", `{"name":"B","email":"b@example.com"}`, 409, "salon_full", ""},
		{"past deadline", "POST", rsvp(closed), "", "application/json", `{"name":"B","email":"b@example.com"}`, 409, "rsvp_closed", ""},
		{"cancelled salon", "POST", rsvp(cancelled), "", "application/json", `{"name":"B","email":"b@example.com"}`, 409, "salon_cancelled", ""},
		{"draft is 404 like unknown", "GET", "/api/v1/salons/" + draft, "", "", "", 404, "not_found", ""},
		{"unknown ticket", "GET", "/api/v1/tickets/AAAAAAAAAAAAAAAAAAAAAAAAAAA", "", "", "", 404, "not_found", ""},
		{"mangled ticket", "GET", "/api/v1/tickets/%00..%2F", "", "", "", 404, "not_found", ""},
		{"cancel unknown ticket", "POST", "/api/v1/tickets/AAAAAAAAAAAAAAAAAAAAAAAAAAA/cancel", "", "", "", 404, "not_found", ""},
		{"no token", "POST", "/api/v1/salons", "", "application/json", `{}`, 401, "unauthorized", ""},
		{"bad token", "GET", "/api/v1/salons/" + open + "/attendees", "slt_nope", "", "", 401, "unauthorized", ""},
		{"other organizer", "PATCH", "/api/v1/salons/" + open, "OTHER", "application/json", `{"capacity":9}`, 403, "forbidden", ""},
		{"staff cannot create", "POST", "/api/v1/salons", "STAFF", "application/json", `{}`, 403, "forbidden", ""},
		{"other organizer's attendees", "GET", "/api/v1/salons/" + open + "/attendees", "OTHER", "", "", 403, "forbidden", ""},
		{"dead zone", "POST", "/api/v1/salons", "ORG", "application/json", `{"title":"T","industry":"law","capacity":5,"timezone":"Mars/Olympus","starts_at":"2027-01-05T19:00:00+08:00","ends_at":"2027-01-05T21:00:00+08:00"}`, 422, "invalid", "timezone"},
		{"February 30", "POST", "/api/v1/salons", "ORG", "application/json", `{"title":"T","industry":"law","capacity":5,"starts_at":"2026-02-30T19:00:00+08:00","ends_at":"2027-01-05T21:00:00+08:00"}`, 422, "invalid", "starts_at"},
		{"ends before start", "POST", "/api/v1/salons", "ORG", "application/json", `{"title":"T","industry":"law","capacity":5,"starts_at":"2027-01-05T19:00:00+08:00","ends_at":"2027-01-05T18:00:00+08:00"}`, 422, "invalid", "ends_at"},
		{"capacity zero", "POST", "/api/v1/salons", "ORG", "application/json", `{"title":"T","industry":"law","capacity":0,"starts_at":"2027-01-05T19:00:00+08:00","ends_at":"2027-01-05T21:00:00+08:00"}`, 422, "invalid", "capacity"},
		{"capacity too big", "PATCH", "/api/v1/salons/" + open, "ORG", "application/json", `{"capacity":100001}`, 422, "invalid", "capacity"},
		{"uppercase industry tag with space", "POST", "/api/v1/salons", "ORG", "application/json", `{"title":"T","industry":"Fin Tech","capacity":5,"starts_at":"2027-01-05T19:00:00+08:00","ends_at":"2027-01-05T21:00:00+08:00"}`, 422, "invalid", "industry"},
		{"deadline after start", "PATCH", "/api/v1/salons/" + open, "ORG", "application/json", `{"rsvp_deadline":"2099-01-01T00:00:00Z"}`, 422, "invalid", "rsvp_deadline"},
		{"title too long", "PATCH", "/api/v1/salons/" + open, "ORG", "application/json", `{"title":"` + strings.Repeat("t", 201) + `"}`, 422, "invalid", "title"},
		{"unknown field in PATCH", "PATCH", "/api/v1/salons/" + open, "ORG", "application/json", `{"capacty":5}`, 400, "bad_request", ""},
		{"slug change", "PATCH", "/api/v1/salons/" + open, "ORG", "application/json", `{"slug":"new"}`, 422, "invalid", "slug"},
		{"bad listing limit", "GET", "/api/v1/salons?limit=abc", "", "", "", 422, "invalid", "limit"},
		{"unknown route", "GET", "/api/v1/nothing", "", "", "", 404, "not_found", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parent := ta.T
			ta.T = t
			defer func() { ta.T = parent }()
			tok := map[string]string{"ORG": ta.Token, "OTHER": ta.Token2, "STAFF": ta.Staff}[tc.token]
			if tok == "" {
				tok = tc.token
			}
			status, body, hdr := ta.Do(tc.method, tc.path, tok, tc.ctype, tc.body)
			if status != tc.status {
				t.Fatalf("status %d, want %d: %s", status, tc.status, body)
			}
			if !strings.HasPrefix(hdr.Get("Content-Type"), "application/json") {
				t.Fatalf("content type %q", hdr.Get("Content-Type"))
			}
			want := fmt.Sprintf(`"code":%q`, tc.code)
			if !strings.Contains(body, want) {
				t.Fatalf("body %s lacks %s", body, want)
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
	after, _ := ta.DB.FindTickets(ctx, storage.TicketFilter{})
	if len(after) != len(before) {
		t.Fatalf("refused requests wrote tickets: %d -> %d", len(before), len(after))
	}
	s, out := ta.JSON("GET", "/api/v1/salons/"+open, "", "")
	if s != 200 || out["salon"].(map[string]any)["capacity"].(float64) != 3 {
		t.Fatalf("refused PATCH changed the salon: %v", out)
	}
}

// TestTooLarge goes through a real listener: fasthttp refuses the body
// before any handler, and the answer must still be the contract's 413.
func TestTooLarge(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon("")
	base := ta.Listen()
	// Only the headers are sent: the server answers from Content-Length
	// alone and closes, so a client still writing the body could see the
	// connection reset before it reads the answer.
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/v1/salons/%s/rsvps HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 70000\r\n\r\n", slug)
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 413 || !strings.Contains(string(b), `"code":"too_large"`) {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	if list, _ := ta.DB.FindTickets(context.Background(), storage.TicketFilter{}); len(list) != 0 {
		t.Fatal("a too-large body wrote a ticket")
	}
}

func TestRSVPLifecycle(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon(`"capacity":1`)
	s, out := ta.JSON("POST", "/api/v1/salons/"+slug+"/rsvps", "", `{"name":"Ana Lima","email":"Ana@Example.com","company":"Acme"}`, "Idempotency-Key", "abc")
	if s != 201 {
		t.Fatalf("rsvp: %d %v", s, out)
	}
	ana := out["ticket"].(map[string]any)
	if ana["status"] != "confirmed" || ana["email"] != "ana@example.com" || ana["waitlist_position"] != nil {
		t.Fatalf("ticket %v", ana)
	}
	manage := ana["manage_url"].(string)
	if !strings.HasPrefix(manage, "https://salon.example/t/") {
		t.Fatalf("manage_url %q not built from the base URL", manage)
	}
	token := strings.TrimPrefix(manage, "https://salon.example/t/")
	// The same Idempotency-Key replays the first answer, without its links.
	s, again := ta.JSON("POST", "/api/v1/salons/"+slug+"/rsvps", "", `{"name":"Ana Lima","email":"Ana@Example.com","company":"Acme"}`, "Idempotency-Key", "abc")
	if s != 201 || again["ticket"].(map[string]any)["id"] != ana["id"] || again["ticket"].(map[string]any)["manage_url"] != nil {
		t.Fatalf("replay: %d %v", s, again)
	}
	s, out = ta.JSON("POST", "/api/v1/salons/"+slug+"/rsvps", "", `{"name":"Bo","email":"bo@example.com"}`)
	bo := out["ticket"].(map[string]any)
	if s != 201 || bo["status"] != "waitlisted" || bo["waitlist_position"].(float64) != 1 || bo["qr_url"] != nil || bo["code"] != nil {
		t.Fatalf("waitlisted: %d %v", s, bo)
	}
	boToken := strings.TrimPrefix(bo["manage_url"].(string), "https://salon.example/t/")
	// Cancelling promotes Bo; cancelling again answers the same.
	for i := 0; i < 2; i++ {
		s, out = ta.JSON("POST", "/api/v1/tickets/"+token+"/cancel", "", "")
		if s != 200 || out["ticket"].(map[string]any)["status"] != "cancelled" {
			t.Fatalf("cancel %d: %d %v", i, s, out)
		}
	}
	s, out = ta.JSON("GET", "/api/v1/tickets/"+boToken, "", "")
	if s != 200 || out["ticket"].(map[string]any)["status"] != "confirmed" {
		t.Fatalf("Bo not promoted: %v", out)
	}
	s, out = ta.JSON("GET", "/api/v1/salons/"+slug+"/attendees?status=confirmed", ta.Token, "")
	list := out["attendees"].([]any)
	if s != 200 || len(list) != 1 || list[0].(map[string]any)["manage_url"] != nil {
		t.Fatalf("attendees: %d %v", s, out)
	}
	msgs, _ := ta.DB.FindMessages(context.Background(), storage.OutboxFilter{})
	kinds := []string{}
	for _, m := range msgs {
		kinds = append(kinds, m.Kind)
	}
	if got := strings.Join(kinds, ","); got != "confirmed,waitlisted,ticket_cancelled,promoted" {
		t.Fatalf("outbox %s", got)
	}
}

func TestRateLimit(t *testing.T) {
	ta := apptest.New(t, func(c *app.Config) { c.RateLimit = 3; c.TrustedProxies = []string{"0.0.0.0/0"} })
	slug := ta.Salon("")
	codes := []int{}
	for i := 0; i < 5; i++ {
		s, _, _ := ta.Do("POST", "/api/v1/salons/"+slug+"/rsvps", "", "application/json",
			fmt.Sprintf(`{"name":"N","email":"n%d@example.com"}`, i), "X-Forwarded-For", "203.0.113.7")
		codes = append(codes, s)
	}
	// A different client address has its own budget.
	s, _, _ := ta.Do("POST", "/api/v1/salons/"+slug+"/rsvps", "", "application/json", `{"name":"N","email":"z@example.com"}`, "X-Forwarded-For", "203.0.113.8")
	if fmt.Sprint(codes) != "[201 201 201 429 429]" || s != 201 {
		t.Fatalf("codes %v then %d", codes, s)
	}
}

func TestListSalons(t *testing.T) {
	ta := apptest.New(t)
	ta.Salon(`"slug":"b","industry":"law","title":"Contracts night"`)
	ta.Salon(`"slug":"a","industry":"fintech","title":"Payments","starts_at":"` + time.Now().Add(24*time.Hour).Truncate(time.Hour).Format(time.RFC3339) + `","ends_at":"` + time.Now().Add(26*time.Hour).Truncate(time.Hour).Format(time.RFC3339) + `"`)
	ta.Salon(`"slug":"c","industry":"law","status":"draft"`)
	for _, tc := range []struct{ query, want string }{
		{"", "a,b"},
		{"?industry=law", "b"},
		{"?q=contracts", "b"},
		{"?limit=1", "a"},
		{"?limit=1&offset=1", "b"},
	} {
		_, out := ta.JSON("GET", "/api/v1/salons"+tc.query, "", "")
		var slugs []string
		for _, s := range out["salons"].([]any) {
			slugs = append(slugs, s.(map[string]any)["slug"].(string))
		}
		if got := strings.Join(slugs, ","); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.query, got, tc.want)
		}
	}
}
