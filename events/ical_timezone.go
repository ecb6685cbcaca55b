package events

import (
	"sort"
	"time"
)

// This file builds VTIMEZONE components from Go's own zone data (embedded
// with time/tzdata), because golang-ical's AddTimezone writes an empty
// component and clients then either guess or show the wrong hour.

// Bounds on the VTIMEZONEs of one calendar. Salon times are not limited to
// any range of years, so without them a feed could be made as large, and as
// slow to render, as its salons' spread of years. Real calendars come
// nowhere near: a zone with DST needs two observances a year in use.
const (
	// maxObservances is the most STANDARD and DAYLIGHT components in
	// one VTIMEZONE.
	maxObservances = 500
	// maxCalendarObservances is the most in all VTIMEZONEs of one
	// calendar; each VTIMEZONE still gets the one in force at its first
	// year, as a TZID must have a VTIMEZONE with at least one.
	maxCalendarObservances = 2000
	// maxVTimezoneLookups is how many zone lookups one VTIMEZONE may
	// take (five hundred observances take about 3,000), and
	// maxZoneLookups all of a calendar's. Past Go's zone table a lookup
	// takes about a microsecond.
	maxVTimezoneLookups = 1 << 13
	maxZoneLookups      = 1 << 15
)

// zoneUse collects, per zone, the years a calendar refers to, so that each
// VTIMEZONE covers exactly the years in use and no more.
type zoneUse struct {
	loc   *time.Location
	years map[int]struct{}
}

// zoneSet is the zones of one calendar, keyed by TZID.
type zoneSet map[string]*zoneUse

// add records that a DTSTART or DTEND at t is written with loc's TZID.
func (zs zoneSet) add(loc *time.Location, t time.Time) {
	u, ok := zs[loc.String()]
	if !ok {
		u = &zoneUse{loc: loc, years: map[int]struct{}{}}
		zs[loc.String()] = u
	}
	u.years[t.In(loc).Year()] = struct{}{}
}

// write writes one VTIMEZONE per zone, sorted by TZID so bodies are stable.
func (zs zoneSet) write(w *icalWriter) {
	names := make([]string, 0, len(zs))
	for name := range zs {
		names = append(names, name)
	}
	sort.Strings(names)
	budget := zoneBudget{observances: maxCalendarObservances, lookups: maxZoneLookups}
	for _, name := range names {
		u := zs[name]
		years := make([]int, 0, len(u.years))
		for y := range u.years {
			years = append(years, y)
		}
		sort.Ints(years)
		writeVTimezone(w, u.loc, years, &budget)
	}
}

// zoneBudget is what is left of a calendar's bounds on its VTIMEZONEs.
type zoneBudget struct {
	observances, lookups int
}

// writeVTimezone writes the zone's rules as explicit observances, one per
// change, over each run of consecutive years in years (sorted): from the
// one in force on 1 January of the run's first year to the last change
// before the next year after it. Explicit onsets (no RRULE) are exact for
// every zone Go knows, including those whose rules changed within the
// range, and every client in use reads them. Years between runs are left
// out: no event is in them, and a salon in 2026 and another in 3026 must
// not cost a thousand years of observances.
func writeVTimezone(w *icalWriter, loc *time.Location, years []int, b *zoneBudget) {
	w.prop("BEGIN", "VTIMEZONE")
	w.text("TZID", loc.String())
	zw := zoneWalker{loc: loc, steps: min(b.lookups, maxVTimezoneLookups)}
	steps := zw.steps
	written := 0
	var last time.Time // onset of the last observance written
	for i := 0; i < len(years); {
		j := i + 1
		for j < len(years) && years[j] == years[j-1]+1 {
			j++
		}
		from := time.Date(years[i], time.January, 1, 0, 0, 0, 0, loc)
		to := time.Date(years[j-1]+1, time.January, 1, 0, 0, 0, 0, loc)
		i = j
		if written > 0 && (written >= maxObservances || b.observances <= 0 || zw.steps <= 0) {
			break
		}
		if onset := zw.onset(from); written == 0 || !onset.Equal(last) {
			writeObservance(w, loc, from, onset, from)
			written++
			b.observances--
			last = onset
		}
		for at := from; written < maxObservances && b.observances > 0; {
			change, ok := zw.next(at, to)
			if !ok {
				break
			}
			writeObservance(w, loc, change, change, from)
			written++
			b.observances--
			at, last = change, change
		}
	}
	b.lookups -= steps - max(zw.steps, 0)
	w.prop("END", "VTIMEZONE")
}

// writeObservance writes the STANDARD or DAYLIGHT component in force at t,
// which began at onset (zero when it has been in force since the start of
// the zone's records; from is the start of the range written).
func writeObservance(w *icalWriter, loc *time.Location, t, onset, from time.Time) {
	name, offset := t.In(loc).Zone()
	prevOffset := offset
	var local string
	if onset.IsZero() {
		// In force for as long as records go: any onset before the range
		// will do; 1970 is what most producers use.
		local = "19700101T000000"
		if from.Year() < 1970 {
			local = time.Date(from.Year(), time.January, 1, 0, 0, 0, 0, time.UTC).Format(icalLocal)
		}
	} else {
		_, prevOffset = onset.Add(-time.Second).In(loc).Zone()
		// DTSTART of an observance is local time in the offset it replaces.
		local = onset.UTC().Add(time.Duration(prevOffset) * time.Second).Format(icalLocal)
	}
	kind := "STANDARD"
	if t.In(loc).IsDST() {
		kind = "DAYLIGHT"
	}
	w.prop("BEGIN", kind)
	w.prop("DTSTART", local)
	w.prop("TZOFFSETFROM", utcOffset(prevOffset))
	w.prop("TZOFFSETTO", utcOffset(offset))
	if name != "" {
		w.text("TZNAME", name)
	}
	w.prop("END", kind)
}

// wallTime returns how t is written with a TZID in loc, and false when that
// local time occurs twice (the hour repeated when DST ends). RFC 5545 3.3.5
// says such a time means the first occurrence, but parsers disagree (ical.js
// takes the second), so both are written in UTC instead, which every parser
// reads alike.
func wallTime(t time.Time, loc *time.Location) (string, bool) {
	t = t.Truncate(time.Second) // iCalendar has no fractions of a second
	lt := t.In(loc)
	wall := time.Date(lt.Year(), lt.Month(), lt.Day(), lt.Hour(), lt.Minute(), lt.Second(), 0, time.UTC)
	// Another instant with this wall time is at most one offset change away;
	// try the offsets in force a day either side.
	for _, probe := range []time.Time{t.Add(-24 * time.Hour), t.Add(24 * time.Hour)} {
		_, off := probe.In(loc).Zone()
		cand := wall.Add(-time.Duration(off) * time.Second)
		if cand.Equal(t) {
			continue
		}
		cl := cand.In(loc)
		if cl.Year() == lt.Year() && cl.YearDay() == lt.YearDay() &&
			cl.Hour() == lt.Hour() && cl.Minute() == lt.Minute() && cl.Second() == lt.Second() {
			return "", false
		}
	}
	return lt.Format(icalLocal), true
}
