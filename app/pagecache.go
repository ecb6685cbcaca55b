package app

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"salon/tickets"
)

// Public pages and QR images are kept in a renderCache of their own, so a
// crowd opening the same link costs one render per change, not one each.
// An entry is fresh while no salon or ticket has changed since it was
// rendered and its time limit has not passed.
const (
	pageCacheEntries = 2048
	pageCacheBytes   = 32 << 20
	// pageTTL is the longest a page is served without a render: pages show
	// "now" in small ways (salons that have ended drop off the listing).
	pageTTL = 10 * time.Second
)

// newPageToken makes what templates get in place of the CSRF token; each
// answer splices the reader's own token in its place. It is random per
// process, so no typed text can contain it.
func newPageToken() string { return "csrf-" + tickets.NewToken() }

// servePage answers an HTML page from the cache when it can; otherwise
// render makes the page (with s.pageToken as the CSRF token) and it is kept
// until until, or pageTTL at most.
func (s *Server) servePage(c *fiber.Ctx, key string, render func() ([]byte, time.Time, error)) error {
	return s.serveCached(c, key, fiber.MIMETextHTMLCharsetUTF8, "no-cache", render)
}

// serveCached is servePage for any content type.
func (s *Server) serveCached(c *fiber.Ctx, key, contentType, cacheControl string, render func() ([]byte, time.Time, error)) error {
	// The versions are read before any data: see storage.Changes.
	v := versions{salons: s.db.SalonsVersion(), tickets: s.db.TicketsVersion()}
	html := contentType == fiber.MIMETextHTMLCharsetUTF8
	f, err := s.pageCache.load(c.UserContext(), key, v, true, time.Now, func(context.Context) (rendered, error) {
		body, until, err := render()
		if limit := time.Now().Add(pageTTL); until.IsZero() || until.After(limit) {
			until = limit
		}
		at := -1
		if html {
			at = bytes.Index(body, []byte(s.pageToken))
		}
		return rendered{body: body, until: until, tokenAt: at}, err
	})
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, contentType)
	c.Set(fiber.HeaderCacheControl, cacheControl)
	at := f.tokenAt
	if at < 0 || !html {
		return c.Send(f.body)
	}
	tok, _ := c.Locals(csrfKey).(string)
	// Appended straight into the response buffer: no copy of the page per
	// reader beyond the one the response needs anyway.
	w := c.Response()
	w.AppendBody(f.body[:at])
	w.AppendBodyString(tok)
	w.AppendBody(f.body[at+len(s.pageToken):])
	return nil
}

// renderBytes executes a page template into bytes.
func (s *Server) renderBytes(name string, data any) ([]byte, error) {
	t, ok := s.pages.sets[name]
	if !ok {
		return nil, errNoPage(name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", data); err != nil {
		return nil, fmt.Errorf("app: render %s: %w", name, err)
	}
	return buf.Bytes(), nil
}
