package web

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"salon/events"
	"salon/tickets"
)

// consoleCSRFCookie is the console's form token cookie, apart from the
// public forms' so that neither overwrites the other's token.
const consoleCSRFCookie = "salon_console_csrf"

// ConsoleCSRF guards the console's forms with the public forms' signed
// double-submit tokens (see signedCSRF) under a key of their own, each also
// bound to the browser's console session: a token made before sign-in does
// not pass after it, and one of a session that sign-out ended (on any
// process: the session lives in the database) passes nowhere. Nothing is
// kept in process memory, so any process accepts any process's form.
func (d *Deps) ConsoleCSRF() fiber.Handler {
	signed := newSignedCSRF(tickets.DeriveKey(d.DB.Key(), consoleCSRFPurpose), csrfTTL)
	return func(c *fiber.Ctx) error {
		bind, err := d.liveSessionID(c)
		if err != nil {
			return err
		}
		tok := c.Cookies(consoleCSRFCookie)
		switch c.Method() {
		case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions, fiber.MethodTrace:
		default:
			if c.Protocol() == "https" && !refererIsHost(c) {
				return csrfExpired(c, nil)
			}
			if tok == "" || !tickets.SameToken(c.FormValue("_csrf"), tok) || !signed.validFor(tok, bind) {
				return csrfExpired(c, nil)
			}
		}
		if !signed.validFor(tok, bind) {
			tok = signed.newTokenFor(bind)
			c.Cookie(d.consoleCSRFCookie(tok, int(csrfTTL.Seconds())))
		}
		c.Locals(CSRFKey, tok)
		return c.Next()
	}
}

// liveSessionID is the browser's console session id when that session is
// in the database, or "": a token is bound to a session only while it
// lives, so one from before a sign-out is refused even with the ended
// session's cookie replayed.
func (d *Deps) liveSessionID(c *fiber.Ctx) (string, error) {
	id := c.Cookies(SessionCookie)
	if id == "" {
		return "", nil
	}
	_, err := d.findSession(c, id)
	if events.ErrorCode(err) == events.ENOTFOUND {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return id, nil
}

func (d *Deps) consoleCSRFCookie(tok string, maxAge int) *fiber.Cookie {
	return &fiber.Cookie{Name: consoleCSRFCookie, Value: tok, Path: "/", MaxAge: maxAge,
		Secure: d.Secure, HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode}
}

// refererIsHost is Fiber's CSRF check over https: a form must come from a
// page of this site.
func refererIsHost(c *fiber.Ctx) bool {
	ref, err := url.Parse(strings.ToLower(c.Get(fiber.HeaderReferer)))
	return err == nil && ref.Scheme == c.Protocol() && ref.Host == c.Hostname()
}
