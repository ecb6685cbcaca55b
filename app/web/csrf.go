package web

import (
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/csrf"

	"salon/events"
	"salon/tickets"
)

// CSRFKey is where the CSRF middleware leaves the request's form token;
// NewPage puts it in every page.
const CSRFKey = "csrf"

// csrfTTL is how long a form token is good for.
const csrfTTL = 2 * time.Hour

// csrfExpired is what a form with a missing, stale or foreign token gets.
func csrfExpired(*fiber.Ctx, error) error {
	return events.Errorf(events.EFORBIDDEN, "This form has expired; reload the page and try again.")
}

// Purposes of the keys derived from the server key for form tokens: every
// process on the database derives the same, so a form rendered by one is
// accepted by another.
const (
	publicCSRFPurpose  = "csrf-v1"
	consoleCSRFPurpose = "console-csrf-v1"
)

// PublicCSRF guards the public forms (RSVP, cancel) with signed tokens that
// need no store; see signedCSRF.
func (d *Deps) PublicCSRF() fiber.Handler {
	signed := newSignedCSRF(tickets.DeriveKey(d.DB.Key(), publicCSRFPurpose), csrfTTL)
	return csrf.New(csrf.Config{
		KeyLookup:      "form:_csrf",
		CookieName:     "salon_csrf",
		CookieSecure:   d.Secure,
		CookieHTTPOnly: true,
		CookieSameSite: "Lax",
		Expiration:     csrfTTL,
		Storage:        signed,
		ContextKey:     CSRFKey,
		KeyGenerator:   signed.NewToken,
		ErrorHandler:   csrfExpired,
	})
}

// RotateCSRF drops the console's form token at a change of who is signed
// in. The token is bound to the session, so it would fail after the change
// anyway; dropping the cookie makes the next page issue a fresh one.
func (d *Deps) RotateCSRF(c *fiber.Ctx) {
	c.Cookie(d.consoleCSRFCookie("", -1))
}
