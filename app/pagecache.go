package app

import (
	"bytes"
	"fmt"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"salon/tickets"
)

// pageCache keeps rendered public pages (the listing, salon pages) so a
// crowd opening the same link costs one render per change, not one each.
// An entry is fresh while no salon or ticket has changed since it was
// rendered and its time limit (the next moment the page would read
// differently on its own, such as an RSVP deadline) has not passed.
type pageCache struct {
	mu      sync.RWMutex
	entries map[string]*cachedPage
	// token is what templates get in place of the CSRF token; each answer
	// splices the reader's own token in its place. It is random per process,
	// so no typed text can contain it.
	token string
}

type cachedPage struct {
	salons, tickets uint64
	contentType     string
	cacheControl    string
	expires         time.Time
	status          int
	body            []byte
	tokenAt         int // index of token in body, or -1
}

// maxCachedPages bounds the cache: past it, the cache starts over.
const maxCachedPages = 2048

// pageTTL is the longest a page is served without a render.
const pageTTL = 10 * time.Second

func newPageCache() *pageCache {
	return &pageCache{entries: map[string]*cachedPage{}, token: "csrf-" + tickets.NewToken()}
}

// versions reads the change counters; callers read them BEFORE the data
// they render, so a write landing in between makes the entry stale.
func (s *Server) versions() (uint64, uint64) { return s.db.SalonsVersion(), s.db.TicketsVersion() }

// servePage answers an HTML page from the cache when it can; otherwise
// render makes the page (with s.pageCache.token as the CSRF token) and it is
// kept until until.
func (s *Server) servePage(c *fiber.Ctx, key string, render func() (status int, body []byte, until time.Time, err error)) error {
	return s.serveCached(c, key, fiber.MIMETextHTMLCharsetUTF8, "no-cache", render)
}

// serveCached is servePage for any content type.
func (s *Server) serveCached(c *fiber.Ctx, key, contentType, cacheControl string, render func() (status int, body []byte, until time.Time, err error)) error {
	sv, tv := s.versions()
	now := time.Now()
	s.pageCache.mu.RLock()
	e := s.pageCache.entries[key]
	s.pageCache.mu.RUnlock()
	if e == nil || e.salons != sv || e.tickets != tv || !now.Before(e.expires) {
		status, body, until, err := render()
		if err != nil {
			return err
		}
		e = &cachedPage{salons: sv, tickets: tv, status: status, body: body, tokenAt: bytes.Index(body, []byte(s.pageCache.token)),
			contentType: contentType, cacheControl: cacheControl}
		e.expires = now.Add(pageTTL)
		if !until.IsZero() && until.Before(e.expires) {
			e.expires = until
		}
		s.pageCache.mu.Lock()
		if len(s.pageCache.entries) >= maxCachedPages {
			s.pageCache.entries = map[string]*cachedPage{}
		}
		s.pageCache.entries[key] = e
		s.pageCache.mu.Unlock()
	}
	c.Set(fiber.HeaderContentType, e.contentType)
	c.Set(fiber.HeaderCacheControl, e.cacheControl)
	c.Status(e.status)
	if e.tokenAt < 0 {
		return c.Send(e.body)
	}
	tok, _ := c.Locals(csrfKey).(string)
	// Appended straight into the response buffer: no copy of the page per
	// reader beyond the one the response needs anyway.
	w := c.Response()
	w.AppendBody(e.body[:e.tokenAt])
	w.AppendBodyString(tok)
	w.AppendBody(e.body[e.tokenAt+len(s.pageCache.token):])
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
