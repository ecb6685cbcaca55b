package app

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"salon/app/web"
	"salon/tickets"
)

// replayMessage tells a client that lost the first answer where the links
// it withholds are.
const replayMessage = "This Idempotency-Key already made this RSVP. Its links are not repeated here: they were mailed to its address."

func (s *Server) handleCreateRSVP(c *fiber.Ctx) error {
	var in tickets.RSVPInput
	if err := web.DecodeJSON(c, &in, false); err != nil {
		return err
	}
	res, err := s.d.TakeRSVP(c.UserContext(), c.Params("slug"), in, c.Get("Idempotency-Key"))
	if err != nil {
		return err
	}
	if res.Replayed {
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.Status(fiber.StatusCreated).JSON(ticketAnswer{Ticket: s.replayJSON(res.Ticket, res.Location),
			Replayed: true, Message: replayMessage})
	}
	return s.sendTicketJSON(c, fiber.StatusCreated, res.Ticket, res.Location, res.FeedToken)
}

// replayJSON renders t for an idempotent replay: its state, and nothing
// that acts as the ticket (no links, no check-in code), since whoever holds
// the key and the body may replay it.
func (s *Server) replayJSON(t *tickets.Ticket, loc *time.Location) ticketJSON {
	j := s.attendeeJSON(t, loc)
	j.Code = nil
	return j
}

// sendTicket answers with the ticket as its owner sees it.
func (s *Server) sendTicket(c *fiber.Ctx, status int, t *tickets.Ticket) error {
	sa, err := s.db.FindSalonByID(c.UserContext(), t.SalonID)
	if err != nil {
		return err
	}
	feed, err := s.db.FeedToken(c.UserContext(), t.Email)
	if err != nil {
		return err
	}
	return s.sendTicketJSON(c, status, t, sa.Location(), feed)
}

// ticketAnswer is the body of every answer that carries one ticket.
type ticketAnswer struct {
	Ticket ticketJSON `json:"ticket"`
	// Replayed and Message mark an idempotent replay, which withholds the
	// ticket's links.
	Replayed bool   `json:"replayed,omitempty"`
	Message  string `json:"message,omitempty"`
}

func (s *Server) sendTicketJSON(c *fiber.Ctx, status int, t *tickets.Ticket, loc *time.Location, feed string) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(status).JSON(ticketAnswer{Ticket: s.ticketJSON(t, loc, feed)})
}

func (s *Server) handleGetTicket(c *fiber.Ctx) error {
	t, err := s.db.FindTicketByToken(c.UserContext(), c.Params("token"))
	if err != nil {
		return err
	}
	return s.sendTicket(c, fiber.StatusOK, t)
}

func (s *Server) handleCancelTicket(c *fiber.Ctx) error {
	t, err := s.db.CancelRSVP(c.UserContext(), c.Params("token"))
	if err != nil {
		return err
	}
	return s.sendTicket(c, fiber.StatusOK, t)
}
