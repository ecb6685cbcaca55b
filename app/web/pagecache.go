package web

import (
	"bytes"
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"salon/tickets"
)

// A page cache entry is fresh while no salon or ticket has changed since it
// was rendered and its time limit has not passed. pageTTL is the longest a
// page is served without a render: pages show "now" in small ways (salons
// that have ended drop off the listing).
const pageTTL = 10 * time.Second

// PageTicketsStale is how long the salon page and the listing may show seat
// counts from before the latest RSVPs: each page is rendered again at most
// this often while RSVPs arrive (and readers meanwhile get the last
// render, never a wait), so readers stay cheap during an RSVP storm. Salon
// edits show at once. The counts are never used to decide anything: the
// RSVP itself is decided in the store.
const PageTicketsStale = 500 * time.Millisecond

// newPageToken makes what templates get in place of the CSRF token; each
// answer splices the reader's own token in its place. It is random per
// process, so no typed text can contain it.
func newPageToken() string { return "csrf-" + tickets.NewToken() }

// ServePage answers an HTML page from the cache when it can; otherwise
// render makes the page (with d.PageToken as the CSRF token) and it is kept
// until until, or pageTTL at most.
// Ticket changes show within PageTicketsStale.
func (d *Deps) ServePage(c *fiber.Ctx, key string, render func() ([]byte, time.Time, error)) error {
	return d.serveCached(c, key, fiber.MIMETextHTMLCharsetUTF8, "no-cache", PageTicketsStale, render)
}

// ServeCached is ServePage for any content type, exact: every change of a
// salon or ticket makes the body again.
func (d *Deps) ServeCached(c *fiber.Ctx, key, contentType, cacheControl string, render func() ([]byte, time.Time, error)) error {
	return d.serveCached(c, key, contentType, cacheControl, 0, render)
}

func (d *Deps) serveCached(c *fiber.Ctx, key, contentType, cacheControl string, ticketsStale time.Duration,
	render func() ([]byte, time.Time, error)) error {
	// The versions are read before any data: see storage.Changes.
	v := Versions{Salons: d.DB.SalonsVersion(), Tickets: d.DB.TicketsVersion()}
	html := contentType == fiber.MIMETextHTMLCharsetUTF8
	f, err := d.Pages.Load(c.UserContext(), key, v, true, time.Now, func(context.Context) (Rendered, error) {
		body, until, err := render()
		if limit := time.Now().Add(pageTTL); until.IsZero() || until.After(limit) {
			until = limit
		}
		at := -1
		if html {
			at = bytes.Index(body, []byte(d.PageToken))
		}
		return Rendered{Body: body, Until: until, TokenAt: at, TicketsStale: ticketsStale}, err
	})
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, contentType)
	c.Set(fiber.HeaderCacheControl, cacheControl)
	at := f.TokenAt
	if at < 0 || !html {
		return c.Send(f.Body)
	}
	tok, _ := c.Locals(CSRFKey).(string)
	// Appended straight into the response buffer: no copy of the page per
	// reader beyond the one the response needs anyway.
	w := c.Response()
	w.AppendBody(f.Body[:at])
	w.AppendBodyString(tok)
	w.AppendBody(f.Body[at+len(d.PageToken):])
	return nil
}
