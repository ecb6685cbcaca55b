package app

import (
	"io/fs"

	"github.com/gofiber/fiber/v2"

	"salon/static"
)

// doorRoutes registers the door scanner page and what it loads. The service
// worker is served from /door/ rather than /static/ because a worker may
// only control pages under its own path: from here it covers every
// /door/{slug} page, so a reload without network still opens the scanner.
func (s *Server) doorRoutes(r fiber.Router) {
	r.Get("/door/sw.js", s.handleDoorServiceWorker)
	r.Get("/door/:slug", s.handleDoorPage)
}

// doorStrings are the texts door.js shows, keyed as in the catalogue. The
// values are placeholder names the script fills in; the server passes them
// as the format arguments so a translation may move them around.
var doorStrings = map[string][]any{
	"door.title":               nil,
	"door.loading":             nil,
	"door.key_label":           nil,
	"door.key_help":            nil,
	"door.key_save":            nil,
	"door.key_rejected":        nil,
	"door.key_forget":          nil,
	"door.camera_start":        nil,
	"door.camera_denied":       nil,
	"door.camera_hint":         nil,
	"door.ok":                  nil,
	"door.already":             nil,
	"door.already_at":          {"{time}"},
	"door.not_confirmed":       nil,
	"door.not_confirmed_help":  nil,
	"door.wrong_salon":         nil,
	"door.wrong_salon_help":    nil,
	"door.invalid":             nil,
	"door.invalid_help":        nil,
	"door.failed":              nil,
	"door.unknown_guest":       nil,
	"door.offline":             nil,
	"door.offline_note":        nil,
	"door.online":              nil,
	"door.queue":               {"{n}"},
	"door.synced":              nil,
	"door.flagged":             {"{name}", "{time}"},
	"door.count":               {"{checked}", "{confirmed}"},
	"door.updated":             {"{time}"},
	"door.no_data":             nil,
	"door.tap":                 nil,
	"door.search_label":        nil,
	"door.search_none":         nil,
	"door.checkin":             nil,
	"door.status_waitlisted":   nil,
	"door.status_cancelled":    nil,
	"door.status_checked_in":   {"{time}"},
	"door.manual_heading":      nil,
	"door.scan_heading":        nil,
	"door.queue_upload_failed": nil,
}

type doorPage struct {
	page
	Slug string
	// Strings are the script's texts in the page's language, written into a
	// JSON block: the page has no inline script, so the CSP holds.
	Strings map[string]string
}

// handleDoorPage serves the scanner page. It holds no guest data itself: the
// page's script fetches that with the door link's token or a staff token,
// so the page is the same for everyone and safe to cache offline.
func (s *Server) handleDoorPage(c *fiber.Ctx) error {
	p := doorPage{page: s.newPage(c, ""), Slug: c.Params("slug")}
	p.Title = p.T("door.title")
	p.Strings = make(map[string]string, len(doorStrings))
	for key, args := range doorStrings {
		p.Strings[key] = p.T(key, args...)
	}
	c.Set(fiber.HeaderCacheControl, "no-cache")
	return s.render(c, fiber.StatusOK, "door", p)
}

// handleDoorServiceWorker serves static/door-sw.js. no-cache makes browsers
// check for a new worker on every visit instead of keeping a stale one.
func (s *Server) handleDoorServiceWorker(c *fiber.Ctx) error {
	b, err := fs.ReadFile(static.FS, "door-sw.js")
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/javascript; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "no-cache")
	return c.Send(b)
}
