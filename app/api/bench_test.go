package api_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"salon/app/internal/apptest"
)

// BenchmarkRSVP_HTTP measures RSVPs through the real HTTP stack and the
// group-commit writer, with synchronous=FULL, from 64 parallel clients over
// 100 salons (the RSVP row of `task bench`, with the client in-process).
func BenchmarkRSVP_HTTP(b *testing.B) {
	ta := apptest.New(b)
	var slugs []string
	for i := 0; i < 100; i++ {
		slugs = append(slugs, ta.Salon(fmt.Sprintf(`"slug":"bench-%d","capacity":600`, i)))
	}
	base := ta.Listen()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var n atomic.Int64
	b.SetParallelism(32)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			body := fmt.Sprintf(`{"name":"Guest %d","email":"g%d@example.com"}`, i, i)
			resp, err := client.Post(base+"/api/v1/salons/"+slugs[i%int64(len(slugs))]+"/rsvps", "application/json", strings.NewReader(body))
			if err != nil {
				b.Fatal(err)
			}
			// Read the body through, or the connection is not reused and
			// the benchmark measures dialling.
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 201 {
				b.Fatalf("status %d", resp.StatusCode)
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rsvps/s")
}

// BenchmarkSalonPage_HTTP measures the public salon page.
func BenchmarkSalonPage_HTTP(b *testing.B) {
	ta := apptest.New(b)
	slug := ta.Salon("")
	base := ta.Listen()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := client.Get(base + "/salons/" + slug)
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				b.Fatalf("status %d", resp.StatusCode)
			}
		}
	})
}
