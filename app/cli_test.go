package app_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"salon/app"
	"salon/app/web"
	"salon/events"
	"salon/storage"
	"salon/storage/sqlite"
	"salon/tickets"
)

func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := app.Main(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestCLI(t *testing.T) {
	db := filepath.Join(t.TempDir(), "cli.db")
	for _, tc := range []struct {
		name   string
		stdin  string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"version", "", []string{"version"}, 0, "salon ", ""},
		{"no command", "", nil, 2, "", "no command"},
		{"unknown command", "", []string{"frobnicate"}, 2, "", "unknown command"},
		{"user add without email", "", []string{"user", "add", "--db", db, "--role", "admin"}, 2, "", "--email"},
		{"bad role", "", []string{"user", "add", "--db", db, "--email", "a@example.com", "--role", "king"}, 2, "", "--role"},
		{"short password", "short\n", []string{"user", "add", "--db", db, "--email", "a@example.com", "--role", "admin", "--password-stdin"}, 2, "", "password"},
		{"user add", "correct horse battery\n", []string{"user", "add", "--db", db, "--email", "Org@Example.com", "--role", "organizer", "--name", "Mei", "--password-stdin"}, 0, "created organizer org@example.com", ""},
		{"user add twice", "", []string{"user", "add", "--db", db, "--email", "org@example.com", "--role", "organizer"}, 1, "", "exists"},
		{"token for unknown", "", []string{"token", "create", "--db", db, "--email", "nobody@example.com"}, 1, "", "not found"},
		{"unknown flag", "", []string{"token", "create", "--db", db, "--nope"}, 2, "", "nope"},
		{"backup without out", "", []string{"backup", "--db", db}, 2, "", "--out"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tc.stdin, tc.args...)
			if code != tc.code || !strings.Contains(stdout, tc.stdout) || !strings.Contains(stderr, tc.stderr) {
				t.Fatalf("exit %d stdout %q stderr %q", code, stdout, stderr)
			}
			if code != 0 && strings.Count(strings.TrimSpace(stderr), "\n") > 0 && !strings.Contains(stderr, "usage") && !strings.Contains(stderr, "Usage") {
				t.Fatalf("stderr is more than one line: %q", stderr)
			}
		})
	}
	code, stdout, _ := runCLI(t, "", "token", "create", "--db", db, "--email", "org@example.com", "--label", "ci")
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	token := lines[len(lines)-1]
	if code != 0 || !strings.HasPrefix(token, "slt_") || strings.Contains(token, " ") {
		t.Fatalf("token create: %d %q", code, stdout)
	}
	d, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	u, err := d.FindUserByAPIToken(context.Background(), token)
	if err != nil || u.Email != "org@example.com" || !web.VerifyPassword(u.PasswordHash, "correct horse battery") || web.VerifyPassword(u.PasswordHash, "wrong") {
		t.Fatalf("token/user: %+v %v", u, err)
	}
}

// TestCLI_Help: -h and --help print a command's flags and exit 0, as asking
// for help is not bad usage.
func TestCLI_Help(t *testing.T) {
	for _, args := range [][]string{
		{"serve", "-h"}, {"serve", "--help"}, {"user", "add", "-h"}, {"token", "create", "-h"},
		{"backup", "--help"}, {"key", "rotate", "-h"},
	} {
		code, _, stderr := runCLI(t, "", args...)
		if code != 0 || !strings.Contains(stderr, "-db") || !strings.Contains(stderr, "SALON_DB") || strings.Contains(stderr, "salon: ") {
			t.Errorf("%v: exit %d stderr %q", args, code, stderr)
		}
	}
	if code, _, stderr := runCLI(t, "", "serve", "-h"); code != 0 || !strings.Contains(stderr, "-shutdown-timeout") || !strings.Contains(stderr, "SALON_SHUTDOWN_TIMEOUT") {
		t.Errorf("serve -h: exit %d stderr %q", code, stderr)
	}
}

func TestFlagsFromEnvironment(t *testing.T) {
	t.Setenv("SALON_RATE_LIMIT", "many")
	if code, _, stderr := runCLI(t, "", "serve"); code != 2 || !strings.Contains(stderr, "SALON_RATE_LIMIT") {
		t.Fatalf("bad env: %d %q", code, stderr)
	}
	t.Setenv("SALON_RATE_LIMIT", "5")
	t.Setenv("SALON_BASE_URL", "ftp://nope")
	if code, _, stderr := runCLI(t, "", "serve", "--db", filepath.Join(t.TempDir(), "x.db")); code != 2 || !strings.Contains(stderr, "base-url") {
		t.Fatalf("env base URL not used: %d %q", code, stderr)
	}
	// A flag wins over its variable: this one is valid, so serve gets past
	// validation and fails only on the address, which is already taken.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	code, _, stderr := runCLI(t, "", "serve", "--db", filepath.Join(t.TempDir(), "x.db"), "--base-url", "http://ok.example", "--addr", ln.Addr().String())
	if code != 1 || !strings.Contains(stderr, "listen") {
		t.Fatalf("flag did not win: %d %q", code, stderr)
	}
}

// TestServe_BackupAndShutdown runs the real serve path, takes a backup while
// it serves, and checks that shutdown finishes an in-flight request and
// closes the database cleanly.
func TestServe_BackupAndShutdown(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "live.db")
	_, stop := serving(t, dbPath)
	out := filepath.Join(dir, "backup.db")
	if code, _, stderr := runCLI(t, "", "backup", "--db", dbPath, "--out", out); code != 0 {
		t.Fatalf("backup while serving: %s", stderr)
	}
	stop()
	cp, err := sqlite.Open(context.Background(), out)
	if err != nil {
		t.Fatalf("backup does not open: %v", err)
	}
	cp.Close()
}

// TestServe_ShutdownFinishesInFlight starts a request, signals shutdown
// while its body is still arriving, and checks the request is answered in
// full before serve returns.
func TestServe_ShutdownFinishesInFlight(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "s.db")
	// An organizer and a salon made through the real CLI and API.
	if code, _, stderr := runCLI(t, "", "user", "add", "--db", dbPath, "--email", "o@example.com", "--role", "organizer"); code != 0 {
		t.Fatal(stderr)
	}
	_, out, _ := runCLI(t, "", "token", "create", "--db", dbPath, "--email", "o@example.com")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	token := lines[len(lines)-1]
	addr, stop := serving(t, dbPath)
	start := time.Now().Add(48 * time.Hour).Format(time.RFC3339)
	end := time.Now().Add(50 * time.Hour).Format(time.RFC3339)
	req, _ := http.NewRequest("POST", "http://"+addr+"/api/v1/salons", strings.NewReader(
		`{"title":"Late","industry":"law","capacity":5,"status":"published","starts_at":"`+start+`","ends_at":"`+end+`"}`))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 201 {
		t.Fatalf("create salon: %v %v", resp, err)
	}

	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := `{"name":"In flight","email":"inflight@example.com"}`
	fmt.Fprintf(conn, "POST /api/v1/salons/late/rsvps HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n", addr, len(body))
	conn.Write([]byte(body[:10]))
	time.Sleep(100 * time.Millisecond)
	stopped := make(chan struct{})
	go func() { stop(); close(stopped) }() // SIGTERM arrives mid-request
	time.Sleep(200 * time.Millisecond)
	conn.Write([]byte(body[10:]))
	reply, _ := io.ReadAll(conn)
	if !strings.HasPrefix(string(reply), "HTTP/1.1 201") {
		t.Fatalf("in-flight request not finished: %q", reply)
	}
	<-stopped
	db, err := sqlite.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if list, _ := db.FindTickets(context.Background(), storage.TicketFilter{Email: "inflight@example.com"}); len(list) != 1 {
		t.Fatal("the in-flight RSVP was not kept")
	}
}

// serving runs app.Serve on a free loopback port until stop is called, and
// returns once /healthz answers. stop waits for Serve and fails the test if
// it did not return cleanly.
func serving(t *testing.T, dbPath string) (addr string, stop func()) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr = ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	cfg := app.Config{DB: dbPath, Addr: addr, BaseURL: "http://" + addr, ShutdownTimeout: 5 * time.Second}
	go func() { done <- app.Serve(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil))) }()
	for i := 0; i < 100; i++ {
		var resp *http.Response
		if resp, err = http.Get("http://" + addr + "/healthz"); err == nil {
			resp.Body.Close()
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	return addr, func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Error(err) // Error, not Fatal: stop may run in another goroutine
			}
		case <-time.After(10 * time.Second):
			t.Error("serve did not stop")
		}
	}
}

func TestCLI_KeyRotate(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "k.db")
	db, err := sqlite.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now().Add(48 * time.Hour)
	s := &events.Salon{Title: "K", Industry: "law", StartsAt: start, EndsAt: start.Add(time.Hour), Capacity: 5, Status: events.StatusPublished}
	if err := db.CreateSalon(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	res, err := db.CreateRSVP(context.Background(), storage.RSVPRequest{Slug: s.Slug, Input: tickets.RSVPInput{Name: "A", Email: "a@example.com", Lang: "en"}})
	if err != nil {
		t.Fatal(err)
	}
	tk := res.Ticket
	keys, err := app.LoadKeySet(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	old := keys.Sign(tk)
	db.Close()
	if code, out, stderr := runCLI(t, "", "key", "rotate", "--db", dbPath); code != 0 || !strings.Contains(out, "new ticket signing key 2; 2 keys") {
		t.Fatalf("%d %q %q", code, out, stderr)
	}
	db, err = sqlite.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if keys, err = app.LoadKeySet(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	if keys.Sign(tk) == old {
		t.Fatal("codes are not signed with the new key")
	}
	if _, err := keys.Verify(old); err != nil {
		t.Fatalf("a code issued before the rotation no longer verifies: %v", err)
	}
	if code, _, _ := runCLI(t, "", "key", "spin"); code != 2 {
		t.Fatal("unknown key subcommand")
	}
}

// TestCLI_ServeBadUsage: a --smtp URL or --addr that can never work is bad
// usage, told in one line before the database is opened (so no file is
// created), and the SMTP password is never repeated.
func TestCLI_ServeBadUsage(t *testing.T) {
	for _, tc := range []struct {
		name, flag, value, stderr string
	}{
		{"smtp port out of range", "--smtp", "smtp://mei:s3cret-pw@mail.example.com:99999", "--smtp"},
		{"smtp scheme", "--smtp", "http://mei:s3cret-pw@mail.example.com", "--smtp"},
		{"smtp bad escape", "--smtp", "smtp://mei:s3cret-pw%zz@mail.example.com", "--smtp"},
		{"smtp no host", "--smtp", "smtp://mei:s3cret-pw@:587", "--smtp"},
		{"smtp unknown parameter", "--smtp", "smtp://mei:s3cret-pw@mail.example.com?tls=maybe", "--smtp"},
		{"addr port out of range", "--addr", ":99999", "--addr"},
		{"addr negative port", "--addr", ":-1", "--addr"},
		{"addr no port", "--addr", "localhost", "--addr"},
		{"addr port not a number", "--addr", "127.0.0.1:eighty", "--addr"},
		{"addr only a colon", "--addr", ":", "--addr"},
		{"gogc not a number", "--gogc", "lots", "--gogc"},
		{"memory limit unit", "--memory-limit", "128MB", "--memory-limit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "never.db")
			code, _, stderr := runCLI(t, "", "serve", "--db", db, "--base-url", "http://ok.example", tc.flag, tc.value)
			if code != 2 || !strings.Contains(stderr, tc.stderr) {
				t.Errorf("exit %d, stderr %q; want 2 naming %s", code, stderr, tc.stderr)
			}
			if n := strings.Count(strings.TrimSpace(stderr), "\n"); n > 0 {
				t.Errorf("stderr is %d lines: %q", n+1, stderr)
			}
			if strings.Contains(stderr, "s3cret") {
				t.Errorf("stderr repeats the SMTP password: %q", stderr)
			}
			if _, err := os.Stat(db); !os.IsNotExist(err) {
				t.Errorf("database file exists after bad usage: %v", err)
			}
		})
	}
}
