package sqlite

import (
	"context"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"salon/events"
	"salon/storage"
	"salon/tickets"
)

// writerModes are the ways the writer has committed, oldest first, each
// adding one change, so that one run of BenchmarkWriterModes compares them
// side by side on the same machine at the same moment (this machine is
// shared, so figures of separate runs do not compare).
var writerModes = []struct {
	name string
	opts options
}{
	{"full-sync+savepoints", options{fullSync: true, savepoints: true, ckEvery: 25 * time.Millisecond}},
	{"group-commit+savepoints", options{savepoints: true, ckEvery: 25 * time.Millisecond}},
	{"group-commit", options{ckEvery: 25 * time.Millisecond}},
	{"group-commit+ck200ms", options{ckEvery: 200 * time.Millisecond}}, // faster, but a larger WAL: see ckEvery
}

// BenchmarkWriterModes runs BenchmarkCreateRSVP's load (64 goroutines, 100
// salons of 600 seats with a waitlist, durable) through each writer mode.
// Besides RSVPs/s it reports the writer's batch size (RSVPs per WAL sync),
// the CPU per RSVP, and how many batches ran again with savepoints.
func BenchmarkWriterModes(b *testing.B) {
	for _, m := range writerModes {
		b.Run(m.name, func(b *testing.B) {
			db, err := open(context.Background(), filepath.Join(b.TempDir(), "salon.db"), m.opts)
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			benchRSVPs(b, db)
		})
	}
}

func benchRSVPs(b *testing.B, db *DB) {
	ctx := context.Background()
	start := time.Now().Add(7 * 24 * time.Hour).Truncate(time.Minute)
	var salons []string
	for range 100 {
		s := &events.Salon{Title: "Bench", Industry: "fintech", StartsAt: start, EndsAt: start.Add(2 * time.Hour),
			Capacity: 600, Waitlist: true, Status: events.StatusPublished}
		if err := db.CreateSalon(ctx, s); err != nil {
			b.Fatal(err)
		}
		salons = append(salons, s.Slug)
	}
	var n atomic.Int64
	b.SetParallelism(32) // 64 goroutines on 2 cores
	cpu0, commits0, syncs0, reruns0 := benchCPU(), db.ckCommit.Load(), db.syncs.Load(), db.reruns.Load()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			in := tickets.RSVPInput{Name: "Guest " + strconv.FormatInt(i, 10), Email: "g" + strconv.FormatInt(i, 10) + "@example.com",
				Company: "Bench Ltd", JobTitle: "Engineer"}
			in.Normalize()
			if _, err := db.CreateRSVP(ctx, storage.RSVPRequest{Slug: salons[i%100], Input: in}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rsvps/s")
	b.ReportMetric(float64((benchCPU()-cpu0).Microseconds())/float64(b.N), "cpu-µs/op")
	commits := db.ckCommit.Load() - commits0
	if commits > 0 {
		b.ReportMetric(float64(b.N)/float64(commits), "rsvps/commit")
	}
	if s := db.syncs.Load() - syncs0; s > 0 {
		b.ReportMetric(float64(commits)/float64(s), "commits/sync")
	}
	b.ReportMetric(float64(db.reruns.Load()-reruns0), "reruns")
}

// benchCPU is the CPU this process has used, user and system.
func benchCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
