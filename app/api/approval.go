package api

import (
	"context"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"salon/events"
	"salon/tickets"
)

// ApproveTicket approves a pending ticket of a salon the token's account
// manages: it takes a seat or a waitlist place as an RSVP would, and the
// guest is mailed.
func (s *API) ApproveTicket(c *fiber.Ctx) error {
	return s.decide(c, s.d.DB.ApproveTicket)
}

// DeclineTicket turns a pending ticket down; the guest is mailed.
func (s *API) DeclineTicket(c *fiber.Ctx) error {
	return s.decide(c, s.d.DB.DeclineTicket)
}

// decide runs one decision on the ticket named in the URL, looked up within
// the salon the caller manages.
func (s *API) decide(c *fiber.Ctx, decide func(ctx context.Context, salonID, ticketID int64) (*tickets.Ticket, error)) error {
	sa, _, err := s.d.ManagedSalon(c)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return events.Errorf(events.ENOTFOUND, "Ticket not found.")
	}
	t, err := decide(c.UserContext(), sa.ID, id)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(fiber.Map{"ticket": s.attendeeJSON(t, sa.Location())})
}
