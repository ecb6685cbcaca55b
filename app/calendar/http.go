package calendar

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"salon/app/web"
)

// calendarKind says how a calendar may be cached, by whom, and what data
// it follows.
type calendarKind struct {
	// cacheControl: public files may sit in shared caches; personal ones
	// carry a secret token in their URL and must not.
	cacheControl string
	// tickets: the body shows ticket states, so ticket changes make it stale.
	tickets bool
}

var (
	calendarPublic   = calendarKind{cacheControl: "public, max-age=300"}
	calendarPersonal = calendarKind{cacheControl: "private, max-age=300", tickets: true}
)

// calendarContentType is the iCalendar media type (RFC 5545 section 8.1).
const calendarContentType = "text/calendar; charset=utf-8"

// serve answers a calendar request from the cache, rendering on a miss.
// A fresh hit reads the store's two change counters (kept in memory and
// read from the file at most every 100 ms) and a map under a read lock, so
// a client polling with If-None-Match costs next to nothing.
func (cal *Calendar) serve(c *fiber.Ctx, key string, kind calendarKind,
	render func(context.Context) (web.Rendered, error)) error {
	// The versions are read before any data: see storage.Changes.
	v := web.Versions{Salons: cal.db.SalonsVersion(), Tickets: cal.db.TicketsVersion()}
	// load answers a fresh entry itself before rendering anything.
	f, err := cal.cache.Load(c.UserContext(), key, v, kind.tickets, cal.db.Now, render)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderETag, f.ETag)
	c.Set(fiber.HeaderLastModified, f.LastModHTTP)
	c.Set(fiber.HeaderCacheControl, kind.cacheControl)
	if notModified(c, f) {
		c.Response().ResetBody()
		c.Status(fiber.StatusNotModified)
		return nil
	}
	c.Set(fiber.HeaderContentType, calendarContentType)
	if f.Disposition != "" {
		c.Set(fiber.HeaderContentDisposition, f.Disposition)
	}
	// The body is shared by every request and never written to, so it is
	// handed over without a copy.
	return c.Send(f.Body)
}

// notModified applies RFC 9110's conditional GET: If-None-Match decides
// when present (weak comparison, as that section requires), otherwise
// If-Modified-Since at one-second precision.
func notModified(c *fiber.Ctx, f *web.CachedFile) bool {
	if inm := c.Get(fiber.HeaderIfNoneMatch); inm != "" {
		return etagListMatches(inm, f.ETag)
	}
	ims := c.Get(fiber.HeaderIfModifiedSince)
	if ims == "" {
		return false
	}
	t, err := http.ParseTime(ims)
	if err != nil {
		return false
	}
	return !f.LastModified.After(t.Truncate(time.Second))
}

// etagListMatches reports whether an If-None-Match list names etag or is "*".
func etagListMatches(list, etag string) bool {
	for list != "" {
		var tag string
		tag, list, _ = strings.Cut(list, ",")
		tag = strings.TrimSpace(tag)
		if tag == "*" || strings.TrimPrefix(tag, "W/") == etag {
			return true
		}
	}
	return false
}
