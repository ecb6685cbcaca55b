package app

// OnPasswordCheck makes s call f before every password verification it runs.
func OnPasswordCheck(s *Server, f func()) { s.d.OnPasswordCheck.Store(&f) }
