package sqlite

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestWAL_StartsOverUnderLoad: under a stream of writes that never lets the
// writer idle, the WAL file stays small because the writer catches the
// checkpoint up between batches once it has grown (restartWAL), and every
// write answered nil is there afterwards. Without the catch-up the WAL
// grows by every commit: this load writes about 40 MB of frames. The
// checkpointer looks every millisecond here (25 ms in the server), so how
// far the WAL gets between two looks does not depend on how fast this
// machine writes: at 25 ms a fast machine wrote 8-9 MB between looks.
func TestWAL_StartsOverUnderLoad(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "salon.db")
	db := openWith(t, path, options{restartFrames: 64, ckEvery: time.Millisecond})
	const workers, each = 32, 300
	value := make([]byte, 3000) // about a page per write
	var maxWAL atomic.Int64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		for {
			if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() > maxWAL.Load() {
				maxWAL.Store(fi.Size())
			}
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				key := fmt.Sprintf("w%d-%d", w, i)
				if err := db.update(ctx, putSettingValue(ctx, key, value)); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	<-sampled
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	var n int
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM settings WHERE key LIKE 'w%'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != workers*each {
		t.Fatalf("%d writes stored, want %d", n, workers*each)
	}
	// 64 frames, plus what commits while the checkpointer looks again.
	if m := maxWAL.Load(); m > 8<<20 {
		t.Fatalf("the WAL grew to %.1f MB under load; want it started over", float64(m)/(1<<20))
	}
	if db.walRestarts.Load() == 0 {
		t.Fatal("the writer never caught the checkpoint up")
	}
	t.Logf("WAL at most %.1f MB; %d catch-ups", float64(maxWAL.Load())/(1<<20), db.walRestarts.Load())
}
