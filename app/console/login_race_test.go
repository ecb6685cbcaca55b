package console_test

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"salon/app/internal/apptest"
	"salon/events"
)

// TestConsoleLogin_ThrottleBurst sends 40 wrong passwords for one account at
// once. The throttle must hold under concurrency: at most five of them reach
// argon2id, and the right password, sent while those five are still being
// checked, is refused like any other attempt beyond the limit.
func TestConsoleLogin_ThrottleBurst(t *testing.T) {
	const limit, burst = 5, 40
	ta, base := apptest.ConsoleApp(t)
	ta.Account("mei@example.com", events.RoleOrganizer)

	var checks atomic.Int64
	parked := make(chan struct{}, burst+1)
	release := make(chan struct{})
	// The first checks are held until the right password has had its
	// answer, so the burst is still in flight when it arrives.
	apptest.OnPasswordCheck(ta.Srv, func() {
		if checks.Add(1) <= limit {
			parked <- struct{}{}
			<-release
		}
	})
	var releaseOnce sync.Once
	unpark := func() { releaseOnce.Do(func() { close(release) }) }
	t.Cleanup(unpark)

	statuses := make(chan int, burst)
	var wg sync.WaitGroup
	for i := 0; i < burst; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, _ := apptest.Login(t, apptest.Browser(t), base, "mei@example.com", "wrong password")
			statuses <- resp.StatusCode
		}()
	}
	deadline := time.After(60 * time.Second)
	for i := 0; i < limit; i++ {
		select {
		case <-parked:
		case <-deadline:
			t.Fatalf("only %d of %d password checks started", i, limit)
		}
	}
	resp, _ := apptest.Login(t, apptest.Browser(t), base, "mei@example.com", apptest.TestPassword)
	unpark()
	wg.Wait()
	close(statuses)
	if resp.StatusCode != 429 {
		t.Errorf("right password within the burst, beyond the limit: %d, want 429", resp.StatusCode)
	}
	count := map[int]int{}
	for s := range statuses {
		count[s]++
	}
	if n := checks.Load(); n > limit {
		t.Errorf("%d password checks ran for one account, limit %d", n, limit)
	}
	if count[401] != limit || count[429] != burst-limit {
		t.Errorf("answers %v, want %d×401 and %d×429", count, limit, burst-limit)
	}
}
