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

// consoleCSRFHandlerKey is where the console's CSRF handler is kept during a
// request, so sign-in and sign-out can rotate the token.
const consoleCSRFHandlerKey = "console_csrf"

// csrfTTL is how long a form token is good for.
const csrfTTL = 2 * time.Hour

// csrfExpired is what a form with a missing, stale or foreign token gets.
func csrfExpired(*fiber.Ctx, error) error {
	return events.Errorf(events.EFORBIDDEN, "This form has expired; reload the page and try again.")
}

// PublicCSRF guards the public forms (RSVP, cancel) with signed tokens that
// need no store; see signedCSRF.
func (d *Deps) PublicCSRF() fiber.Handler {
	signed := newSignedCSRF(csrfTTL)
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

// ConsoleCSRF is the public forms' CSRF configuration with its own cookie:
// two middleware instances sharing one cookie name would each throw away the
// other's tokens (each keeps its own token store).
func (d *Deps) ConsoleCSRF() fiber.Handler {
	return csrf.New(csrf.Config{
		KeyLookup:         "form:_csrf",
		CookieName:        "salon_console_csrf",
		CookieSecure:      d.Secure,
		CookieHTTPOnly:    true,
		CookieSameSite:    "Lax",
		Expiration:        csrfTTL,
		Storage:           newCSRFStore(csrfTTL),
		ContextKey:        CSRFKey,
		HandlerContextKey: consoleCSRFHandlerKey,
		KeyGenerator:      tickets.NewToken,
		ErrorHandler:      csrfExpired,
	})
}

// RotateCSRF drops the form token at a change of who is signed in, so a
// token seen before login is worthless after it.
func (d *Deps) RotateCSRF(c *fiber.Ctx) {
	if h, ok := c.Locals(consoleCSRFHandlerKey).(*csrf.CSRFHandler); ok {
		if err := h.DeleteToken(c); err != nil {
			d.Log.Warn("rotate csrf token", "err", err)
		}
	}
}
