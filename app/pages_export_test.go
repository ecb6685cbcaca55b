package app

// PageRenders is how many public pages (and QR images) s has rendered, so
// tests can tell a cache hit from a render.
func PageRenders(s *Server) int64 { return s.d.Pages.Renders() }
