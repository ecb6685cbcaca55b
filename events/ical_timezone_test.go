package events

import (
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// testYears spread over Go's zone table (which ends in 2037), its end,
// leap years past it, and far beyond.
var testYears = []int{1970, 2000, 2026, 2037, 2038, 2040, 2044, 2045, 2100, 2200}

// TestVTimezoneEveryZone renders a salon in every zone Go knows for a spread
// of years: each render must finish, parse back, and agree with Go on the
// offset at the salon's times and across its years.
func TestVTimezoneEveryZone(t *testing.T) {
	names := allZoneNames(t)
	workers := runtime.GOMAXPROCS(0)
	jobs := make(chan string)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for zone := range jobs {
				salons := make([]*Salon, len(testYears))
				for i, y := range testYears {
					salons[i] = zoneSalon(zone, y, (len(zone)*37+i*53)%360)
				}
				checkZoneFeed(t, salons, 36*time.Hour)
			}
		}()
	}
	for _, zone := range names {
		if t.Failed() {
			break
		}
		jobs <- zone
	}
	close(jobs)
	wg.Wait()
}

// TestVTimezonePastGoTable checks exact observances in years past the end
// of Go's zone table, where the zone's POSIX rule applies.
func TestVTimezonePastGoTable(t *testing.T) {
	cases := []struct {
		zone       string
		year       int
		want, deny []string
	}{
		{"Europe/Berlin", 2045, []string{
			"BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\nBEGIN:STANDARD\r\nDTSTART:20441030T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\nEND:STANDARD\r\n" +
				"BEGIN:DAYLIGHT\r\nDTSTART:20450326T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\nEND:DAYLIGHT\r\n" +
				"BEGIN:STANDARD\r\nDTSTART:20451029T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n",
		}, nil},
		{"Europe/Berlin", 2040, []string{
			"BEGIN:DAYLIGHT\r\nDTSTART:20400325T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n",
			"BEGIN:STANDARD\r\nDTSTART:20401028T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n",
		}, []string{"20400101", "20401231"}},
		{"America/New_York", 2044, []string{
			"BEGIN:DAYLIGHT\r\nDTSTART:20440313T020000\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nTZNAME:EDT\r\n",
			"BEGIN:STANDARD\r\nDTSTART:20441106T020000\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\n",
		}, []string{"20440101", "20441231"}},
		{"Australia/Sydney", 2048, []string{
			"BEGIN:STANDARD\r\nDTSTART:20480405T030000\r\nTZOFFSETFROM:+1100\r\nTZOFFSETTO:+1000\r\n",
			"BEGIN:DAYLIGHT\r\nDTSTART:20481004T020000\r\nTZOFFSETFROM:+1000\r\nTZOFFSETTO:+1100\r\n",
		}, []string{"20480101", "20481231"}},
	}
	for _, tc := range cases {
		t.Run(tc.zone+"-"+strconv.Itoa(tc.year), func(t *testing.T) {
			s := zoneSalon(tc.zone, tc.year, 150)
			body := renderBounded(t.Name(), func() []byte { return SalonCalendar(s, testCalOpts) })
			got := string(body)
			got = got[strings.Index(got, "BEGIN:VTIMEZONE"):strings.Index(got, "BEGIN:VEVENT")]
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("missing\n%s\nin\n%s", w, got)
				}
			}
			for _, d := range tc.deny {
				if strings.Contains(got, d) {
					t.Errorf("unexpected %q (an observance where the offset does not change) in\n%s", d, got)
				}
			}
			checkZoneFeed(t, []*Salon{s}, time.Hour)
		})
	}
}

// FuzzVTimezone renders a salon at any second of any year from 1 to 9998 in
// any zone Go knows: the render must finish and agree with Go.
func FuzzVTimezone(f *testing.F) {
	names := allZoneNames(f)
	index := func(name string) int { return sort.SearchStrings(names, name) }
	f.Add(index("Europe/Berlin"), 2045, int64(0))
	f.Add(index("Europe/Berlin"), 2040, int64(366*86400-1800))
	f.Add(index("America/New_York"), 2044, int64(200*86400))
	f.Add(index("Australia/Lord_Howe"), 2200, int64(90*86400))
	f.Add(index("Asia/Shanghai"), 1, int64(5))
	f.Add(index("Africa/Casablanca"), 2087, int64(100*86400))
	f.Add(0, 9999, int64(365*86400))
	f.Fuzz(func(t *testing.T, zone, year int, second int64) {
		name := names[(zone%len(names)+len(names))%len(names)]
		year = 1 + ((year-1)%9998+9998)%9998 // DTEND stays within four-digit years
		loc := ZoneOrDefault(name)
		from := time.Date(year, time.January, 1, 0, 0, 0, 0, loc)
		span := time.Date(year+1, time.January, 1, 0, 0, 0, 0, loc).Unix() - from.Unix()
		s := zoneSalon(name, year, 0)
		s.StartsAt = from.Add(time.Duration((second%span+span)%span) * time.Second).UTC()
		s.EndsAt = s.StartsAt.Add(3 * time.Hour)
		checkZoneFeed(t, []*Salon{s}, 0)
	})
}

// TestVTimezoneLongRuns renders a century of yearly salons past Go's zone
// table in zones with DST: one run of years, every leap year's stall, and
// every event still at Go's offset.
func TestVTimezoneLongRuns(t *testing.T) {
	for _, zone := range []string{"Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "America/Santiago"} {
		t.Run(zone, func(t *testing.T) {
			var salons []*Salon
			for y := 2026; y < 2126; y++ {
				salons = append(salons, zoneSalon(zone, y, y%360))
			}
			checkZoneFeed(t, salons, 0)
		})
	}
}

// TestCalendarZoneBounds gives calendars salons in thousands of years and
// hundreds of zones: the render must stay within its bounds and still be a
// well-formed calendar with a VTIMEZONE for each TZID.
func TestCalendarZoneBounds(t *testing.T) {
	names := allZoneNames(t)
	cases := []struct {
		name  string
		zones []string
		years []int
	}{
		{"years to 9998 in four zones", []string{"Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Shanghai"}, yearsFrom(1, 9998, 13)},
		{"every zone in many years", names, yearsFrom(1900, 2400, 71)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var entries []FeedEntry
			for _, zone := range tc.zones {
				for _, y := range tc.years {
					entries = append(entries, FeedEntry{Salon: zoneSalon(zone, y, y%360)})
				}
			}
			body := renderBounded(t.Name(), func() []byte { return FeedCalendar("bounds", entries, zoneCalOpts) })
			checkWellFormed(t, body, len(entries))
			zones := countObservances(body)
			total := 0
			for tzid, n := range zones {
				if n > maxObservances || n == 0 {
					t.Errorf("%s: %d observances, want 1 to %d", tzid, n, maxObservances)
				}
				total += n
			}
			if total > maxCalendarObservances+len(zones) {
				t.Errorf("%d observances in all, more than %d", total, maxCalendarObservances+len(zones))
			}
			if full := zones["Europe/Berlin"] == maxObservances || total >= maxCalendarObservances; !full {
				t.Errorf("%d observances in all: the case does not reach the bounds it tests", total)
			}
			for _, e := range entries {
				if loc := e.Salon.Location(); loc != time.UTC {
					if _, ok := zones[loc.String()]; !ok {
						t.Fatalf("no VTIMEZONE for %s", loc)
					}
				}
			}
		})
	}
}
