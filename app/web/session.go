package web

import (
	"net/url"
	"slices"
	"time"

	"github.com/gofiber/fiber/v2"

	"salon/events"
	"salon/storage"
)

// Console sessions: a random 256-bit id in the salon_session cookie, and
// only its SHA-256 in the sessions table. A session ends after sessionTTL
// whatever happens, or after sessionIdle without a request.
const (
	SessionCookie = "salon_session"
	SessionTTL    = 12 * time.Hour
	sessionIdle   = 2 * time.Hour
	// sessionTouchEvery spares a write on every page: last-seen only needs
	// to be as precise as the idle timeout is long.
	sessionTouchEvery = 5 * time.Minute
)

// SetSessionCookie gives the browser its session id. HttpOnly keeps it from
// scripts; Lax keeps it off cross-site POSTs; Secure whenever the site is
// served over https.
func (d *Deps) SetSessionCookie(c *fiber.Ctx, id string, expires time.Time) {
	c.Cookie(&fiber.Cookie{
		Name:     SessionCookie,
		Value:    id,
		Path:     "/",
		Expires:  expires,
		Secure:   d.Secure,
		HTTPOnly: true,
		SameSite: fiber.CookieSameSiteLaxMode,
	})
}

// ClearSessionCookie tells the browser to drop its session id.
func (d *Deps) ClearSessionCookie(c *fiber.Ctx) {
	d.SetSessionCookie(c, "", time.Unix(1, 0))
}

// currentSession returns the user of the session cookie, or nil. Expired and
// idle sessions are ended here.
func (d *Deps) currentSession(c *fiber.Ctx) (*events.User, error) {
	id := c.Cookies(SessionCookie)
	if id == "" {
		return nil, nil
	}
	ctx := c.UserContext()
	sess, err := d.findSession(c, id)
	if events.ErrorCode(err) == events.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	now := d.DB.Now()
	if now.Sub(sess.LastSeenAt) > sessionIdle {
		if err := d.DB.DeleteSession(ctx, id); err != nil {
			return nil, err
		}
		return nil, nil
	}
	if now.Sub(sess.LastSeenAt) > sessionTouchEvery {
		if err := d.DB.TouchSession(ctx, id); err != nil {
			return nil, err
		}
	}
	return sess.User, nil
}

// sessionLookup is one request's answer from the store for its session
// cookie, kept in the request's locals.
type sessionLookup struct {
	sess *storage.Session
	err  error
}

const sessionLocal = "web.session"

// findSession looks the session up once per request: the console's CSRF
// check and RequireSession both need it, and a second read would only
// repeat the first.
func (d *Deps) findSession(c *fiber.Ctx, id string) (*storage.Session, error) {
	if l, ok := c.Locals(sessionLocal).(*sessionLookup); ok {
		return l.sess, l.err
	}
	sess, err := d.DB.FindSession(c.UserContext(), id)
	c.Locals(sessionLocal, &sessionLookup{sess, err})
	return sess, err
}

// RequireSession lets a request through only with a live console session.
// It never looks at Authorization headers, and the API never looks at this
// cookie, so neither kind of credential can stand in for the other.
func (d *Deps) RequireSession(c *fiber.Ctx) error {
	u, err := d.currentSession(c)
	if err != nil {
		return err
	}
	// Console pages show attendees' data: never keep them in any cache.
	c.Set(fiber.HeaderCacheControl, "no-store")
	if u == nil {
		if c.Cookies(SessionCookie) != "" {
			d.ClearSessionCookie(c)
		}
		if c.Method() == fiber.MethodGet || c.Method() == fiber.MethodHead {
			return c.Redirect("/login?next="+url.QueryEscape(c.OriginalURL()), fiber.StatusSeeOther)
		}
		return events.Errorf(events.EUNAUTHORIZED, "Please sign in again.")
	}
	setUser(c, u, "")
	return c.Next()
}

// RequireRole lets through only accounts with one of roles; it must follow
// RequireSession.
func RequireRole(roles ...string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if u := CurrentUser(c); u == nil || !slices.Contains(roles, u.Role) {
			return events.Errorf(events.EFORBIDDEN, "Your account may not open this page.")
		}
		return c.Next()
	}
}
