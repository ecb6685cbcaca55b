package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"salon/events"
	"salon/storage"
	"salon/storage/sqlite"
)

// closedDB makes a migrated database file and closes it, for tests that
// change the file before opening it again.
func closedDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "salon.db")
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// rawExec runs statements on the file with no salon code in between, as
// another release of the program would.
func rawExec(t *testing.T, path string, stmts ...string) {
	t.Helper()
	raw, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, s := range stmts {
		if _, err := raw.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// MarkReadOnly makes SQLite itself treat the file as read-only, even for
// root, whom chmod does not stop: a write version (header byte 18) above 2
// sets the same read-only flag on the b-tree that SQLite sets when the OS
// refuses to open the file for writing, so every write fails with
// SQLITE_READONLY as it would on a read-only file.
func MarkReadOnly(tb testing.TB, path string) {
	tb.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt([]byte{3}, 18); err != nil {
		tb.Fatal(err)
	}
}

func TestOpen_RefusesNewerSchema(t *testing.T) {
	path := closedDB(t)
	rawExec(t, path, `INSERT INTO migrations (name, applied_at) VALUES ('migrations/0099_future.sql', 0)`)
	db, err := sqlite.Open(context.Background(), path)
	if err == nil {
		db.Close()
		t.Fatal("a database migrated by a newer release was opened")
	}
	want := "database schema is newer than this salon (migration 0099_future unknown); use a newer release"
	if !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
		t.Fatalf("error %q, want %q", err, want)
	}
}

func TestOpen_RefusesReadOnlyDatabase(t *testing.T) {
	path := closedDB(t)
	MarkReadOnly(t, path)
	db, err := sqlite.Open(context.Background(), path)
	if err == nil {
		db.Close()
		t.Fatal("a read-only database was opened")
	}
	if !errors.Is(err, storage.ErrReadOnly) || !strings.Contains(err.Error(), "cannot write to "+path) {
		t.Fatalf("error %q", err)
	}
}

// TestOpen_RefusesReadOnlyFile is the real condition: a database file, or
// the directory it is in, its user may not write. Root ignores file modes,
// so as root the test runs itself again as nobody.
func TestOpen_RefusesReadOnlyFile(t *testing.T) {
	if os.Getenv("SALON_TEST_AS_NOBODY") == "" && os.Geteuid() == 0 {
		runAsNobody(t, "^TestOpen_RefusesReadOnlyFile$")
		return
	}
	for _, tc := range []struct {
		name  string
		chmod func(dir, path string) error
	}{
		{"file 0444", func(_, path string) error { return os.Chmod(path, 0o444) }},
		{"directory 0555", func(dir, _ string) error { return os.Chmod(dir, 0o555) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "salon.db")
			db, err := sqlite.Open(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
			if err := tc.chmod(dir, path); err != nil {
				t.Fatal(err)
			}
			defer os.Chmod(dir, 0o755) // so that the test can clean up
			db, err = sqlite.Open(context.Background(), path)
			if err == nil {
				db.Close()
				t.Fatal("a database its user may not write was opened")
			}
			if !errors.Is(err, storage.ErrReadOnly) || !strings.Contains(err.Error(), "cannot write to "+path) {
				t.Fatalf("error %q", err)
			}
		})
	}
}

// runAsNobody runs the named test of this test binary as the user nobody,
// in a directory nobody may write, and fails if it fails.
func runAsNobody(t *testing.T, run string) {
	t.Helper()
	dir, err := os.MkdirTemp("", "salon-nobody-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	// The test binary lives in a directory only root may enter; nobody
	// runs a copy.
	bin := filepath.Join(dir, "storage.test")
	if err := copyFile(os.Args[0], bin, 0o755); err != nil {
		t.Fatal(err)
	}
	work := filepath.Join(dir, "work")
	if err := os.Mkdir(work, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(work, 0o777); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-test.run", run, "-test.count=1", "-test.v")
	cmd.Env = []string{"SALON_TEST_AS_NOBODY=1", "TMPDIR=" + work, "PATH=/usr/bin:/bin"}
	cmd.Dir = work
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("as nobody: %v\n%s", err, out)
	}
	// "PASS" alone is printed even when -test.run matched nothing; the
	// verbose line names the test that ran as nobody.
	if !strings.Contains(string(out), "--- PASS: "+strings.Trim(run, "^$")) {
		t.Fatalf("as nobody, the test did not run:\n%s", out)
	}
}

func copyFile(from, to string, mode os.FileMode) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_CREATE|os.O_EXCL|os.O_WRONLY, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}

// TestCheckWritable_Full fills the file to SQLite's page limit, which
// answers SQLITE_FULL exactly as a full disk does: the probe reports it
// while writes fail, and clears once there is room again.
func TestCheckWritable_Full(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	if err := db.CheckWritable(ctx); err != nil {
		t.Fatalf("fresh database: %v", err)
	}
	if _, err := db.SetMaxPageCount(ctx, 1); err != nil {
		t.Fatal(err)
	}
	full := false
	for i := 0; i < 10000 && !full; i++ {
		full = db.CreateSalon(ctx, salonInput(i)) != nil
	}
	if !full {
		t.Fatal("the capped file never filled up")
	}
	if err := db.CheckWritable(ctx); !errors.Is(err, storage.ErrFull) {
		t.Fatalf("probe on a full file: %v", err)
	}
	if _, err := db.SetMaxPageCount(ctx, 1<<30); err != nil {
		t.Fatal(err)
	}
	if err := db.CheckWritable(ctx); err != nil {
		t.Fatalf("probe after room came back: %v", err)
	}
	if err := db.CreateSalon(ctx, salonInput(-1)); err != nil {
		t.Fatalf("write after room came back: %v", err)
	}
}

// salonInput is a published salon with a long description, so that a few
// of them fill a page.
func salonInput(i int) *events.Salon {
	start := time.Now().Add(7 * 24 * time.Hour).Truncate(time.Minute)
	return &events.Salon{Title: fmt.Sprintf("Filling salon %d", i), Industry: "fintech", Description: strings.Repeat("words ", 300),
		StartsAt: start, EndsAt: start.Add(2 * time.Hour), Capacity: 10, Status: events.StatusPublished}
}

// BenchmarkCheckWritable is what one /healthz probe costs, a commit with
// its disk sync included; /healthz runs at most one a second.
func BenchmarkCheckWritable(b *testing.B) {
	ctx := context.Background()
	db := MustOpenDB(b)
	for b.Loop() {
		if err := db.CheckWritable(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
