package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"salon/events"
	"salon/storage"
	"salon/storage/sqlite"
	"salon/storage/sqlite/sqlitetest"
	"salon/tickets"
)

// fillForCheck makes a database with a salon and n tickets, closed.
func fillForCheck(t *testing.T, path string, n int) {
	t.Helper()
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now().Add(72 * time.Hour).Truncate(time.Minute)
	s := &events.Salon{Title: "Check evening", Industry: "law", StartsAt: start, EndsAt: start.Add(2 * time.Hour),
		Capacity: 10, Waitlist: true, Status: events.StatusPublished}
	if err := db.CreateSalon(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			in := tickets.RSVPInput{Name: "Guest", Email: fmt.Sprintf("c%d@example.com", i)}
			in.Normalize()
			if _, err := db.CreateRSVP(context.Background(), storage.RSVPRequest{Slug: s.Slug, Input: in}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

// healthIntegrity polls /healthz until its integrity field is settled.
func healthIntegrity(t *testing.T, addr string) (int, string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		var h struct{ Status, Integrity string }
		err = json.NewDecoder(resp.Body).Decode(&h)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if (h.Integrity != "checking" && h.Integrity != "") || time.Now().After(deadline) {
			return resp.StatusCode, h.Integrity
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestCheck_SoundAndDamaged: `salon check` passes a sound file and exits 1
// naming the damage on a damaged one, without changing the file; `salon
// serve` starts on the damaged file (the check is off the start path) and
// reports the damage in /healthz once its background check is done.
func TestCheck_SoundAndDamaged(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c.db")
	fillForCheck(t, path, 400)
	if code, stdout, stderr := runCLI(t, "", "check", "--db", path); code != 0 || !strings.Contains(stdout, "ok: no damage found") {
		t.Fatalf("sound file: exit %d %q %q", code, stdout, stderr)
	}
	addr, stop := serving(t, path)
	if status, integrity := healthIntegrity(t, addr); status != 200 || integrity != "ok" {
		t.Fatalf("sound file: healthz %d integrity %q", status, integrity)
	}
	stop()

	sqlitetest.DamageIndex(t, path, "tickets_salon_email")
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"check", "--db", path}, {"check", "--quick", "--db", path}} {
		code, stdout, stderr := runCLI(t, "", args...)
		if code != 1 || !strings.Contains(stderr, "damaged") || stdout == "" || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Fatalf("%v on a damaged file: exit %d stdout %q stderr %q", args, code, stdout, stderr)
		}
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Fatal("salon check changed the file")
	}
	addr, stop = serving(t, path)
	defer stop()
	if status, integrity := healthIntegrity(t, addr); status != 200 || integrity != "damaged" {
		t.Fatalf("damaged file: healthz %d integrity %q", status, integrity)
	}
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if !strings.Contains(readAll(t, resp), `salon_integrity{field="damaged"} 1`) {
		t.Fatal("metrics do not report the damage")
	}
	if code, _, stderr := runCLI(t, "", "check", "--db", filepath.Join(dir, "missing.db")); code != 1 || !strings.Contains(stderr, "no database") {
		t.Fatalf("missing file: %d %q", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.db")); err == nil {
		t.Fatal("salon check made a database")
	}
}

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
