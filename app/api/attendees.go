package api

import (
	"github.com/gofiber/fiber/v2"

	"salon/app/web"
)

// ListAttendees lists the attendees of a salon the token's account manages,
// filtered by status and q.
func (s *API) ListAttendees(c *fiber.Ctx) error {
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

// AttendeesCSV exports the attendees of a salon the token's account
// manages; see web.SendAttendeesCSV.
func (s *API) AttendeesCSV(c *fiber.Ctx) error {
	sa, _, list, err := s.d.SalonAttendees(c, 0)
	if err != nil {
		return err
	}
	return web.SendAttendeesCSV(c, sa, list)
}
