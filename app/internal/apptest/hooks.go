package apptest

import "salon/app"

// PageRenders is how many public pages (and QR images) s has rendered, so
// tests can tell a cache hit from a render.
func PageRenders(s *app.Server) int64 { return s.Deps().Pages.Renders() }

// CalendarRenders is how many calendar bodies s has rendered, so tests can
// tell a cache hit from a render.
func CalendarRenders(s *app.Server) int64 { return s.Deps().Calendars.Renders() }

// CalendarCacheLen is the number of cached calendar bodies of s.
func CalendarCacheLen(s *app.Server) int { return s.Deps().Calendars.Len() }

// OnPasswordCheck makes s call f before every password verification it runs.
func OnPasswordCheck(s *app.Server, f func()) { s.Deps().OnPasswordCheck.Store(&f) }
