package events

import "time"

// Go's Time.ZoneBounds is exact inside the zone table (which tzdata writes
// out to 2037) but not past it, where Go applies the zone's POSIX rule one
// year at a time: it reports the start of each year as a bound although the
// offset does not change there, and in leap years its year is a day short,
// so on 31 December it returns an end at or before its input. A loop that
// steps from end to end then never finishes. zoneWalker steps over the
// false bounds, steps a day and bisects to the change where ZoneBounds does
// not advance, and counts every lookup against a budget, so each of its
// loops either moves strictly forward or stops, and no input can make it
// run for long.

// zoneState is what an observance is made of: a change in any of these is
// a new STANDARD or DAYLIGHT component.
type zoneState struct {
	name   string
	offset int
	dst    bool
}

// zoneWalker finds the offset changes of one zone.
type zoneWalker struct {
	loc *time.Location
	// steps is how many more lookups the walker may make; when it runs out
	// the walker reports no further changes.
	steps int
}

// state is the zone in force at t.
func (zw *zoneWalker) state(t time.Time) zoneState {
	zw.steps--
	lt := t.In(zw.loc)
	name, offset := lt.Zone()
	return zoneState{name: name, offset: offset, dst: lt.IsDST()}
}

// onset is when the zone in force at t began, or the zero time when it has
// been in force since the zone's records begin.
func (zw *zoneWalker) onset(t time.Time) time.Time {
	cur := zw.state(t)
	at := t
	for zw.steps > 0 {
		zw.steps--
		start, _ := at.ZoneBounds()
		switch {
		case start.IsZero():
			return time.Time{}
		case start.After(at):
			// ZoneBounds going the wrong way: t is a safe onset, as
			// the state is the same from it to the changes walked next.
			return t
		case zw.state(start.Add(-time.Second)) != cur:
			return start
		}
		at = start.Add(-time.Second) // a year's start, not a change
	}
	return t
}

// next is the first instant after t and before limit at which the zone in
// force differs from the one at t; ok is false when there is none.
func (zw *zoneWalker) next(t, limit time.Time) (change time.Time, ok bool) {
	cur := zw.state(t)
	at := t
	last := limit.Add(-time.Second)
	for zw.steps > 0 {
		zw.steps--
		_, end := at.ZoneBounds()
		switch {
		case end.IsZero():
			// Go returns no end only where its lookup gives this
			// same zone for every later instant (no rule, or a rule
			// without DST), so its own conversions agree.
			return time.Time{}, false
		case !end.After(at):
			// ZoneBounds is stuck. Step a day and look for the change
			// in it: this happens only past Go's table, where rules
			// change the offset at most twice a year, months apart,
			// so a day cannot hold a change and its undoing.
			if end = at.Add(24 * time.Hour); end.After(last) {
				end = last
			}
			if !end.After(at) {
				return time.Time{}, false
			}
			if zw.state(end) != cur {
				return zw.bisect(at, end, cur), true
			}
		case !end.Before(limit):
			return time.Time{}, false
		case zw.state(end) != cur:
			return end, true
		}
		at = end // a year's start, or a day stepped, not a change
	}
	return time.Time{}, false
}

// bisect narrows [lo, hi], where the zone is cur at lo and not at hi, to the
// second the change happens. Zone changes fall on whole seconds.
func (zw *zoneWalker) bisect(lo, hi time.Time, cur zoneState) time.Time {
	l, h := lo.Unix(), hi.Unix()
	for h-l > 1 {
		mid := l + (h-l)/2
		if zw.state(time.Unix(mid, 0)) == cur {
			l = mid
		} else {
			h = mid
		}
	}
	return time.Unix(h, 0).In(zw.loc)
}
