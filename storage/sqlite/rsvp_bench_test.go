package sqlite_test

import (
	"context"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"salon/events"
	"salon/storage"
	"salon/tickets"
)

// BenchmarkCreateRSVP measures RSVPs through the single writer with
// synchronous=FULL from 64 goroutines over 100 salons, the shape of the
// RSVP row of `task bench` without HTTP. Past its seats a salon waitlists,
// so both decisions are measured.
func BenchmarkCreateRSVP(b *testing.B) { benchmarkRSVPs(b, "") }

// BenchmarkCreateRSVP_LongSalons is BenchmarkCreateRSVP with salons
// described as real ones are, in a few paragraphs (about 3 KB): the RSVPs
// must not slow down for it, since they change only the salons' counts.
func BenchmarkCreateRSVP_LongSalons(b *testing.B) {
	benchmarkRSVPs(b, strings.Repeat("An evening of short talks and long conversations. ", 60))
}

func benchmarkRSVPs(b *testing.B, description string) {
	db := MustOpenDB(b)
	var salons []*events.Salon
	for range 100 {
		s := MustCreateSalon(b, db, 600, true)
		if description != "" {
			if _, err := db.UpdateSalon(context.Background(), s.ID, events.SalonUpdate{Description: &description}); err != nil {
				b.Fatal(err)
			}
		}
		salons = append(salons, s)
	}
	var n atomic.Int64
	b.SetParallelism(32) // 64 goroutines on 2 cores
	cpu0, w0 := cpuTime(), writtenBytes()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			in := tickets.RSVPInput{Name: "Guest " + strconv.FormatInt(i, 10), Email: "g" + strconv.FormatInt(i, 10) + "@example.com",
				Company: "Bench Ltd", JobTitle: "Engineer"}
			in.Normalize()
			if _, err := db.CreateRSVP(context.Background(), storage.RSVPRequest{Slug: salons[i%100].Slug, Input: in}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rsvps/s")
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/op")
	b.ReportMetric(float64(writtenBytes()-w0)/1024/float64(b.N), "written-KiB/op")
}

// writtenBytes is what this process has passed to write calls (WAL frames,
// checkpoints), from /proc/self/io; 0 where there is no such file.
func writtenBytes() int64 {
	data, err := os.ReadFile("/proc/self/io")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "wchar: "); ok {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
	}
	return 0
}

// cpuTime is the CPU this process has used, user and system: on a machine
// shared with other work it varies much less than throughput does.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
