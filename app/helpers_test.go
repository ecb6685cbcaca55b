package app_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"salon/app"
	"salon/events"
	"salon/storage/sqlite"
	"salon/tickets"
)

// testApp is the real application on a real SQLite file.
type testApp struct {
	t      testing.TB
	srv    *app.Server
	db     *sqlite.DB
	org    *events.User
	token  string // the organizer's API token
	token2 string // another organizer's
	staff  string // a staff account's token
}

func newTestApp(t testing.TB, mod ...func(*app.Config)) *testApp {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "salon.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cfg := app.Config{DB: "unused", Addr: ":0", BaseURL: "https://salon.example", MailFrom: "Salon <no-reply@salon.example>", RateLimit: 0}
	for _, m := range mod {
		m(&cfg)
	}
	srv, err := app.NewServer(cfg, db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ta := &testApp{t: t, srv: srv, db: db}
	ta.org, ta.token = ta.user("org@example.com", events.RoleOrganizer)
	_, ta.token2 = ta.user("other@example.com", events.RoleOrganizer)
	_, ta.staff = ta.user("door@example.com", events.RoleStaff)
	return ta
}

func (ta *testApp) user(email, role string) (*events.User, string) {
	ta.t.Helper()
	u := &events.User{Email: email, Role: role}
	if err := ta.db.CreateUser(context.Background(), u); err != nil {
		ta.t.Fatal(err)
	}
	tok, err := ta.db.CreateAPIToken(context.Background(), u.ID, "test")
	if err != nil {
		ta.t.Fatal(err)
	}
	return u, tok
}

// listen serves the app on a loopback port until the test ends and returns
// its base URL.
func (ta *testApp) listen() string {
	ta.t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		ta.t.Fatal(err)
	}
	go ta.srv.Listener(ln)
	ta.t.Cleanup(func() { ta.srv.Shutdown(5 * time.Second) })
	return "http://" + ln.Addr().String()
}

// do sends one request through the real app and returns the status and body.
func (ta *testApp) do(method, path, token, contentType, body string, headers ...string) (int, string, http.Header) {
	ta.t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := ta.srv.App().Test(req, -1)
	if err != nil {
		ta.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		ta.t.Fatal(err)
	}
	return resp.StatusCode, string(b), resp.Header
}

func (ta *testApp) json(method, path, token, body string, headers ...string) (int, map[string]any) {
	ta.t.Helper()
	status, b, _ := ta.do(method, path, token, "application/json", body, headers...)
	var out map[string]any
	if err := json.Unmarshal([]byte(b), &out); err != nil {
		ta.t.Fatalf("%s %s: not JSON (%d): %q", method, path, status, b)
	}
	return status, out
}

// salon creates a published salon through the API and returns its slug.
func (ta *testApp) salon(fields string) string {
	ta.t.Helper()
	start := time.Now().Add(72 * time.Hour).Truncate(time.Hour)
	body := `{"title":"Biotech evening","industry":"biotech","capacity":3,"status":"published",` +
		`"starts_at":"` + start.Format(time.RFC3339) + `","ends_at":"` + start.Add(2*time.Hour).Format(time.RFC3339) + `"`
	if fields != "" {
		body += "," + fields
	}
	status, out := ta.json("POST", "/api/v1/salons", ta.token, body+"}")
	if status != 201 {
		ta.t.Fatalf("create salon: %d %v", status, out)
	}
	return out["salon"].(map[string]any)["slug"].(string)
}

// findTicket reads ticket id of the salon with this slug from the store.
func (ta *testApp) findTicket(slug string, id int64) (*tickets.Ticket, error) {
	ta.t.Helper()
	sa, err := ta.db.FindSalonBySlug(context.Background(), slug)
	if err != nil {
		return nil, err
	}
	return ta.db.FindTicketByID(context.Background(), sa.ID, id)
}

func errCode(out map[string]any) string {
	e, _ := out["error"].(map[string]any)
	c, _ := e["code"].(string)
	return c
}
