package door_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"salon/app"
	"salon/app/internal/apptest"
	"salon/storage"
	"salon/tickets"
)

// BenchmarkCheckin_HTTP measures check-ins of distinct tickets through HTTP:
// signature verification, the single writer and the scan log.
func BenchmarkCheckin_HTTP(b *testing.B) {
	ta := apptest.New(b)
	slug := ta.Salon(`"capacity":100000`)
	sa, _ := ta.DB.FindSalonBySlug(context.Background(), slug)
	keys, err := app.LoadKeySet(context.Background(), ta.DB)
	if err != nil {
		b.Fatal(err)
	}
	codes := make([]string, b.N)
	for i := range codes {
		in := tickets.RSVPInput{Name: "Guest", Email: fmt.Sprintf("g%d@example.com", i)}
		t, err := ta.DB.CreateRSVP(context.Background(), storage.RSVPRequest{Slug: sa.Slug, Input: in})
		if err != nil {
			b.Fatal(err)
		}
		codes[i] = keys.Sign(t.Ticket)
	}
	base := ta.Listen()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var n atomic.Int64
	b.SetParallelism(16)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1) - 1
			req, _ := http.NewRequest("POST", base+"/api/v1/salons/"+slug+"/checkins", strings.NewReader(`{"code":"`+codes[i]+`"}`))
			req.Header.Set("Authorization", "Bearer "+ta.Staff)
			req.Header.Set("Content-Type", "application/json")
			resp, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				b.Fatalf("status %d", resp.StatusCode)
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "checkins/s")
}
