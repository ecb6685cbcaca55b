package site

import (
	"strings"

	"github.com/gofiber/fiber/v2"
)

// ErasePage is the first step of erasing the holder's personal data: it
// says what will go and offers the final button. It writes nothing. An
// erased ticket has nothing to ask: back to its page.
func (s *Site) ErasePage(c *fiber.Ctx) error {
	token := strings.Clone(c.Params("token"))
	p, err := s.loadTicket(c, token)
	if err != nil {
		return err
	}
	if p.Ticket.Erased() {
		return c.Redirect("/t/"+token, fiber.StatusSeeOther)
	}
	p.Title = p.T("ticket.erase_confirm") + " · " + p.Salon.Title
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return s.pages.Render(c, fiber.StatusOK, "erase", p)
}

// EraseForm erases from the confirmation page (the final button posts
// confirm=1) and goes back to the ticket, which shows the erased state. A
// post without confirm only asks.
func (s *Site) EraseForm(c *fiber.Ctx) error {
	if c.FormValue("confirm") != "1" {
		return s.ErasePage(c)
	}
	token := strings.Clone(c.Params("token"))
	if _, err := s.d.DB.EraseTicket(c.UserContext(), token); err != nil {
		return err
	}
	return c.Redirect("/t/"+token, fiber.StatusSeeOther)
}
