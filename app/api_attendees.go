package app

import (
	"github.com/gofiber/fiber/v2"

	"salon/app/web"
)

func (s *Server) handleListAttendees(c *fiber.Ctx) error {
	sa, _, list, err := s.d.SalonAttendees(c, 0)
	if err != nil {
		return err
	}
	out := make([]ticketJSON, 0, len(list))
	for _, t := range list {
		out = append(out, s.attendeeJSON(t, sa.Location()))
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(fiber.Map{"attendees": out})
}

// handleAttendeesCSV exports the attendees of a salon the token's account
// manages; see web.SendAttendeesCSV.
func (s *Server) handleAttendeesCSV(c *fiber.Ctx) error {
	sa, _, list, err := s.d.SalonAttendees(c, 0)
	if err != nil {
		return err
	}
	return web.SendAttendeesCSV(c, sa, list)
}
