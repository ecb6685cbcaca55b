package app_test

import (
	"bytes"
	"context"
	"database/sql"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"salon/app"

	"salon/storage/postgres"
	"salon/storage/postgres/pgtest"
)

// TestCLI_Postgres: --db and SALON_DB take a PostgreSQL URL; commands run
// against it, and backup says to use pg_dump.
func TestCLI_Postgres(t *testing.T) {
	db := pgtest.URL(t)
	code, stdout, stderr := runCLI(t, "correct horse battery\n", "user", "add", "--db", db, "--email", "org@example.com",
		"--role", "organizer", "--password-stdin")
	if code != 0 || !strings.Contains(stdout, "created organizer org@example.com") {
		t.Fatalf("user add: exit %d stdout %q stderr %q", code, stdout, stderr)
	}
	t.Setenv("SALON_DB", db)
	code, stdout, stderr = runCLI(t, "", "token", "create", "--email", "org@example.com")
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	token := lines[len(lines)-1]
	if code != 0 || !strings.HasPrefix(token, "slt_") {
		t.Fatalf("token create via SALON_DB: exit %d stdout %q stderr %q", code, stdout, stderr)
	}
	d, err := postgres.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if u, err := d.FindUserByAPIToken(context.Background(), token); err != nil || u.Email != "org@example.com" {
		t.Fatalf("the token is not in PostgreSQL: %+v %v", u, err)
	}
	if code, _, stderr := runCLI(t, "", "key", "rotate"); code != 0 {
		t.Fatalf("key rotate: exit %d stderr %q", code, stderr)
	}
	code, _, stderr = runCLI(t, "", "backup", "--out", t.TempDir()+"/b.db")
	if code != 1 || !strings.Contains(stderr, "pg_dump") || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
		t.Fatalf("backup: exit %d stderr %q; want 1 and one line naming pg_dump", code, stderr)
	}
}

// TestCLI_PostgresNewerSchema: a database migrated by a newer release
// exits 1 with one line saying so.
func TestCLI_PostgresNewerSchema(t *testing.T) {
	db := pgtest.URL(t)
	if code, _, stderr := runCLI(t, "", "key", "rotate", "--db", db); code != 0 {
		t.Fatalf("key rotate: exit %d stderr %q", code, stderr)
	}
	raw, err := sql.Open("pgx", db)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, '0999_future.sql', 0)`); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI(t, "", "serve", "--db", db, "--base-url", "http://ok.example", "--addr", "127.0.0.1:0")
	if code != 1 || !strings.Contains(stderr, "newer") || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
		t.Fatalf("serve on a newer schema: exit %d stderr %q", code, stderr)
	}
}

// TestCLI_PostgresBadConfiguration: a wrong password, a missing database,
// an unreachable server and a newer schema each exit 1 with one line that
// never shows the password.
func TestCLI_PostgresBadConfiguration(t *testing.T) {
	base, err := url.Parse(pgtest.ServerURL(t))
	if err != nil {
		t.Fatal(err)
	}
	with := func(f func(u *url.URL)) string { u := *base; f(&u); return u.String() }
	for _, tc := range []struct{ name, db, want string }{
		{"wrong password", with(func(u *url.URL) { u.User = url.UserPassword(u.User.Username(), "hunter2-secret") }), "password"},
		{"missing database", with(func(u *url.URL) { u.Path = "/no_such_salon_db" }), "does not exist"},
		{"unreachable", with(func(u *url.URL) { u.User = url.UserPassword("salon", "hunter2-secret"); u.Host = "127.0.0.1:1" }), "cannot reach"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, args := range [][]string{
				{"serve", "--db", tc.db, "--base-url", "http://ok.example", "--addr", "127.0.0.1:0"},
				{"key", "rotate", "--db", tc.db},
			} {
				code, _, stderr := runCLI(t, "", args...)
				if code != 1 || !strings.Contains(stderr, tc.want) {
					t.Errorf("%s: exit %d stderr %q; want 1 naming %q", args[0], code, stderr, tc.want)
				}
				if n := strings.Count(strings.TrimSpace(stderr), "\n"); n > 0 || strings.Contains(stderr, "hunter2") {
					t.Errorf("%s: stderr is %d lines or shows the password: %q", args[0], n+1, stderr)
				}
			}
		})
	}
}

// syncBuffer is a log sink a test may read while the server writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestServe_PostgresLogsNoPassword: serve runs on PostgreSQL, answers
// /healthz, and its start-up log names the database without its password.
func TestServe_PostgresLogsNoPassword(t *testing.T) {
	db := pgtest.URL(t)
	u, _ := url.Parse(db)
	pw, _ := u.User.Password()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	var logs syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	cfg := app.Config{DB: db, Addr: addr, BaseURL: "http://" + addr, ShutdownTimeout: 5 * time.Second}
	go func() { done <- app.Serve(ctx, cfg, slog.New(slog.NewTextHandler(&logs, nil))) }()
	var resp *http.Response
	for i := 0; i < 200; i++ {
		if resp, err = http.Get("http://" + addr + "/healthz"); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	resp.Body.Close()
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 {
		t.Errorf("/healthz on PostgreSQL: %d", resp.StatusCode)
	}
	if !strings.Contains(logs.String(), "salon listening") || strings.Contains(logs.String(), ":"+pw+"@") {
		t.Fatalf("log shows the password or no start: %s", logs.String())
	}
}
