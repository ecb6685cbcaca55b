package events

import (
	"sort"
	"time"
)

// This file builds VTIMEZONE components from Go's own zone data (embedded
// with time/tzdata), because golang-ical's AddTimezone writes an empty
// component and clients then either guess or show the wrong hour.

// zoneUse collects, per zone, the instants a calendar refers to, so that each
// VTIMEZONE covers exactly the years in use and no more.
type zoneUse struct {
	loc        *time.Location
	first, end time.Time
}

// zoneSet is the zones of one calendar, keyed by TZID.
type zoneSet map[string]*zoneUse

// add records that a DTSTART or DTEND at t is written with loc's TZID.
func (zs zoneSet) add(loc *time.Location, t time.Time) {
	u, ok := zs[loc.String()]
	if !ok {
		zs[loc.String()] = &zoneUse{loc: loc, first: t, end: t}
		return
	}
	if t.Before(u.first) {
		u.first = t
	}
	if t.After(u.end) {
		u.end = t
	}
}

// write writes one VTIMEZONE per zone, sorted by TZID so bodies are stable.
func (zs zoneSet) write(w *icalWriter) {
	names := make([]string, 0, len(zs))
	for name := range zs {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		u := zs[name]
		writeVTimezone(w, u.loc, u.first, u.end)
	}
}

// writeVTimezone writes the zone's rules as explicit observances, one per
// offset change, from the one in force on 1 January of first's year to the
// one in force on 31 December of last's year. Explicit onsets (no RRULE) are
// exact for every zone Go knows, including those whose rules changed
// within the range, and every client in use reads them.
func writeVTimezone(w *icalWriter, loc *time.Location, first, last time.Time) {
	from := time.Date(first.In(loc).Year(), time.January, 1, 0, 0, 0, 0, loc)
	to := time.Date(last.In(loc).Year()+1, time.January, 1, 0, 0, 0, 0, loc)

	w.prop("BEGIN", "VTIMEZONE")
	w.text("TZID", loc.String())
	t := from
	for {
		start, end := t.ZoneBounds()
		writeObservance(w, loc, t, start)
		if end.IsZero() || !end.Before(to) {
			break
		}
		t = end
	}
	w.prop("END", "VTIMEZONE")
}

// writeObservance writes the STANDARD or DAYLIGHT component in force at t,
// which began at onset (zero when it has been in force since the start of
// the zone's records).
func writeObservance(w *icalWriter, loc *time.Location, t, onset time.Time) {
	name, offset := t.In(loc).Zone()
	prevOffset := offset
	var local string
	if onset.IsZero() {
		// In force for as long as records go: any onset before the range
		// will do; 1970 is what most producers use.
		local = "19700101T000000"
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
