package postgres_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"salon/events"
	"salon/storage"
	"salon/storage/postgres/pgtest"
	"salon/tickets"
)

// BenchmarkBurst is the bench's burst on one store: 5,000 RSVPs from 500
// goroutines at once for one salon of 100 seats, reported as RSVPs/s and
// the slowest answer. Each iteration is a new salon, checked to be exact.
func BenchmarkBurst(b *testing.B) {
	const rsvps, workers, seats = 5000, 500, 100
	db := openDB(b, pgtest.URL(b))
	ctx := context.Background()
	var total time.Duration
	var slowest atomic.Int64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		start := time.Now().Add(7 * 24 * time.Hour).Truncate(time.Minute)
		s := &events.Salon{Title: "Burst", Industry: "fintech", StartsAt: start, EndsAt: start.Add(2 * time.Hour),
			Capacity: seats, Waitlist: true, Status: events.StatusPublished}
		if err := db.CreateSalon(ctx, s); err != nil {
			b.Fatal(err)
		}
		var next, confirmed, waitlisted atomic.Int64
		var failed atomic.Value
		var wg sync.WaitGroup
		b.StartTimer()
		began := time.Now()
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					k := next.Add(1)
					if k > rsvps {
						return
					}
					in := tickets.RSVPInput{Name: "Guest", Email: fmt.Sprintf("b%d@example.com", k)}
					in.Normalize()
					t0 := time.Now()
					res, err := db.CreateRSVP(ctx, storage.RSVPRequest{Slug: s.Slug, Input: in})
					raise(&slowest, int64(time.Since(t0)))
					if err != nil {
						failed.Store(err)
						return
					}
					if res.Ticket.Status == tickets.StatusConfirmed {
						confirmed.Add(1)
					} else {
						waitlisted.Add(1)
					}
				}
			}()
		}
		wg.Wait()
		total += time.Since(began)
		b.StopTimer()
		if err, _ := failed.Load().(error); err != nil {
			b.Fatal(err)
		}
		if confirmed.Load() != seats || waitlisted.Load() != rsvps-seats {
			b.Fatalf("%d confirmed and %d waitlisted, want %d and %d", confirmed.Load(), waitlisted.Load(), seats, rsvps-seats)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(rsvps*b.N)/total.Seconds(), "rsvps/s")
	b.ReportMetric(float64(slowest.Load())/1e6, "slowest-ms")
	b.ReportMetric(0, "ns/op")
}

// raise sets max to d when d is above it. A Load then a Store could lower
// it: another goroutine may store a higher value between the two.
func raise(max *atomic.Int64, d int64) {
	for {
		was := max.Load()
		if d <= was || max.CompareAndSwap(was, d) {
			return
		}
	}
}
