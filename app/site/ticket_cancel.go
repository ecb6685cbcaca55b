package site

import (
	"strings"

	"github.com/gofiber/fiber/v2"
)

// CancelPage is the first step of cancelling: it asks, says what will
// happen (the seat goes to the waitlist, is freed, or a waitlist place is
// given up), and offers the final button. It writes nothing. A ticket
// already cancelled has nothing to ask: back to its page.
func (s *Site) CancelPage(c *fiber.Ctx) error {
	token := strings.Clone(c.Params("token"))
	p, err := s.loadTicket(c, token)
	if err != nil {
		return err
	}
	if !p.Ticket.Active() {
		return c.Redirect("/t/"+token, fiber.StatusSeeOther)
	}
	p.Title = p.T("ticket.cancel_confirm") + " · " + p.Salon.Title
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return s.pages.Render(c, fiber.StatusOK, "cancel", p)
}

// CancelForm cancels a ticket from its confirmation page (the final button
// posts confirm=1) and goes back to the ticket. A post without confirm, as
// from a page of before the confirmation step, only asks (see CancelPage).
func (s *Site) CancelForm(c *fiber.Ctx) error {
	if c.FormValue("confirm") != "1" {
		return s.CancelPage(c)
	}
	token := strings.Clone(c.Params("token"))
	if _, err := s.d.DB.CancelRSVP(c.UserContext(), token); err != nil {
		return err
	}
	return c.Redirect("/t/"+token, fiber.StatusSeeOther)
}
