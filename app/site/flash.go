package site

import (
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/hashicorp/golang-lru/v2/expirable"

	"salon/app/i18n"
	"salon/events"
	"salon/tickets"
)

// A form with errors is answered with a redirect to the salon's own page
// (post/redirect/get), so the address people see, reload and share is the
// salon's, never the form's. What the page must show again (the errors and
// what was typed) waits here, server side, under a random token that only
// the person's browser holds in a cookie: nothing typed travels in a URL or
// a cookie, and it is shown once.
const (
	flashCookie  = "salon_form"
	flashTTL     = 5 * time.Minute
	flashEntries = 4096
)

// formFlash is a failed RSVP form waiting to be shown again.
type formFlash struct {
	Slug   string
	Form   tickets.RSVPInput
	Errors map[string]string
}

func newFlashes() *expirable.LRU[string, formFlash] {
	return expirable.NewLRU[string, formFlash](flashEntries, nil, flashTTL)
}

// keepForm stores a failed form and sends the browser its token.
func (s *Site) keepForm(c *fiber.Ctx, f formFlash) {
	tok := tickets.NewToken()
	s.flashes.Add(tok, f)
	c.Cookie(&fiber.Cookie{Name: flashCookie, Value: tok, Path: "/salons/" + f.Slug, MaxAge: int(flashTTL.Seconds()),
		Secure: s.d.Secure, HTTPOnly: true, SameSite: "Lax"})
}

// takeForm returns the failed form this browser left for the salon, once:
// it is removed and its cookie cleared.
func (s *Site) takeForm(c *fiber.Ctx, slug string) (formFlash, bool) {
	tok := c.Cookies(flashCookie)
	if tok == "" {
		return formFlash{}, false
	}
	c.Cookie(&fiber.Cookie{Name: flashCookie, Value: "", Path: "/salons/" + slug, MaxAge: -1,
		Secure: s.d.Secure, HTTPOnly: true, SameSite: "Lax"})
	f, ok := s.flashes.Get(tok)
	if !ok || f.Slug != slug {
		return formFlash{}, false
	}
	s.flashes.Remove(tok)
	return f, true
}

// formFields are the RSVP form's fields in the order the form shows them,
// with their labels' keys: the error summary follows this order and the
// first bad field gets the focus.
var formFields = []struct{ ID, Label string }{
	{"name", "form.name"}, {"email", "form.email"}, {"company", "form.company"}, {"job_title", "form.job_title"},
}

// badFields lists the fields with errors, in the form's order.
func badFields(lang string, errs map[string]string) []badField {
	var out []badField
	for _, f := range formFields {
		if msg, ok := errs[f.ID]; ok {
			out = append(out, badField{ID: f.ID, Label: i18n.T(lang, f.Label), Message: msg})
		}
	}
	return out
}

// refusalKeys say in the reader's language why an RSVP that was well
// filled in was refused.
var refusalKeys = map[string]string{
	events.EALREADYREGISTERED: "form.already",
	events.ESALONFULL:         "state.waitlist_closed",
	events.ERSVPCLOSED:        "state.rsvp_closed",
	events.ESALONCANCELLED:    "state.cancelled",
}
