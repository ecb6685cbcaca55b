package events

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// benchFeed is 1,000 salons over two years in three zones, with
// descriptions of a realistic length in Chinese and English.
func benchFeed() []FeedEntry {
	zones := []string{"Asia/Shanghai", "Europe/Berlin", "America/New_York"}
	entries := make([]FeedEntry, 1000)
	for i := range entries {
		s := fintechSalon()
		s.ID = int64(1000 + i)
		s.Slug = "salon-" + strconv.Itoa(i)
		s.Title = "Salon " + strconv.Itoa(i) + ": 创业者, founders; friends"
		s.Description = strings.Repeat("创业者沙龙, an evening of talk; ", 20)
		s.Timezone = zones[i%len(zones)]
		s.StartsAt = s.StartsAt.Add(time.Duration(i) * 17 * time.Hour)
		s.EndsAt = s.StartsAt.Add(150 * time.Minute)
		s.Sequence = i % 7
		entries[i] = FeedEntry{Salon: s}
	}
	return entries
}

func BenchmarkFeedCalendar1000(b *testing.B) {
	entries := benchFeed()
	b.ReportAllocs()
	var n int
	for b.Loop() {
		n = len(FeedCalendar("Salon", entries, testCalOpts))
	}
	b.ReportMetric(float64(n), "bytes/feed")
}

func BenchmarkSalonCalendar(b *testing.B) {
	s := fintechSalon()
	b.ReportAllocs()
	for b.Loop() {
		SalonCalendar(s, testCalOpts)
	}
}

func BenchmarkSalonCalendarBerlin(b *testing.B) {
	s := berlinSalon()
	b.ReportAllocs()
	for b.Loop() {
		SalonCalendar(s, testCalOpts)
	}
}
