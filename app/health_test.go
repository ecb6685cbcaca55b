package app_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"salon/app/internal/apptest"
)

// TestHealth_FullDatabase fills the database file up to SQLite's page limit
// while the server runs; past it SQLite answers SQLITE_FULL exactly as on a
// full disk. /healthz must say so while RSVPs fail, and recover once there
// is room again.
func TestHealth_FullDatabase(t *testing.T) {
	ctx := context.Background()
	ta := apptest.New(t)
	slug := ta.Salon(`"capacity":100000`)
	if status, body, _ := ta.Do("GET", "/healthz", "", "", ""); status != 200 || body != `{"status":"ok"}` {
		t.Fatalf("healthz before: %d %s", status, body)
	}
	if _, err := ta.DB.SetMaxPageCount(ctx, 1); err != nil {
		t.Fatal(err)
	}
	failed := false
	for i := 0; i < 20000 && !failed; i++ {
		status, out := ta.JSON("POST", "/api/v1/salons/"+slug+"/rsvps", "",
			fmt.Sprintf(`{"name":"Guest %d","email":"g%d@example.com","company":"%s"}`, i, i, strings.Repeat("c", 200)))
		switch status {
		case 201:
		case 500:
			failed = true
		default:
			t.Fatalf("RSVP %d: %d %v", i, status, out)
		}
	}
	if !failed {
		t.Fatal("the capped database never filled up")
	}
	status, body := waitHealth(t, ta, 503)
	if body != `{"status":"unavailable","reason":"full"}` {
		t.Fatalf("healthz on a full database: %d %s", status, body)
	}

	if _, err := ta.DB.SetMaxPageCount(ctx, 1<<30); err != nil {
		t.Fatal(err)
	}
	if status, body := waitHealth(t, ta, 200); body != `{"status":"ok"}` {
		t.Fatalf("healthz after room came back: %d %s", status, body)
	}
	if status, out := ta.JSON("POST", "/api/v1/salons/"+slug+"/rsvps", "", `{"name":"Late","email":"late@example.com"}`); status != 201 {
		t.Fatalf("RSVP after room came back: %d %v", status, out)
	}
}

// waitHealth polls /healthz until it answers want, for longer than the
// answer is cached.
func waitHealth(t *testing.T, ta *apptest.App, want int) (int, string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		status, body, _ := ta.Do("GET", "/healthz", "", "", "")
		if status == want || time.Now().After(deadline) {
			return status, body
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestServe_RefusesUnusableDatabase: `salon serve` on a database it must not
// or cannot write exits 1 with one line on stderr, instead of starting and
// failing every RSVP.
func TestServe_RefusesUnusableDatabase(t *testing.T) {
	for _, tc := range []struct {
		name  string
		spoil func(t *testing.T, path string)
		want  string
	}{
		{"newer schema", func(t *testing.T, path string) {
			execRaw(t, path, `INSERT INTO migrations (name, applied_at) VALUES ('migrations/0099_future.sql', 0)`)
		}, "database schema is newer than this salon (migration 0099_future unknown); use a newer release"},
		{"read-only", markReadOnly, "cannot write to "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "salon.db")
			if code, _, stderr := runCLI(t, "", "user", "add", "--db", path, "--email", "a@example.com", "--role", "admin"); code != 0 {
				t.Fatal(stderr)
			}
			tc.spoil(t, path)
			type result struct {
				code   int
				stderr string
			}
			done := make(chan result, 1)
			go func() {
				code, _, stderr := runCLI(t, "", "serve", "--db", path, "--addr", "127.0.0.1:0")
				done <- result{code, stderr}
			}()
			select {
			case r := <-done:
				lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
				if r.code != 1 || len(lines) != 1 || !strings.HasPrefix(lines[0], "salon: ") || !strings.Contains(lines[0], tc.want) {
					t.Fatalf("exit %d, stderr %q; want 1 and one line with %q", r.code, r.stderr, tc.want)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("serve started on a database it must refuse")
			}
		})
	}
}

// execRaw runs a statement on the file with no salon code in between, as
// another release of the program would.
func execRaw(t *testing.T, path, stmt string) {
	t.Helper()
	raw, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(stmt); err != nil {
		t.Fatal(err)
	}
}

// markReadOnly makes SQLite treat the file as read-only, even for root, whom
// chmod does not stop: a write version (header byte 18) above 2 sets the
// read-only flag SQLite sets when the OS refuses to open the file for
// writing. storage's tests check a real chmod as another user.
func markReadOnly(t *testing.T, path string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt([]byte{3}, 18); err != nil {
		t.Fatal(err)
	}
}
