package sqlite

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	msqlite "modernc.org/sqlite"

	"salon/storage"
)

// TestUpdate_RacesClose races many writes against Close: every call must
// return, a write answered nil must be in the database, and one answered
// ErrClosed must not be. A write whose send to the queue won against the
// writer's last drain used to wait for ever.
func TestUpdate_RacesClose(t *testing.T) {
	ctx := context.Background()
	for round := range 10 {
		path := filepath.Join(t.TempDir(), "salon.db")
		db, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		const writers = 200
		results := make([]error, writers)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				results[i] = db.update(ctx, func(tx *Tx) error {
					_, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)`, fmt.Sprintf("race-%d", i), []byte{1})
					return err
				})
			}()
		}
		close(start)
		// Close at varying points of the stream of writes.
		time.Sleep(time.Duration(round%5) * 100 * time.Microsecond)
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		done := make(chan struct{})
		go func() { wg.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("round %d: writes still waiting 10s after Close", round)
		}

		db, err = Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		for i, werr := range results {
			var n int
			if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM settings WHERE key = ?`, fmt.Sprintf("race-%d", i)).Scan(&n); err != nil {
				t.Fatal(err)
			}
			switch {
			case werr == nil && n != 1:
				t.Errorf("round %d: write %d answered nil but is not in the database", round, i)
			case errors.Is(werr, storage.ErrClosed) && n != 0:
				t.Errorf("round %d: write %d answered ErrClosed but committed", round, i)
			case werr != nil && !errors.Is(werr, storage.ErrClosed):
				t.Errorf("round %d: write %d: %v", round, i, werr)
			}
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestUpdate_QueuedAfterWriterStopped makes deterministic the interleaving
// the race above can only hit by chance: a caller passed update's first
// closing check, then Close ran to the end, then the caller's send to the
// queue went through (the queue has room and nothing else is ready). The
// write must answer ErrClosed rather than wait for a writer that is gone.
func TestUpdate_QueuedAfterWriterStopped(t *testing.T) {
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "salon.db"))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	// As seen by a caller that checked closing before Close closed it.
	closing := db.closing
	db.closing = make(chan struct{})
	defer func() { db.closing = closing }()

	ran := false
	got := make(chan error, 1)
	go func() {
		got <- db.update(context.Background(), func(*Tx) error { ran = true; return nil })
	}()
	select {
	case err := <-got:
		if !errors.Is(err, storage.ErrClosed) {
			t.Fatalf("update after the writer stopped: %v, want ErrClosed", err)
		}
		if ran {
			t.Fatal("the write ran after the writer stopped")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("update after the writer stopped is still waiting after 10s")
	}
}

// cancelDuring is called by the SQL function test_cancel_during, which a
// statement calls to have its own context cancelled while it runs.
var cancelDuring struct {
	sync.Mutex
	f func()
}

var registerCancelDuring = sync.OnceValue(func() error {
	return msqlite.RegisterScalarFunction("test_cancel_during", 1, func(_ *msqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		if n, _ := args[0].(int64); n == 1 {
			cancelDuring.Lock()
			f := cancelDuring.f
			cancelDuring.Unlock()
			if f != nil {
				f()
				// Give the driver's watcher time to see the cancellation;
				// the statement has thousands of rows still to go.
				time.Sleep(50 * time.Millisecond)
			}
		}
		return []byte{1}, nil
	})
})

// TestUpdate_CancelledWhileRunningFailsAlone puts three writes in one batch;
// the middle one's context is cancelled while its INSERT runs. The driver
// would interrupt that statement, and SQLite rolls back the whole
// transaction when a write statement is interrupted, failing the writes
// before and after it too. Each write must commit or fail alone.
func TestUpdate_CancelledWhileRunningFailsAlone(t *testing.T) {
	if err := registerCancelDuring(); err != nil {
		t.Fatal(err)
	}
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "salon.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	bg := context.Background()

	// Hold the writer while the three are queued, so that they make up the
	// next batch together.
	release := holdWriter(t, db)

	insert := func(ctx context.Context, key string) func(*Tx) error {
		return func(tx *Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)`, key, []byte{1})
			return err
		}
	}
	ctx, cancel := context.WithCancel(bg)
	defer cancel()
	cancelDuring.Lock()
	cancelDuring.f = cancel
	cancelDuring.Unlock()
	defer func() {
		cancelDuring.Lock()
		cancelDuring.f = nil
		cancelDuring.Unlock()
	}()
	jobs := []struct {
		name string
		ctx  context.Context
		fn   func(*Tx) error
	}{
		{"before", bg, insert(bg, "before")},
		{"cancelled", ctx, func(tx *Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value)
				WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 5000)
				SELECT 'cancelled-' || n, test_cancel_during(n) FROM c`)
			return err
		}},
		{"after", bg, insert(bg, "after")},
	}
	results := make([]<-chan error, len(jobs))
	for i, j := range jobs {
		results[i] = queueWrite(db, j.ctx, j.fn)
	}
	release()
	for i, j := range jobs {
		var err error
		select {
		case err = <-results[i]:
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: no answer after 10s", j.name)
		}
		var n int
		if qerr := db.read.QueryRowContext(bg, `SELECT COUNT(*) FROM settings WHERE key = ? OR key LIKE ? || '-%'`, j.name, j.name).Scan(&n); qerr != nil {
			t.Fatal(qerr)
		}
		switch {
		case j.name == "cancelled" && err == nil && n != 5000:
			t.Errorf("cancelled write answered nil with %d of its 5000 rows", n)
		case j.name == "cancelled" && err != nil && n != 0:
			t.Errorf("cancelled write answered %v but left %d rows", err, n)
		case j.name != "cancelled" && (err != nil || n != 1):
			t.Errorf("%s: %v, %d rows; another write's cancellation must not fail it", j.name, err, n)
		}
	}
	if ctx.Err() == nil {
		t.Fatal("the cancelled write's context was never cancelled: the test tested nothing")
	}
}

// holdWriter keeps the writer busy in a batch of its own until release is
// called, so that the writes queued meanwhile make up the next batch, in
// the order queued (see queueWrite).
func holdWriter(t *testing.T, db *DB) (release func()) {
	t.Helper()
	ch := make(chan struct{})
	held := make(chan struct{})
	holder := make(chan error, 1)
	// The holder may run again, when a write of its batch fails after
	// writing and the batch is re-run with savepoints.
	var once sync.Once
	go func() {
		holder <- db.update(context.Background(), func(*Tx) error { once.Do(func() { close(held) }); <-ch; return nil })
	}()
	<-held
	return func() {
		t.Helper()
		close(ch)
		if err := <-holder; err != nil {
			t.Fatal(err)
		}
	}
}

// queueWrite calls update on a goroutine of its own and returns once the
// write is queued; its answer comes on the channel.
func queueWrite(db *DB, ctx context.Context, fn func(*Tx) error) <-chan error {
	return queueJob(db, func() error { return db.update(ctx, fn) })
}

// queueCached is queueWrite with updateCached.
func queueCached(db *DB, ctx context.Context, fn func(*Tx) error) <-chan error {
	return queueJob(db, func() error { return db.updateCached(ctx, fn) })
}

// queueJob runs write on a goroutine of its own and returns once it has
// queued its job.
func queueJob(db *DB, write func() error) <-chan error {
	n := len(db.jobs)
	ch := make(chan error, 1)
	go func() { ch <- write() }()
	for len(db.jobs) <= n {
		time.Sleep(time.Millisecond)
	}
	return ch
}

// TestAfterCommit_OnlyForWritesThatCommitted runs, in one batch, writes that
// each register a callback and then succeed, fail or panic: only the
// callbacks of the writes that committed run, and a failed write's
// ticketsChanged does not raise the tickets version.
func TestAfterCommit_OnlyForWritesThatCommitted(t *testing.T) {
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "salon.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	var mu sync.Mutex
	ran := map[string]bool{}
	write := func(name string, outcome func() error) func(*Tx) error {
		return func(tx *Tx) error {
			tx.AfterCommit(func() { mu.Lock(); ran[name] = true; mu.Unlock() })
			if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)`, name, []byte{1}); err != nil {
				return err
			}
			return outcome()
		}
	}
	boom := errors.New("boom")
	before := db.TicketsVersion()
	release := holdWriter(t, db)
	ok1 := queueWrite(db, ctx, write("ok1", func() error { return nil }))
	failed := queueWrite(db, ctx, func(tx *Tx) error {
		db.ticketsChanged(tx)
		return write("failed", func() error { return boom })(tx)
	})
	panicked := queueWrite(db, ctx, write("panicked", func() error { panic("boom") }))
	ok2 := queueWrite(db, ctx, write("ok2", func() error { return nil }))
	release()
	if err := <-ok1; err != nil {
		t.Fatal(err)
	}
	if err := <-failed; !errors.Is(err, boom) {
		t.Fatalf("failed write: %v", err)
	}
	if err := <-panicked; err == nil {
		t.Fatal("panicking write answered nil")
	}
	if err := <-ok2; err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if !ran["ok1"] || !ran["ok2"] || ran["failed"] || ran["panicked"] {
		t.Fatalf("callbacks run: %v, want only ok1 and ok2", ran)
	}
	if db.TicketsVersion() != before {
		t.Fatal("a failed write's ticketsChanged raised the tickets version")
	}
}
