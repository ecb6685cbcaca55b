package web

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func body(s string) func(context.Context) (Rendered, error) {
	return func(context.Context) (Rendered, error) { return Rendered{Body: []byte(s)}, nil }
}

// TestCalendarCacheBounds: the cache keeps at most its number of entries and
// bytes, and drops the least recently used first.
func TestCalendarCacheBounds(t *testing.T) {
	ctx, now := context.Background(), time.Now
	cc := NewRenderCache(16, 1<<20)
	v := Versions{1, 1}
	for i := range 16 {
		if _, err := cc.Load(ctx, "k"+strconv.Itoa(i), v, false, now, body("x")); err != nil {
			t.Fatal(err)
		}
	}
	// k0 is used again, so k1 is now the oldest.
	if cc.get("k0", v, now()) == nil {
		t.Fatal("k0 missing")
	}
	cc.Load(ctx, "new", v, false, now, body("y"))
	if n := cc.Len(); n > 16 {
		t.Fatalf("%d entries, limit 16", n)
	}
	if cc.get("k0", v, now()) == nil || cc.get("new", v, now()) == nil {
		t.Error("evicted a recent entry")
	}
	if cc.get("k1", v, now()) != nil {
		t.Error("kept the least recently used entry")
	}

	// The byte budget holds too, and one oversized body still serves.
	cc = NewRenderCache(100, 10)
	for i := range 5 {
		cc.Load(ctx, "b"+strconv.Itoa(i), v, false, now, body("12345"))
	}
	if cc.bytes > 10 || cc.Len() > 2 {
		t.Errorf("%d bytes in %d entries, budget 10", cc.bytes, cc.Len())
	}
	f, err := cc.Load(ctx, "big", v, false, now, body("0123456789abcdef"))
	if err != nil || string(f.Body) != "0123456789abcdef" {
		t.Fatalf("oversized: %v", err)
	}
}

// TestCalendarCacheFreshness: versions and the window decide freshness; an
// error is not cached.
func TestCalendarCacheFreshness(t *testing.T) {
	ctx := context.Background()
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	now := func() time.Time { return clock }
	cc := NewRenderCache(10, 1<<20)
	win := func(context.Context) (Rendered, error) { return Rendered{Body: []byte("w"), Window: true}, nil }
	cc.Load(ctx, "public", Versions{1, 1}, false, now, body("p"))
	cc.Load(ctx, "personal", Versions{1, 1}, true, now, body("q"))
	cc.Load(ctx, "window", Versions{1, 1}, false, now, win)
	for _, tc := range []struct {
		key   string
		v     Versions
		later time.Duration
		fresh bool
	}{
		{"public", Versions{1, 1}, 0, true},
		{"public", Versions{1, 2}, 0, true}, // tickets do not show in it
		{"public", Versions{2, 1}, 0, false},
		{"personal", Versions{1, 2}, 0, false},
		{"window", Versions{1, 1}, calendarTTL - time.Second, true},
		{"window", Versions{1, 1}, calendarTTL, false},
		{"public", Versions{1, 1}, 24 * time.Hour, true},
	} {
		if got := cc.get(tc.key, tc.v, clock.Add(tc.later)) != nil; got != tc.fresh {
			t.Errorf("%s at %v +%v: fresh %v, want %v", tc.key, tc.v, tc.later, got, tc.fresh)
		}
	}
	boom := errors.New("boom")
	if _, err := cc.Load(ctx, "bad", Versions{1, 1}, false, now, func(context.Context) (Rendered, error) { return Rendered{}, boom }); !errors.Is(err, boom) {
		t.Fatalf("error: %v", err)
	}
	if cc.get("bad", Versions{1, 1}, clock) != nil {
		t.Error("an error was cached")
	}
}

// TestCalendarCacheConcurrent hammers one cache from many goroutines under
// -race: concurrent misses of one key render once.
func TestCalendarCacheConcurrent(t *testing.T) {
	cc := NewRenderCache(8, 1<<20)
	var renders atomic.Int64
	gate := make(chan struct{})
	slow := func(context.Context) (Rendered, error) {
		renders.Add(1)
		<-gate
		return Rendered{Body: []byte("slow")}, nil
	}
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			f, err := cc.Load(context.Background(), "one", Versions{1, 1}, false, time.Now, slow)
			if err != nil || string(f.Body) != "slow" {
				t.Errorf("%v", err)
			}
		})
	}
	time.Sleep(20 * time.Millisecond)
	close(gate)
	wg.Wait()
	if n := renders.Load(); n != 1 {
		t.Errorf("%d renders for one key", n)
	}
	for i := range 64 {
		wg.Go(func() {
			key := "k" + strconv.Itoa(i%20)
			for j := range 50 {
				v := Versions{uint64(j % 3), 1}
				if _, err := cc.Load(context.Background(), key, v, false, time.Now, body(key)); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if n := cc.Len(); n > 8 {
		t.Errorf("%d entries, limit 8", n)
	}
}

// TestRenderCache_TicketsStale: a body with TicketsStale is served as it is
// for that long after its render when only tickets changed, then made
// again once; while that render runs other readers get the old body at
// once; a salon change, or a body without TicketsStale, renders at once.
func TestRenderCache_TicketsStale(t *testing.T) {
	ctx := context.Background()
	cc := NewRenderCache(16, 1<<20)
	t0 := time.Now()
	var at atomic.Int64 // offset from t0
	now := func() time.Time { return t0.Add(time.Duration(at.Load())) }
	var n atomic.Int64
	render := func(context.Context) (Rendered, error) {
		return Rendered{Body: []byte("r" + strconv.FormatInt(n.Add(1), 10)), TicketsStale: 500 * time.Millisecond}, nil
	}
	load := func(v Versions) string {
		t.Helper()
		f, err := cc.Load(ctx, "page", v, true, now, render)
		if err != nil {
			t.Fatal(err)
		}
		return string(f.Body)
	}
	if got := load(Versions{1, 1}); got != "r1" {
		t.Fatal(got)
	}
	// Tickets change: within 500 ms of the render the old body serves.
	at.Store(int64(100 * time.Millisecond))
	if got := load(Versions{1, 2}); got != "r1" {
		t.Fatalf("within the bound: %s", got)
	}
	at.Store(int64(499 * time.Millisecond))
	if got := load(Versions{1, 9}); got != "r1" {
		t.Fatalf("just within the bound: %s", got)
	}
	// Past it, the next reader renders.
	at.Store(int64(500 * time.Millisecond))
	if got := load(Versions{1, 9}); got != "r2" {
		t.Fatalf("past the bound: %s", got)
	}
	// A salon change renders at once.
	at.Store(int64(510 * time.Millisecond))
	if got := load(Versions{2, 9}); got != "r3" {
		t.Fatalf("salon change: %s", got)
	}
	// Past the bound while a render runs: other readers get the last body
	// without waiting; the renderer's reader gets the new one.
	at.Store(int64(1200 * time.Millisecond))
	started, release := make(chan struct{}), make(chan struct{})
	slow := func(context.Context) (Rendered, error) {
		close(started)
		<-release
		return Rendered{Body: []byte("slow"), TicketsStale: 500 * time.Millisecond}, nil
	}
	done := make(chan string)
	go func() {
		f, _ := cc.Load(ctx, "page", Versions{2, 10}, true, now, slow)
		done <- string(f.Body)
	}()
	<-started
	for range 3 {
		if got := load(Versions{2, 11}); got != "r3" {
			t.Fatalf("while another render runs: %s", got)
		}
	}
	// Not past StaleWhileRendering, though: then readers wait and render.
	at.Store(int64(510*time.Millisecond + StaleWhileRendering))
	waited := make(chan string)
	go func() { waited <- load(Versions{2, 11}) }()
	select {
	case got := <-waited:
		t.Fatalf("a body %s old was served: %s", StaleWhileRendering, got)
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	if got := <-done; got != "slow" {
		t.Fatal(got)
	}
	if got := <-waited; got != "r4" && got != "slow" {
		t.Fatalf("after the wait: %s", got)
	}
	// Without TicketsStale (QR images, calendars) every ticket change renders.
	exact := NewRenderCache(16, 1<<20)
	for i := range 3 {
		f, _ := exact.Load(ctx, "qr", Versions{1, uint64(i)}, true, now, body("q"+strconv.Itoa(i)))
		if string(f.Body) != "q"+strconv.Itoa(i) {
			t.Fatalf("exact body %d: %s", i, f.Body)
		}
	}
}
