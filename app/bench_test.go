package app_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// BenchmarkRSVP_HTTP measures RSVPs through the real HTTP stack and the
// group-commit writer, with synchronous=FULL, from parallel clients.
func BenchmarkRSVP_HTTP(b *testing.B) {
	ta := newTestApp(b)
	var slugs []string
	for i := 0; i < 10; i++ {
		slugs = append(slugs, ta.salon(fmt.Sprintf(`"slug":"bench-%d","capacity":100000`, i)))
	}
	base := ta.listen()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var n atomic.Int64
	b.SetParallelism(16)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			body := fmt.Sprintf(`{"name":"Guest %d","email":"g%d@example.com"}`, i, i)
			resp, err := client.Post(base+"/api/v1/salons/"+slugs[i%int64(len(slugs))]+"/rsvps", "application/json", strings.NewReader(body))
			if err != nil {
				b.Fatal(err)
			}
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
	ta := newTestApp(b)
	slug := ta.salon("")
	base := ta.listen()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := client.Get(base + "/salons/" + slug)
			if err != nil {
				b.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				b.Fatalf("status %d", resp.StatusCode)
			}
		}
	})
}
