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

// Helpers of the VTIMEZONE tests: Go's list of zones, a guard against
// renders that never end, and a reading of VTIMEZONEs as a client does.

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
