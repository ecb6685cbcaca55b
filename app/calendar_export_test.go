package app

import "sync"

// calendarsOf finds each test server's calendars; production code never
// sets onCalendars, so it keeps no global state.
var calendarsOf sync.Map

func init() {
	onCalendars = func(s *Server, c *calendars) { calendarsOf.Store(s, c) }
}

// CalendarRenders is how many calendar bodies s has rendered, so tests can
// tell a cache hit from a render.
func CalendarRenders(s *Server) int64 {
	c, _ := calendarsOf.Load(s)
	return c.(*calendars).cache.Renders()
}

// CalendarCacheLen is the number of cached calendar bodies of s.
func CalendarCacheLen(s *Server) int {
	c, _ := calendarsOf.Load(s)
	return c.(*calendars).cache.Len()
}
