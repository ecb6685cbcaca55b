package app_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"salon/app"
	"salon/app/internal/apptest"
	"salon/storage/sqlite"
)

// TestQuickStart follows the README's first steps on a fresh database:
// the organizer made with a password signs in with it, and an account
// made by invite sets its password through the printed link and signs in.
func TestQuickStart(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "salon.db")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	if code, out, errs := runCLI(t, "a long passphrase\n", "user", "add", "--db", dbPath, "--email", "mei@example.com", "--role", "organizer", "--name", "Mei", "--password-stdin"); code != 0 {
		t.Fatalf("user add: %d %q %q", code, out, errs)
	}
	code, out, errs := runCLI(t, "", "user", "invite", "--db", dbPath, "--base-url", base, "--email", "lu@example.com", "--role", "staff")
	link := lastLine(out)
	if code != 0 || !strings.HasPrefix(link, base+"/invite/") {
		t.Fatalf("user invite: %d %q %q", code, out, errs)
	}

	db, err := sqlite.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	srv, err := app.NewServer(app.Config{DB: dbPath, Addr: ":0", BaseURL: base}, db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	go srv.Listener(ln)
	t.Cleanup(func() { srv.Shutdown(5 * time.Second) })

	if resp, body := apptest.Login(t, apptest.Browser(t), base, "mei@example.com", "a long passphrase"); resp.StatusCode != 303 {
		t.Fatalf("the quick start's organizer cannot sign in: %d %.300s", resp.StatusCode, body)
	}
	c := apptest.Browser(t)
	tok := apptest.FormToken(t, c, link)
	resp, _ := apptest.PostForm(t, c, link, url.Values{"_csrf": {tok}, "password": {"another passphrase"}, "password2": {"another passphrase"}})
	if resp.StatusCode != 303 {
		t.Fatalf("set password through the link: %d", resp.StatusCode)
	}
	if resp, _ := apptest.Login(t, apptest.Browser(t), base, "lu@example.com", "another passphrase"); resp.StatusCode != 303 {
		t.Fatalf("the invited account cannot sign in: %d", resp.StatusCode)
	}
}
