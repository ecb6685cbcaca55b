package app

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestWriteHealth_OneProbeForMany: health requests arriving together, and
// within healthFor of each other, share one probe (one commit), and all get
// its answer.
func TestWriteHealth_OneProbeForMany(t *testing.T) {
	var h writeHealth
	var probes atomic.Int32
	fail := errors.New("full")
	probe := func(ctx context.Context) error {
		probes.Add(1)
		time.Sleep(20 * time.Millisecond) // a commit's worth of waiting
		return fail
	}
	var wg sync.WaitGroup
	for i := 0; i < 32; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := h.check(context.Background(), probe); err != fail {
				t.Errorf("answer %v", err)
			}
		}()
	}
	wg.Wait()
	if n := probes.Load(); n != 1 {
		t.Fatalf("%d probes for 32 requests", n)
	}
	h.at = time.Now().Add(-healthFor) // the answer is stale
	h.check(context.Background(), probe)
	if n := probes.Load(); n != 2 {
		t.Fatalf("a stale answer was kept: %d probes", n)
	}
}
