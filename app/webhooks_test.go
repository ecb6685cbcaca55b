package app_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"salon/app"
	"salon/app/internal/apptest"
	"salon/events"
	"salon/storage"
	"salon/storage/sqlite"
)

// receiver is a real HTTP webhook receiver on a loopback address. It
// verifies every signature, with the Standard Webhooks library and again
// by hand, and answers 503 while down.
type receiver struct {
	t      *testing.T
	addr   string
	secret string
	mu     sync.Mutex
	got    map[string]int // webhook-id: times received
	bodies []map[string]any
	srv    *http.Server
	down   bool
}

func newReceiver(t *testing.T, addr string) *receiver {
	r := &receiver{t: t, addr: addr, got: map[string]int{}}
	r.start()
	t.Cleanup(func() { r.srv.Close() })
	return r
}

func (r *receiver) start() {
	ln, err := net.Listen("tcp", r.addr)
	if err != nil {
		r.t.Fatal(err)
	}
	r.addr = ln.Addr().String()
	r.srv = &http.Server{Handler: http.HandlerFunc(r.serve)}
	go r.srv.Serve(ln)
}

func (r *receiver) URL() string { return "http://" + r.addr + "/hook" }

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.down {
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	wh, err := standardwebhooks.NewWebhook(r.secret)
	if err != nil {
		r.t.Errorf("secret %q: %v", r.secret, err)
	} else if err := wh.Verify(body, req.Header); err != nil {
		r.t.Errorf("signature does not verify: %v", err)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	// The same check without the library: v1,base64(HMAC-SHA256("id.ts.body")).
	key, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(r.secret, "whsec_"))
	mac := hmac.New(sha256.New, key)
	fmt.Fprintf(mac, "%s.%s.%s", req.Header.Get("webhook-id"), req.Header.Get("webhook-timestamp"), body)
	if want := "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil)); req.Header.Get("webhook-signature") != want {
		r.t.Errorf("webhook-signature %q, want %q", req.Header.Get("webhook-signature"), want)
	}
	var b map[string]any
	if err := json.Unmarshal(body, &b); err != nil {
		r.t.Errorf("body %q: %v", body, err)
	}
	r.got[req.Header.Get("webhook-id")]++
	r.bodies = append(r.bodies, b)
	w.WriteHeader(http.StatusNoContent)
}

func (r *receiver) received() (ids map[string]int, bodies []map[string]any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	ids = map[string]int{}
	for k, v := range r.got {
		ids[k] = v
	}
	return ids, append([]map[string]any(nil), r.bodies...)
}

// waitFor polls cond for up to 10 seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

func fastHooks(allow ...string) func(*app.Config) {
	return func(c *app.Config) {
		c.WebhookAllow = allow
		c.WebhookPoll = 20 * time.Millisecond
		c.WebhookBackoff = 50 * time.Millisecond
	}
}

// register creates a webhook through the API and returns its id and secret.
func register(t *testing.T, ta *apptest.App, token, url string, evs ...string) (string, string) {
	t.Helper()
	b, _ := json.Marshal(map[string]any{"url": url, "events": evs})
	status, out := ta.JSON("POST", "/api/v1/webhooks", token, string(b))
	if status != 201 {
		t.Fatalf("register webhook: %d %v", status, out)
	}
	w := out["webhook"].(map[string]any)
	return w["id"].(string), w["secret"].(string)
}

// TestWebhookDelivered: an RSVP reaches a real receiver, signed, with the
// ticket in its data; the secret is shown only when the webhook is made.
func TestWebhookDelivered(t *testing.T) {
	rcv := newReceiver(t, "127.0.0.1:0")
	ta := apptest.New(t, fastHooks("127.0.0.1"))
	_, rcv.secret = register(t, ta, ta.Token, rcv.URL(), "rsvp.created", "rsvp.cancelled")
	if !strings.HasPrefix(rcv.secret, "whsec_") {
		t.Fatalf("secret %q", rcv.secret)
	}
	status, out := ta.JSON("GET", "/api/v1/webhooks", ta.Token, "")
	if list := out["webhooks"].([]any); status != 200 || len(list) != 1 || list[0].(map[string]any)["secret"] != nil {
		t.Fatalf("list: %d %v", status, out)
	}
	ctx, stop := context.WithCancel(context.Background())
	defer func() { stop(); ta.Srv.Wait() }()
	if err := ta.Srv.StartWorkers(ctx); err != nil {
		t.Fatal(err)
	}
	slug := ta.Salon("")
	token, _, _ := ta.RSVP(slug, "Ana Lima", "ana@example.com")
	if st, _ := ta.JSON("POST", "/api/v1/tickets/"+token+"/cancel", "", ""); st != 200 {
		t.Fatalf("cancel: %d", st)
	}
	waitFor(t, "two deliveries", func() bool { ids, _ := rcv.received(); return len(ids) == 2 })
	_, bodies := rcv.received()
	types := map[any]bool{}
	for _, b := range bodies {
		types[b["type"]] = true
		tk := b["data"].(map[string]any)["ticket"].(map[string]any)
		if tk["email"] != "ana@example.com" || tk["salon"] != slug {
			t.Errorf("ticket data %v", tk)
		}
	}
	if !types["rsvp.created"] || !types["rsvp.cancelled"] {
		t.Fatalf("types %v", types)
	}
}

// TestWebhookOutageAndRestart: with the receiver down, deliveries are kept
// and retried; the server stops and starts again on the same database
// meanwhile; once the receiver is up each event arrives exactly once.
func TestWebhookOutageAndRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "salon.db")
	rcv := newReceiver(t, "127.0.0.1:0")
	rcv.mu.Lock()
	rcv.down = true
	rcv.mu.Unlock()
	cfg := app.Config{DB: path, Addr: ":0", BaseURL: "https://salon.example", MailFrom: "Salon <no-reply@salon.example>"}
	fastHooks("127.0.0.1")(&cfg)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))

	// First run: the events happen while the receiver is down.
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	org := &events.User{Email: "org@example.com", Role: events.RoleOrganizer}
	if err := db.CreateUser(context.Background(), org); err != nil {
		t.Fatal(err)
	}
	srv, err := app.NewServer(cfg, db, log)
	if err != nil {
		t.Fatal(err)
	}
	ta := &apptest.App{T: t, Srv: srv, DB: db, Org: org}
	if ta.Token, err = db.CreateAPIToken(context.Background(), org.ID, "t"); err != nil {
		t.Fatal(err)
	}
	hook, secret := register(t, ta, ta.Token, rcv.URL(), storage.WebhookEvents...)
	rcv.secret = secret
	ctx, stop := context.WithCancel(context.Background())
	if err := srv.StartWorkers(ctx); err != nil {
		t.Fatal(err)
	}
	slug := ta.Salon("")
	for i := range 3 {
		ta.RSVP(slug, "Guest", fmt.Sprintf("g%d@example.com", i))
	}
	var id int64
	fmt.Sscan(hook, &id)
	waitFor(t, "failed attempts", func() bool {
		ds, _ := db.FindDeliveries(context.Background(), id, 0)
		for _, d := range ds {
			if d.Attempts < 2 {
				return false
			}
		}
		return len(ds) == 3
	})
	stop()
	srv.Wait()
	ds, _ := db.FindDeliveries(context.Background(), id, 0)
	for _, d := range ds {
		if d.Status == storage.DeliveryDelivered || d.LastError == "" {
			t.Fatalf("during the outage: %s %d %q", d.Status, d.ResponseCode, d.LastError)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if ids, _ := rcv.received(); len(ids) != 0 {
		t.Fatalf("received %v while down", ids)
	}

	// Second run on the same file, receiver up.
	rcv.mu.Lock()
	rcv.down = false
	rcv.mu.Unlock()
	db2, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	srv2, err := app.NewServer(cfg, db2, log)
	if err != nil {
		t.Fatal(err)
	}
	ctx2, stop2 := context.WithCancel(context.Background())
	defer func() { stop2(); srv2.Wait() }()
	if err := srv2.StartWorkers(ctx2); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "every delivery delivered", func() bool {
		ds, _ := db2.FindDeliveries(context.Background(), id, 0)
		for _, d := range ds {
			if d.Status != storage.DeliveryDelivered {
				return false
			}
		}
		return len(ds) == 3
	})
	time.Sleep(200 * time.Millisecond) // a second send would show up by now
	ids, _ := rcv.received()
	if len(ids) != 3 {
		t.Fatalf("received %d events, want 3: %v", len(ids), ids)
	}
	for k, n := range ids {
		if n != 1 {
			t.Errorf("event %s received %d times", k, n)
		}
	}
}

// TestWebhookSSRF: registration refuses loopback addresses outside the
// allow list (127.0.0.2 while 127.0.0.1 is allowed); a delivery to such an
// address, stored past registration, is refused at connection time and
// the receiver there never hears from us.
func TestWebhookSSRF(t *testing.T) {
	trap := newReceiver(t, "127.0.0.2:0")
	ta := apptest.New(t, fastHooks("127.0.0.1"))
	_, port, _ := net.SplitHostPort(trap.addr)
	for _, u := range []string{"http://" + trap.addr + "/hook", "https://127.0.0.2:" + port + "/hook",
		"https://169.254.169.254/latest/meta-data/", "https://[fd00:ec2::254]/", "https://10.0.0.1/", "https://[::1]:" + port + "/"} {
		b, _ := json.Marshal(map[string]any{"url": u, "events": []string{"rsvp.created"}})
		status, out := ta.JSON("POST", "/api/v1/webhooks", ta.Token, string(b))
		if status != 422 || apptest.ErrCode(out) != "invalid" || ta.Fields(out) != "url" {
			t.Errorf("register %s: %d %v", u, status, out)
		}
	}
	// As if the allow list had changed since it was registered.
	w := &storage.Webhook{UserID: ta.Org.ID, URL: "http://" + trap.addr + "/hook", Events: []string{"rsvp.created"}, Secret: "whsec_dGVzdA=="}
	if err := ta.DB.CreateWebhook(context.Background(), w); err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	defer func() { stop(); ta.Srv.Wait() }()
	if err := ta.Srv.StartWorkers(ctx); err != nil {
		t.Fatal(err)
	}
	ta.RSVP(ta.Salon(""), "Guest", "g@example.com")
	waitFor(t, "a refused attempt", func() bool {
		ds, _ := ta.DB.FindDeliveries(context.Background(), w.ID, 0)
		return len(ds) == 1 && strings.Contains(ds[0].LastError, "not allowed")
	})
	if ids, _ := trap.received(); len(ids) != 0 {
		t.Fatalf("the refused address received %v", ids)
	}
}

// TestWebhookRegistration: bad registrations answer in the contract's
// error shape, naming each field; staff may have no webhooks; another
// organizer's webhook is not found.
func TestWebhookRegistration(t *testing.T) {
	ta := apptest.New(t, fastHooks("127.0.0.1"))
	cases := []struct {
		name, body string
		status     int
		code       string
		fields     string
	}{
		{"empty", `{}`, 422, "invalid", "events,url"},
		{"unknown event", `{"url":"http://127.0.0.1:9/x","events":["rsvp.made"]}`, 422, "invalid", "events"},
		{"no events", `{"url":"http://127.0.0.1:9/x","events":[]}`, 422, "invalid", "events"},
		{"not a URL", `{"url":"hooks","events":["rsvp.created"]}`, 422, "invalid", "url"},
		{"wrong type", `{"url":"http://127.0.0.1:9/x","events":"rsvp.created"}`, 422, "invalid", "events"},
		{"unknown field", `{"url":"http://127.0.0.1:9/x","events":["rsvp.created"],"secret":"x"}`, 400, "bad_request", ""},
		{"not JSON", `url=x`, 400, "bad_request", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, out := ta.JSON("POST", "/api/v1/webhooks", ta.Token, c.body)
			if status != c.status || apptest.ErrCode(out) != c.code || (c.fields != "" && ta.Fields(out) != c.fields) {
				t.Fatalf("%d %v", status, out)
			}
		})
	}
	if status, out := ta.JSON("POST", "/api/v1/webhooks", ta.Staff, `{"url":"http://127.0.0.1:9/x","events":["rsvp.created"]}`); status != 403 {
		t.Fatalf("staff: %d %v", status, out)
	}
	if status, _ := ta.JSON("GET", "/api/v1/webhooks", "", ""); status != 401 {
		t.Fatalf("no token: %d", status)
	}
	id, _ := register(t, ta, ta.Token, "http://127.0.0.1:9/x", "salon.changed")
	if status, out := ta.JSON("DELETE", "/api/v1/webhooks/"+id, ta.Token2, ""); status != 404 || apptest.ErrCode(out) != "not_found" {
		t.Fatalf("another organizer's delete: %d %v", status, out)
	}
	if _, out := ta.JSON("GET", "/api/v1/webhooks", ta.Token2, ""); len(out["webhooks"].([]any)) != 0 {
		t.Fatalf("another organizer lists %v", out)
	}
	if status, _, _ := ta.Do("DELETE", "/api/v1/webhooks/"+id, ta.Token, "", ""); status != 204 {
		t.Fatalf("delete: %d", status)
	}
	if status, _ := ta.JSON("DELETE", "/api/v1/webhooks/"+id, ta.Token, ""); status != 404 {
		t.Fatalf("delete again: %d", status)
	}
}
