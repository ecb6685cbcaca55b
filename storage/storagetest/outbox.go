package storagetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
)

// testClaimMessagesConcurrent: claimers racing over one queue never get
// the same message, and between them get every one. The messages are the
// confirmations of 300 RSVPs, queued through the store as the app queues
// them.
func testClaimMessagesConcurrent(t *testing.T, db *store) {
	const total, workers = 300, 8
	s := mustCreateSalon(t, db, total, false)
	var queue sync.WaitGroup
	for i := range total {
		queue.Add(1)
		go func() {
			defer queue.Done()
			if _, err := rsvp(t, db, s.Slug, fmt.Sprintf("guest%d@example.com", i)); err != nil {
				t.Error(err)
			}
		}()
	}
	queue.Wait()

	var mu sync.Mutex
	seen := map[int64]int{}
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				msgs, err := db.ClaimMessages(context.Background(), 3)
				if err != nil {
					errs <- err
					return
				}
				if len(msgs) == 0 {
					return
				}
				mu.Lock()
				for _, m := range msgs {
					seen[m.ID]++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if len(seen) != total {
		t.Fatalf("claimed %d distinct messages, want %d", len(seen), total)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("message %d claimed %d times", id, n)
		}
	}
}
