package events

import (
	"archive/zip"
	"bytes"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
)

// renderDeadline is far beyond any honest render, even under -race on a
// busy machine; only a render that never ends reaches it.
const renderDeadline = 5 * time.Second

// renderBounded runs render and ends the test process if it does not
// return in time: a looping render cannot be stopped from outside, and left
// running it would eat the machine's memory while the other tests go on.
func renderBounded(what string, render func() []byte) []byte {
	done := make(chan []byte, 1)
	go func() { done <- render() }()
	select {
	case b := <-done:
		return b
	case <-time.After(renderDeadline):
		panic(what + ": calendar render did not finish within " + renderDeadline.String())
	}
}

var (
	zoneNamesOnce sync.Once
	zoneNamesList []string
	zoneNamesErr  string
)

// allZoneNames lists every zone in Go's own database (the zip that
// time/tzdata embeds a copy of), so the test does not depend on the
// machine's tzdata.
func allZoneNames(tb testing.TB) []string {
	tb.Helper()
	zoneNamesOnce.Do(func() {
		root := runtime.GOROOT()
		if out, err := exec.Command("go", "env", "GOROOT").Output(); err == nil {
			root = strings.TrimSpace(string(out))
		}
		zr, err := zip.OpenReader(filepath.Join(root, "lib", "time", "zoneinfo.zip"))
		if err != nil {
			zoneNamesErr = err.Error()
			return
		}
		defer zr.Close()
		for _, f := range zr.File {
			if strings.HasSuffix(f.Name, "/") {
				continue
			}
			if _, err := LoadZone(f.Name); err == nil {
				zoneNamesList = append(zoneNamesList, f.Name)
			}
		}
		sort.Strings(zoneNamesList)
	})
	if zoneNamesErr != "" {
		tb.Fatalf("listing Go's zones: %s", zoneNamesErr)
	}
	if len(zoneNamesList) < 300 {
		tb.Fatalf("only %d zones in Go's database", len(zoneNamesList))
	}
	return zoneNamesList
}

// observance is one STANDARD or DAYLIGHT component as a client reads it.
type observance struct {
	onset    time.Time // UTC
	from, to int       // seconds east of UTC
	daylight bool
	fake     bool // the "since records began" onset, which Go has no instant for
}

// parseUTCOffset reads an RFC 5545 UTC-OFFSET (+HHMM or +HHMMSS).
func parseUTCOffset(v string) (int, bool) {
	if (len(v) != 5 && len(v) != 7) || (v[0] != '+' && v[0] != '-') {
		return 0, false
	}
	n := 0
	for i, mul := 1, []int{3600, 60, 1}; i < len(v); i += 2 {
		d, err := strconv.Atoi(v[i : i+2])
		if err != nil {
			return 0, false
		}
		n += d * mul[(i-1)/2]
	}
	if v[0] == '-' {
		n = -n
	}
	return n, true
}

// parsedZone is a calendar's VTIMEZONE read back with golang-ical.
type parsedZone struct {
	tzid string
	obs  []observance // by onset
}

// offsetAt is the offset the VTIMEZONE gives at instant t: that of the
// observance with the latest onset not after t.
func (z parsedZone) offsetAt(t time.Time) (observance, bool) {
	i := sort.Search(len(z.obs), func(i int) bool { return z.obs[i].onset.After(t) })
	if i == 0 {
		return observance{}, false
	}
	return z.obs[i-1], true
}

// parseZones parses body with golang-ical and returns its VTIMEZONEs.
func parseZones(tb testing.TB, body []byte) (*ics.Calendar, map[string]parsedZone) {
	tb.Helper()
	cal, err := ics.ParseCalendar(bytes.NewReader(body))
	if err != nil {
		tb.Fatalf("golang-ical cannot parse the calendar: %v", err)
	}
	zones := map[string]parsedZone{}
	for _, tz := range cal.Timezones() {
		p := tz.GetProperty(ics.ComponentPropertyTzid)
		if p == nil {
			tb.Fatal("VTIMEZONE without TZID")
		}
		z := parsedZone{tzid: p.Value}
		for _, c := range tz.Components {
			var base *ics.ComponentBase
			var daylight bool
			switch c := c.(type) {
			case *ics.Standard:
				base = &c.ComponentBase
			case *ics.Daylight:
				base, daylight = &c.ComponentBase, true
			default:
				tb.Fatalf("%s: unexpected %T in VTIMEZONE", z.tzid, c)
			}
			get := func(name ics.ComponentProperty) string {
				if p := base.GetProperty(name); p != nil {
					return p.Value
				}
				tb.Fatalf("%s: observance without %s", z.tzid, name)
				return ""
			}
			from, ok1 := parseUTCOffset(get(ics.ComponentProperty(ics.PropertyTzoffsetfrom)))
			to, ok2 := parseUTCOffset(get(ics.ComponentProperty(ics.PropertyTzoffsetto)))
			local, err := time.Parse(icalLocal, get(ics.ComponentPropertyDtStart))
			if !ok1 || !ok2 || err != nil {
				tb.Fatalf("%s: bad observance %v %v %v", z.tzid, ok1, ok2, err)
			}
			// DTSTART is local time in the offset the observance replaces.
			onset := local.Add(-time.Duration(from) * time.Second)
			z.obs = append(z.obs, observance{onset: onset, from: from, to: to, daylight: daylight,
				fake: get(ics.ComponentPropertyDtStart) == "19700101T000000" && from == to})
		}
		if len(z.obs) == 0 {
			tb.Fatalf("%s: VTIMEZONE without observances", z.tzid)
		}
		for i := 1; i < len(z.obs); i++ {
			if !z.obs[i].onset.After(z.obs[i-1].onset) {
				tb.Fatalf("%s: observance %d starts %v, not after %v", z.tzid, i, z.obs[i].onset, z.obs[i-1].onset)
			}
		}
		zones[z.tzid] = z
	}
	return cal, zones
}

// checkZoneAt fails unless z gives Go's offset (and DST-ness) at t. It is
// called a million times, so it does not mark itself a helper (that walks
// the stack each time).
func checkZoneAt(tb testing.TB, z parsedZone, loc *time.Location, t time.Time, what string) bool {
	ob, ok := z.offsetAt(t)
	lt := t.In(loc)
	_, off := lt.Zone()
	if !ok {
		tb.Errorf("%s %s at %v: no observance in force", z.tzid, what, t)
		return false
	}
	if ob.to != off || ob.daylight != lt.IsDST() {
		tb.Errorf("%s %s at %v: VTIMEZONE says %s daylight=%v, Go says %s daylight=%v",
			z.tzid, what, t.UTC(), utcOffset(ob.to), ob.daylight, utcOffset(off), lt.IsDST())
		return false
	}
	return true
}

// checkZoneFeed renders salons (all in one zone) as one calendar and checks
// its VTIMEZONE against Go at each salon's start and end, around every
// onset it writes in the years in use, and every sampleEvery over them.
func checkZoneFeed(tb testing.TB, salons []*Salon, sampleEvery time.Duration) {
	tb.Helper()
	loc := salons[0].Location()
	body := renderBounded(loc.String()+" "+salons[0].StartsAt.String(), func() []byte {
		if len(salons) == 1 {
			return SalonCalendar(salons[0], zoneCalOpts)
		}
		entries := make([]FeedEntry, len(salons))
		for i, s := range salons {
			entries[i] = FeedEntry{Salon: s}
		}
		return FeedCalendar("zones", entries, zoneCalOpts)
	})
	cal, zones := parseZones(tb, body)
	evs := cal.Events()
	if len(evs) != len(salons) {
		tb.Fatalf("%d events, want %d", len(evs), len(salons))
	}
	z, hasZone := zones[loc.String()]
	if len(zones) > 1 || (loc == time.UTC && hasZone) {
		tb.Fatalf("%d VTIMEZONEs for %s", len(zones), loc)
	}
	years := map[int]bool{}
	for i, s := range salons {
		for _, c := range []struct {
			prop ics.ComponentProperty
			at   time.Time
		}{{ics.ComponentPropertyDtStart, s.StartsAt}, {ics.ComponentPropertyDtEnd, s.EndsAt}} {
			p := evs[i].GetProperty(c.prop)
			if p == nil {
				tb.Fatalf("no %s", c.prop)
			}
			if _, zoned := p.ICalParameters["TZID"]; !zoned {
				continue // written in UTC, where the wall time is ambiguous
			}
			if !hasZone {
				tb.Fatalf("%s has TZID=%s but there is no VTIMEZONE for it", c.prop, loc)
			}
			years[c.at.In(loc).Year()] = true
			if !checkZoneAt(tb, z, loc, c.at, string(c.prop)) {
				continue
			}
			ob, _ := z.offsetAt(c.at)
			wall, err := time.Parse(icalLocal, p.Value)
			if err != nil {
				tb.Fatal(err)
			}
			if got := wall.Add(-time.Duration(ob.to) * time.Second); !got.Equal(c.at.Truncate(time.Second)) {
				tb.Errorf("%s %s %s reads as %v, want %v", loc, c.prop, p.Value, got, c.at.UTC())
			}
		}
	}
	for i, ob := range z.obs {
		if ob.fake || !years[ob.onset.In(loc).Year()] {
			continue
		}
		before := ob.onset.Add(-time.Second).In(loc)
		if _, off := before.Zone(); off != ob.from {
			tb.Errorf("%s observance %d at %v: TZOFFSETFROM %s, Go says %s", loc, i, ob.onset, utcOffset(ob.from), utcOffset(off))
		}
		checkZoneAt(tb, z, loc, ob.onset, "onset")
	}
	if sampleEvery <= 0 {
		return
	}
	bad := 0
	for y := range years {
		to := time.Date(y+1, time.January, 1, 0, 0, 0, 0, loc)
		for at := time.Date(y, time.January, 1, 0, 0, 0, 0, loc); at.Before(to) && bad < 3; at = at.Add(sampleEvery) {
			if !checkZoneAt(tb, z, loc, at, "sample") {
				bad++
			}
		}
	}
}

// zoneCalOpts keeps the events short: these tests parse thousands of
// calendars back, and only their times matter here.
var zoneCalOpts = CalendarOptions{BaseURL: "https://s.example"}

// zoneSalon is a salon in zone from a day of year till 23:30 on 31
// December, the day Go's own bounds stop advancing in leap years past its
// zone table.
func zoneSalon(zone string, year, yday int) *Salon {
	loc := ZoneOrDefault(zone)
	s := berlinSalon()
	s.Title, s.Description, s.Venue, s.Address = "T", "", "", "" // short events parse back quick
	s.Timezone = zone
	s.StartsAt = time.Date(year, time.January, 1+yday, 19, 0, 0, 0, loc).UTC()
	s.EndsAt = time.Date(year, time.December, 31, 23, 30, 0, 0, loc).UTC()
	return s
}

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
// calendar every parser reads, with a VTIMEZONE for each TZID.
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

// countObservances counts the STANDARD and DAYLIGHT components of each
// VTIMEZONE in body, by TZID. (Parsing tens of thousands of events back
// with golang-ical would take longer than the rest of the package's tests;
// TestVTimezoneEveryZone parses.)
func countObservances(body []byte) map[string]int {
	n := map[string]int{}
	tzid := ""
	for _, l := range strings.Split(unfold(string(body)), "\r\n") {
		switch {
		case strings.HasPrefix(l, "TZID:"):
			tzid = l[len("TZID:"):]
			n[tzid] += 0
		case l == "BEGIN:STANDARD" || l == "BEGIN:DAYLIGHT":
			n[tzid]++
		}
	}
	return n
}

// yearsFrom is the years from first to last, every step.
func yearsFrom(first, last, step int) []int {
	var ys []int
	for y := first; y <= last; y += step {
		ys = append(ys, y)
	}
	return ys
}
