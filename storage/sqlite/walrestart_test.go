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
// write answered nil is there afterwards. The same load with the catch-up
// off must break the bound (the WAL grows by every commit: this load
// writes about 40 MB of frames), or the bound would prove nothing. The
// checkpointer looks every millisecond here (25 ms in the server), so how
// far the WAL gets between two looks does not depend on how fast this
// machine writes: at 25 ms a fast machine wrote 8-9 MB between looks.
func TestWAL_StartsOverUnderLoad(t *testing.T) {
	const bound = 8 << 20 // 64 frames, plus what commits while the checkpointer looks again
	m, restarts := walUnderLoad(t, 64)
	if m > bound {
		t.Fatalf("the WAL grew to %.1f MB under load; want it started over", float64(m)/(1<<20))
	}
	if restarts == 0 {
		t.Fatal("the writer never caught the checkpoint up")
	}
	t.Logf("WAL at most %.1f MB; %d catch-ups", float64(m)/(1<<20), restarts)
	if m, _ := walUnderLoad(t, -1); m <= bound {
		t.Fatalf("without the catch-up the WAL reached only %.1f MB: the load no longer tests it", float64(m)/(1<<20))
	}
}

// walUnderLoad runs 32 writers of 300 page-sized settings each on a fresh
// store whose writer catches the checkpoint up from restartFrames, checks
// that every write is stored, and returns the largest WAL file seen
// (sampled every 2 ms) and the writer's catch-ups.
func walUnderLoad(t *testing.T, restartFrames int64) (maxWAL, restarts int64) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "salon.db")
	db := openWith(t, path, options{restartFrames: restartFrames, ckEvery: time.Millisecond})
	const workers, each = 32, 300
	value := make([]byte, 3000) // about a page per write
	var largest atomic.Int64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		for {
			if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() > largest.Load() {
				largest.Store(fi.Size())
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
	return largest.Load(), db.walRestarts.Load()
}
