package storage

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"
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
			case errors.Is(werr, ErrClosed) && n != 0:
				t.Errorf("round %d: write %d answered ErrClosed but committed", round, i)
			case werr != nil && !errors.Is(werr, ErrClosed):
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
		if !errors.Is(err, ErrClosed) {
			t.Fatalf("update after the writer stopped: %v, want ErrClosed", err)
		}
		if ran {
			t.Fatal("the write ran after the writer stopped")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("update after the writer stopped is still waiting after 10s")
	}
}
