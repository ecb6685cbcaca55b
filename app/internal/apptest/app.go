// Package apptest builds the whole real application on a real SQLite file
// for the tests of every surface, and holds the helpers they share: HTTP
// requests through the app, browsers with cookie jars, console sign-in,
// Chromium, and mail caught by an in-process SMTP server.
package apptest

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"salon/app"
	"salon/events"
	"salon/storage/sqlite"
	"salon/tickets"
)

// App is the real application on a real SQLite file.
type App struct {
	T      testing.TB
	Srv    *app.Server
	DB     *sqlite.DB
	Path   string // the SQLite file, for a Twin on the same database
	Org    *events.User
	Token  string // the organizer's API token
	Token2 string // another organizer's
	Staff  string // a staff account's token
}

// New builds the whole application on a new SQLite file in t.TempDir(),
// with an organizer, another organizer and a staff account, each with an
// API token; mod may change the configuration first.
func New(t testing.TB, mod ...func(*app.Config)) *App {
	t.Helper()
	ta := open(t, filepath.Join(t.TempDir(), "salon.db"), mod...)
	ta.Org, ta.Token = ta.User("org@example.com", events.RoleOrganizer)
	_, ta.Token2 = ta.User("other@example.com", events.RoleOrganizer)
	_, ta.Staff = ta.User("door@example.com", events.RoleStaff)
	return ta
}

// open builds a server on the SQLite file at path.
func open(t testing.TB, path string, mod ...func(*app.Config)) *App {
	t.Helper()
	db, err := sqlite.Open(context.Background(), path)
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
	return &App{T: t, Srv: srv, DB: db, Path: path}
}

// Twin builds a second server on ta's database file, opened again: a
// second `salon serve` process behind the same load balancer, sharing
// nothing with ta but the database. It has ta's accounts and tokens.
func (ta *App) Twin(mod ...func(*app.Config)) *App {
	ta.T.Helper()
	tw := open(ta.T, ta.Path, mod...)
	tw.Org, tw.Token, tw.Token2, tw.Staff = ta.Org, ta.Token, ta.Token2, ta.Staff
	return tw
}

// User makes an account with role and an API token for it.
func (ta *App) User(email, role string) (*events.User, string) {
	ta.T.Helper()
	u := &events.User{Email: email, Role: role}
	if err := ta.DB.CreateUser(context.Background(), u); err != nil {
		ta.T.Fatal(err)
	}
	tok, err := ta.DB.CreateAPIToken(context.Background(), u.ID, "test")
	if err != nil {
		ta.T.Fatal(err)
	}
	return u, tok
}

// Listen serves the app on a loopback port until the test ends and returns
// its base URL.
func (ta *App) Listen() string {
	ta.T.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		ta.T.Fatal(err)
	}
	go ta.Srv.Listener(ln)
	ta.T.Cleanup(func() { ta.Srv.Shutdown(5 * time.Second) })
	return "http://" + ln.Addr().String()
}

// Do sends one request through the real app and returns the status and body.
func (ta *App) Do(method, path, token, contentType, body string, headers ...string) (int, string, http.Header) {
	ta.T.Helper()
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
	resp, err := ta.Srv.App().Test(req, -1)
	if err != nil {
		ta.T.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		ta.T.Fatal(err)
	}
	return resp.StatusCode, string(b), resp.Header
}

// JSON is Do with a JSON body, failing the test when the answer is not JSON.
func (ta *App) JSON(method, path, token, body string, headers ...string) (int, map[string]any) {
	ta.T.Helper()
	status, b, _ := ta.Do(method, path, token, "application/json", body, headers...)
	var out map[string]any
	if err := json.Unmarshal([]byte(b), &out); err != nil {
		ta.T.Fatalf("%s %s: not JSON (%d): %q", method, path, status, b)
	}
	return status, out
}

// Salon creates a published salon through the API and returns its slug.
func (ta *App) Salon(fields string) string {
	ta.T.Helper()
	start := time.Now().Add(72 * time.Hour).Truncate(time.Hour)
	body := `{"title":"Biotech evening","industry":"biotech","capacity":3,"status":"published",` +
		`"starts_at":"` + start.Format(time.RFC3339) + `","ends_at":"` + start.Add(2*time.Hour).Format(time.RFC3339) + `"`
	if fields != "" {
		body += "," + fields
	}
	status, out := ta.JSON("POST", "/api/v1/salons", ta.Token, body+"}")
	if status != 201 {
		ta.T.Fatalf("create salon: %d %v", status, out)
	}
	return out["salon"].(map[string]any)["slug"].(string)
}

// FindTicket reads ticket id of the salon with this slug from the store.
func (ta *App) FindTicket(slug string, id int64) (*tickets.Ticket, error) {
	ta.T.Helper()
	sa, err := ta.DB.FindSalonBySlug(context.Background(), slug)
	if err != nil {
		return nil, err
	}
	return ta.DB.FindTicketByID(context.Background(), sa.ID, id)
}

// ErrCode is the code of a contract error body, or "".
func ErrCode(out map[string]any) string {
	e, _ := out["error"].(map[string]any)
	c, _ := e["code"].(string)
	return c
}

// GetICS fetches a calendar path the way a calendar client does.
func (ta *App) GetICS(path string, headers ...string) (int, string, http.Header) {
	ta.T.Helper()
	return ta.Do("GET", path, "", "", "", append([]string{"Accept", "text/calendar"}, headers...)...)
}

// RSVP books a seat through the API and returns the ticket's manage token
// and its personal feed path.
func (ta *App) RSVP(slug, name, email string) (token, feedPath, status string) {
	ta.T.Helper()
	code, out := ta.JSON("POST", "/api/v1/salons/"+slug+"/rsvps", "", `{"name":"`+name+`","email":"`+email+`"}`)
	if code != 201 {
		ta.T.Fatalf("rsvp: %d %v", code, out)
	}
	tk := out["ticket"].(map[string]any)
	token = tk["manage_url"].(string)[strings.LastIndex(tk["manage_url"].(string), "/")+1:]
	feedPath = strings.TrimPrefix(tk["feed_url"].(string), "https://salon.example")
	if tk["ics_url"].(string) != "https://salon.example/t/"+token+"/invite.ics" {
		ta.T.Fatalf("ics_url %v", tk["ics_url"])
	}
	return token, feedPath, tk["status"].(string)
}

// RSVPToken RSVPs and returns the manage token and the ticket JSON.
func (ta *App) RSVPToken(slug, email string) (string, map[string]any) {
	ta.T.Helper()
	s, out := ta.JSON("POST", "/api/v1/salons/"+slug+"/rsvps", "", `{"name":"Guest `+strings.Split(email, "@")[0]+`","email":"`+email+`","company":"Acme"}`)
	if s != 201 {
		ta.T.Fatalf("rsvp %s: %d %v", email, s, out)
	}
	tk := out["ticket"].(map[string]any)
	return strings.TrimPrefix(tk["manage_url"].(string), "https://salon.example/t/"), tk
}

// DoorLinkKey makes a door link for slug and returns its token.
func (ta *App) DoorLinkKey(slug string) string {
	ta.T.Helper()
	s, out := ta.JSON("POST", "/api/v1/salons/"+slug+"/door-links", ta.Token, `{"label":"front"}`)
	if s != 201 {
		ta.T.Fatalf("door link: %d %v", s, out)
	}
	url := out["door_link"].(map[string]any)["url"].(string)
	return url[strings.Index(url, "#key=")+5:]
}

// Fields is the field names of an error body joined by commas, for tests
// that check which fields a refusal names.
func (ta *App) Fields(out map[string]any) string {
	e, _ := out["error"].(map[string]any)
	f, _ := e["fields"].(map[string]any)
	var keys []string
	for k := range f {
		keys = append(keys, k)
	}
	sort.Strings(keys) // map order is random; callers name fields sorted
	return strings.Join(keys, ",")
}
