package api

import (
	"github.com/gofiber/fiber/v2"

	"salon/app/web"
)

// ListAttendees lists a page of the attendees of a salon the token's
// account manages, filtered by status and q, in arrival (id) order:
// `limit` of them (web.AttendeePageDefault unless asked, at most
// web.AttendeePageMax), from `cursor` on. The answer keeps its old shape,
// {"attendees": [...]}, as the first page, with `next_cursor` beside it
// (null on the last page), so a client that never pages still works on a
// salon that fits in one page.
func (s *API) ListAttendees(c *fiber.Ctx) error {
	limit, err := web.AttendeeLimit(c)
	if err != nil {
		return err
	}
	sa, _, list, next, err := s.d.AttendeePage(c, limit)
	if err != nil {
		return err
	}
	out := make([]ticketJSON, 0, len(list))
	for _, t := range list {
		out = append(out, s.attendeeJSON(t, sa.Location()))
	}
	var cursor *string
	if next != "" {
		cursor = &next
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(fiber.Map{"attendees": out, "next_cursor": cursor})
}

// AttendeesCSV exports the attendees of a salon the token's account
// manages, streamed; see web.Deps.SendAttendeesCSV.
func (s *API) AttendeesCSV(c *fiber.Ctx) error { return s.d.SendAttendeesCSV(c) }
