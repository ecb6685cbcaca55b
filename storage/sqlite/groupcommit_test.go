package sqlite

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"salon/events"
	"salon/storage"
	"salon/tickets"
)

func openWith(t testing.TB, path string, opts options) *DB {
	t.Helper()
	if opts.ckEvery == 0 {
		opts.ckEvery = ckEvery
	}
	db, err := open(context.Background(), path, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func putSetting(ctx context.Context, key string) func(*Tx) error {
	return putSettingValue(ctx, key, []byte{1})
}

// putSettingValue is putSetting with a value of the caller's.
func putSettingValue(ctx context.Context, key string, value []byte) func(*Tx) error {
	return func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)`, key, value)
		return err
	}
}

func settingExists(t *testing.T, db *DB, key string) bool {
	t.Helper()
	var n int
	if err := db.read.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM settings WHERE key = ?`, key).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n == 1
}

// TestGroupCommit_AnsweredOnlyAfterSync: every write answered nil was
// committed before a sync that then succeeded began. The sync is wrapped to
// read, before it syncs, which writes a reader can see (those committed),
// and to mark them synced once the real sync returns; meanwhile the WAL is
// checkpointed and started over (RESTART, TRUNCATE) under the load, so
// syncs meet a WAL reused from its start, and the syncer must still hold
// the file the WAL path names.
func TestGroupCommit_AnsweredOnlyAfterSync(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "salon.db")
	var mu sync.Mutex
	synced := map[string]bool{}
	var db *DB
	var syncs atomic.Int64
	db = openWith(t, path, options{sync: func() error {
		if db == nil { // the sync at Open, before the store is handed out
			return nil
		}
		rows, err := db.read.QueryContext(ctx, `SELECT key FROM settings WHERE key LIKE 'gc-%'`)
		if err != nil {
			return err
		}
		var seen []string
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				rows.Close()
				return err
			}
			seen = append(seen, k)
		}
		rows.Close()
		// Slow enough that writes pile up behind it and join the open batch.
		time.Sleep(time.Millisecond)
		if err := db.wal.sync(); err != nil {
			return err
		}
		syncs.Add(1)
		mu.Lock()
		for _, k := range seen {
			synced[k] = true
		}
		mu.Unlock()
		return nil
	}})

	stop := make(chan struct{})
	ckDone := make(chan struct{})
	go func() {
		defer close(ckDone)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
			mode := "RESTART"
			if i%2 == 1 {
				mode = "TRUNCATE"
			}
			db.ck.ExecContext(ctx, `PRAGMA wal_checkpoint(`+mode+`)`)
		}
	}()

	const writers, each = 32, 60
	var wg sync.WaitGroup
	var early atomic.Int64
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				key := fmt.Sprintf("gc-%d-%d", w, i)
				if err := db.update(ctx, putSetting(ctx, key)); err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				ok := synced[key]
				mu.Unlock()
				if !ok {
					early.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	<-ckDone
	if n := early.Load(); n > 0 {
		t.Fatalf("%d writes answered before a sync that began after their commit", n)
	}
	if s := syncs.Load(); s == 0 || s >= writers*each {
		t.Fatalf("%d syncs for %d writes: want one per group, fewer than the writes", s, writers*each)
	}
	held, err := db.wal.f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	cur, err := os.Stat(path + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	if !os.SameFile(held, cur) {
		t.Fatal("after the WAL restarts the syncer holds another file than the WAL")
	}
	t.Logf("%d writes in %d syncs", writers*each, syncs.Load())
}

// TestGroupCommit_FailedSyncFailsGroup: when the sync fails, every write of
// the commits it covered is answered an error (none nil), and the store
// refuses writes from then on, also through CheckWritable.
func TestGroupCommit_FailedSyncFailsGroup(t *testing.T) {
	ctx := context.Background()
	db, fail := openFailingSync(t)
	if err := db.update(ctx, putSetting(ctx, "before")); err != nil {
		t.Fatal(err)
	}
	// A batch of several writes, run together behind one held write; the
	// holder shares their commit, so its sync fails too.
	hold, held := make(chan struct{}), make(chan struct{})
	holder := make(chan error, 1)
	var once sync.Once
	go func() {
		holder <- db.update(ctx, func(*Tx) error { once.Do(func() { close(held) }); <-hold; return nil })
	}()
	<-held
	var answers []<-chan error
	for i := range 8 {
		answers = append(answers, queueWrite(db, ctx, putSetting(ctx, fmt.Sprintf("lost-%d", i))))
	}
	fail.Store(true)
	close(hold)
	answers = append(answers, holder)
	for i, ch := range answers {
		err := <-ch
		if err == nil {
			t.Errorf("write %d answered nil although its sync failed", i)
		} else if !errors.Is(err, errSyncFailed) {
			t.Errorf("write %d: %v, want errSyncFailed", i, err)
		}
	}
	fail.Store(false)
	if err := db.update(ctx, putSetting(ctx, "after")); !errors.Is(err, errSyncFailed) {
		t.Fatalf("a write after a failed sync: %v, want errSyncFailed", err)
	}
	if err := db.CheckWritable(ctx); err == nil {
		t.Fatal("CheckWritable passes after a failed sync")
	}
	if settingExists(t, db, "after") {
		t.Fatal("a write refused after the failed sync was committed")
	}
}

// TestGroupCommit_Reruns: in one batch, a write refused before it wrote
// costs no re-run; one that fails after writing has the batch run again
// with savepoints, once, and fails alone: the writes around it commit, its
// own row does not.
func TestGroupCommit_Reruns(t *testing.T) {
	ctx := context.Background()
	db := openWith(t, filepath.Join(t.TempDir(), "salon.db"), options{})
	refused := errors.New("refused")

	release := holdWriter(t, db)
	a := queueWrite(db, ctx, putSetting(ctx, "a"))
	r := queueWrite(db, ctx, func(tx *Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM settings`).Scan(&n); err != nil {
			return err
		}
		return refused
	})
	dup := queueWrite(db, ctx, putSetting(ctx, "a")) // the INSERT fails, undone by SQLite
	b := queueWrite(db, ctx, putSetting(ctx, "b"))
	release()
	for name, ch := range map[string]<-chan error{"a": a, "b": b} {
		if err := <-ch; err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	if err := <-r; !errors.Is(err, refused) {
		t.Fatalf("refused write: %v", err)
	}
	if err := <-dup; !isUniqueViolation(err) {
		t.Fatalf("duplicate: %v", err)
	}
	if n := db.reruns.Load(); n != 0 {
		t.Fatalf("%d re-runs for writes that failed before writing", n)
	}

	var runs atomic.Int64
	release = holdWriter(t, db)
	c := queueWrite(db, ctx, putSetting(ctx, "c"))
	bad := queueWrite(db, ctx, func(tx *Tx) error {
		runs.Add(1)
		if err := putSetting(ctx, "bad")(tx); err != nil {
			return err
		}
		return refused
	})
	d := queueWrite(db, ctx, putSetting(ctx, "d"))
	release()
	for name, ch := range map[string]<-chan error{"c": c, "d": d} {
		if err := <-ch; err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	if err := <-bad; !errors.Is(err, refused) {
		t.Fatalf("failed write: %v", err)
	}
	if n := db.reruns.Load(); n != 1 {
		t.Fatalf("%d re-runs, want 1", n)
	}
	if n := runs.Load(); n != 2 {
		t.Fatalf("the failed write ran %d times, want 2 (once alone, once under its savepoint)", n)
	}
	for key, want := range map[string]bool{"a": true, "b": true, "c": true, "d": true, "bad": false} {
		if got := settingExists(t, db, key); got != want {
			t.Errorf("setting %s stored %v, want %v", key, got, want)
		}
	}
}

// TestWALFile_Replaced: when the WAL path names another file than the one
// synced last (a WAL removed and made again), the syncer syncs the new one
// and the database; with no WAL at all, the database alone.
func TestWALFile_Replaced(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "x.db")
	for _, p := range []string{dbPath, dbPath + "-wal"} {
		if err := os.WriteFile(p, []byte("old"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	w := &walFile{dbPath: dbPath, path: dbPath + "-wal"}
	defer w.close()
	if err := w.sync(); err != nil {
		t.Fatal(err)
	}
	first := w.f
	if err := w.sync(); err != nil || w.f != first {
		t.Fatalf("same WAL: %v, reopened %v", err, w.f != first)
	}
	if err := os.WriteFile(dbPath+"-new", []byte("new"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(dbPath+"-new", dbPath+"-wal"); err != nil {
		t.Fatal(err)
	}
	if err := w.sync(); err != nil {
		t.Fatal(err)
	}
	held, _ := w.f.Stat()
	cur, _ := os.Stat(dbPath + "-wal")
	if !os.SameFile(held, cur) {
		t.Fatal("after the WAL was replaced the syncer still holds the old file")
	}
	if err := os.Remove(dbPath + "-wal"); err != nil {
		t.Fatal(err)
	}
	if err := w.sync(); err != nil || w.f != nil {
		t.Fatalf("no WAL: %v, holding %v", err, w.f)
	}
}

// The crash helper: the test binary run with SALON_CRASH_CHILD=<db path> is
// a process that RSVPs from 32 goroutines and prints each answered RSVP
// (email, status, waitlist position) on a line of its own, until killed.
func init() {
	path := os.Getenv("SALON_CRASH_CHILD")
	if path == "" {
		return
	}
	os.Exit(crashChild(path, os.Getenv("SALON_CRASH_SLUG"), os.Getenv("SALON_CRASH_PREFIX")))
}

func crashChild(path, slug, prefix string) int {
	ctx := context.Background()
	db, err := Open(ctx, path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	out := bufio.NewWriter(os.Stdout)
	var mu sync.Mutex
	var n atomic.Int64
	var wg sync.WaitGroup
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := n.Add(1)
				in := tickets.RSVPInput{Name: "Guest", Email: prefix + strconv.FormatInt(i, 10) + "@example.com"}
				in.Normalize()
				res, err := db.CreateRSVP(ctx, storage.RSVPRequest{Slug: slug, Input: in})
				mu.Lock()
				if err == nil {
					fmt.Fprintf(out, "%s %s %d\n", in.Email, res.Ticket.Status, res.Ticket.WaitlistPosition)
				} else {
					fmt.Fprintf(out, "%s error %v\n", in.Email, err)
				}
				out.Flush() // written before the next answer, so the parent sees each
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return 0
}

// TestGroupCommit_KillMidLoad kills (SIGKILL) a process in the middle of
// an RSVP load, three times on the same file: every RSVP it answered is in
// the file when it is opened again, with the status and waitlist position
// it was answered, the salon's counts match its tickets, and it is never
// oversold.
func TestGroupCommit_KillMidLoad(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "salon.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now().Add(7 * 24 * time.Hour).Truncate(time.Minute)
	s := &events.Salon{Title: "Crash", Industry: "fintech", StartsAt: start, EndsAt: start.Add(2 * time.Hour),
		Capacity: 150, Waitlist: true, Status: events.StatusPublished}
	if err := db.CreateSalon(ctx, s); err != nil {
		t.Fatal(err)
	}
	db.Close()

	answered := map[string]string{} // email -> "status position"
	for round := range 3 {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "SALON_CRASH_CHILD="+path, "SALON_CRASH_SLUG="+s.Slug,
			fmt.Sprintf("SALON_CRASH_PREFIX=r%d-", round))
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(stdout)
		got := 0
		killAt := 150 + round*50
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			if len(f) >= 2 && f[1] == "error" {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("round %d: %s", round, sc.Text())
			}
			if len(f) != 3 {
				continue
			}
			answered[f[0]] = f[1] + " " + f[2]
			if got++; got == killAt {
				if err := cmd.Process.Kill(); err != nil {
					t.Fatal(err)
				}
			}
		}
		cmd.Wait()
		if got < killAt {
			t.Fatalf("round %d: the child answered %d RSVPs before it ended:\n%s", round, got, stderr.String())
		}
		db, err := Open(ctx, path)
		if err != nil {
			t.Fatalf("round %d: reopen after the kill: %v", round, err)
		}
		stored, err := db.FindTickets(ctx, storage.TicketFilter{SalonID: s.ID, Limit: 100000})
		if err != nil {
			t.Fatal(err)
		}
		have := map[string]*tickets.Ticket{}
		confirmed, waitlisted := 0, 0
		for _, tk := range stored {
			have[tk.Email] = tk
			switch tk.Status {
			case tickets.StatusConfirmed:
				confirmed++
			case tickets.StatusWaitlisted:
				waitlisted++
			}
		}
		positions := map[int]bool{}
		for _, tk := range stored {
			if tk.Status == tickets.StatusWaitlisted {
				positions[tk.WaitlistPosition] = true
			}
		}
		for p := 1; p <= waitlisted; p++ {
			if !positions[p] {
				t.Fatalf("round %d: waitlist positions are not 1 to %d: %d missing", round, waitlisted, p)
			}
		}
		for email, want := range answered {
			tk := have[email]
			if tk == nil {
				t.Errorf("round %d: %s was answered %q but is not stored", round, email, want)
			} else if got := fmt.Sprintf("%s %d", tk.Status, tk.WaitlistPosition); got != want {
				t.Errorf("round %d: %s answered %q, stored %q", round, email, want, got)
			}
		}
		got2, err := db.FindSalonBySlug(ctx, s.Slug)
		if err != nil {
			t.Fatal(err)
		}
		if confirmed > s.Capacity || got2.Confirmed != confirmed || got2.Waitlisted != waitlisted {
			t.Fatalf("round %d: salon counts %d/%d, tickets %d confirmed (capacity %d), %d waitlisted",
				round, got2.Confirmed, got2.Waitlisted, confirmed, s.Capacity, waitlisted)
		}
		db.Close()
		t.Logf("round %d: %d answered before the kill, %d stored", round, got, len(stored))
	}
}

// openFailingSync opens a store in a temporary directory whose WAL syncs
// fail while the flag it returns is set.
func openFailingSync(t *testing.T) (*DB, *atomic.Bool) {
	t.Helper()
	var fail atomic.Bool
	db := openWith(t, filepath.Join(t.TempDir(), "salon.db"), options{sync: func() error {
		if fail.Load() {
			return errors.New("input/output error")
		}
		return nil
	}})
	return db, &fail
}
