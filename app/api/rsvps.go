package api

import (
	"encoding/json"
	"time"

	"github.com/gofiber/fiber/v2"

	"salon/app/web"
	"salon/tickets"
)

// replayMessage tells a client that lost the first answer where the links
// it withholds are.
const replayMessage = "This Idempotency-Key already made this RSVP. Its links are not repeated here: they were mailed to its address."

// CreateRSVP takes an RSVP; an Idempotency-Key makes a retry answer the
// first RSVP instead of taking another.
func (s *API) CreateRSVP(c *fiber.Ctx) error {
	// Errors follow the body's lang, even when the rest of the body is
	// refused; without one, Accept-Language. The body is read for its lang
	// alone only when it is refused: a body that decodes has it.
	var in tickets.RSVPInput
	if err := web.DecodeJSON(c, &in, false); err != nil {
		var peek struct {
			Lang string `json:"lang"`
		}
		if json.Unmarshal(c.Body(), &peek) == nil {
			web.SetErrorLang(c, peek.Lang)
		}
		return err
	}
	web.SetErrorLang(c, in.Lang)
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
func (s *API) replayJSON(t *tickets.Ticket, loc *time.Location) ticketJSON {
	j := s.attendeeJSON(t, loc)
	j.Code = nil
	return j
}

// sendTicket answers with the ticket as its owner sees it.
func (s *API) sendTicket(c *fiber.Ctx, status int, t *tickets.Ticket) error {
	sa, err := s.d.DB.FindSalonByID(c.UserContext(), t.SalonID)
	if err != nil {
		return err
	}
	feed, err := s.feedToken(c, t.Email)
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

func (s *API) sendTicketJSON(c *fiber.Ctx, status int, t *tickets.Ticket, loc *time.Location, feed string) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(status).JSON(ticketAnswer{Ticket: s.ticketJSON(t, loc, feed)})
}

// GetTicket shows a ticket to whoever holds its manage token.
func (s *API) GetTicket(c *fiber.Ctx) error {
	t, err := s.d.DB.FindTicketByToken(c.UserContext(), c.Params("token"))
	if err != nil {
		return err
	}
	return s.sendTicket(c, fiber.StatusOK, t)
}

// CancelTicket cancels a ticket by its manage token.
func (s *API) CancelTicket(c *fiber.Ctx) error {
	t, err := s.d.DB.CancelRSVP(c.UserContext(), c.Params("token"))
	if err != nil {
		return err
	}
	return s.sendTicket(c, fiber.StatusOK, t)
}

// RevokeFeed gives the ticket's owner a new personal feed link; the
// old one stops working (for every salon of that email, since the feed is
// per email). The answer is the ticket with its new feed_url.
func (s *API) RevokeFeed(c *fiber.Ctx) error {
	t, err := s.d.DB.FindTicketByToken(c.UserContext(), c.Params("token"))
	if err != nil {
		return err
	}
	if t.Erased() {
		// An erased ticket has no email, so no feed to replace.
		return s.sendTicket(c, fiber.StatusOK, t)
	}
	feed, err := s.d.DB.RevokeFeed(c.UserContext(), t.Email)
	if err != nil {
		return err
	}
	sa, err := s.d.DB.FindSalonByID(c.UserContext(), t.SalonID)
	if err != nil {
		return err
	}
	return s.sendTicketJSON(c, fiber.StatusOK, t, sa.Location(), feed)
}
