package sqlite_test

import (
	"context"
	"strconv"
	"sync/atomic"
	"testing"

	"salon/storage"
	"salon/storage/storagetest"
	"salon/tickets"
)

// BenchmarkCheckIn measures door scans of distinct confirmed tickets: the
// signature check before the writer, then the decision and the writes in
// it, from 64 goroutines.
func BenchmarkCheckIn(b *testing.B) {
	db := MustOpenDB(b)
	keys := storagetest.MustKeySet(b, db)
	s := MustCreateSalon(b, db, b.N+1, false)
	codes := make([]string, b.N)
	for i := range codes {
		in := tickets.RSVPInput{Name: "Guest", Email: "g" + strconv.Itoa(i) + "@example.com"}
		in.Normalize()
		t, err := db.CreateRSVP(context.Background(), storage.RSVPRequest{Slug: s.Slug, Input: in})
		if err != nil {
			b.Fatal(err)
		}
		codes[i] = keys.Sign(t.Ticket)
	}
	var n atomic.Int64
	b.SetParallelism(32)
	cpu0 := cpuTime()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1) - 1
			res, err := db.CheckIn(context.Background(), storagetest.Verified(keys, storage.CheckinRequest{SalonID: s.ID, Code: codes[i], Device: "bench"}))
			if err != nil {
				b.Fatal(err)
			}
			if res.Result != tickets.CheckinOK {
				b.Fatalf("check-in %d: %s", i, res.Result)
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "checkins/s")
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/op")
}
