package app

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"salon/app/web"
)

// handleRevokeFeed gives the ticket's owner a new personal feed link; the
// old one stops working (for every salon of that email, since the feed is
// per email). The answer is the ticket with its new feed_url.
func (s *Server) handleRevokeFeed(c *fiber.Ctx) error {
	t, err := s.db.FindTicketByToken(c.UserContext(), c.Params("token"))
	if err != nil {
		return err
	}
	feed, err := s.db.RevokeFeed(c.UserContext(), t.Email)
	if err != nil {
		return err
	}
	sa, err := s.db.FindSalonByID(c.UserContext(), t.SalonID)
	if err != nil {
		return err
	}
	return s.sendTicketJSON(c, fiber.StatusOK, t, sa.Location(), feed)
}

// scanJSON is one logged scan attempt as organizers see it.
type scanJSON struct {
	ID          string  `json:"id"`
	TicketID    *string `json:"ticket_id"`
	Result      string  `json:"result"`
	Device      string  `json:"device"`
	ByUser      *string `json:"by_user_id"`
	ByDoorLink  *string `json:"by_door_link_id"`
	ScannedAt   string  `json:"scanned_at"`
	RecordedAt  string  `json:"recorded_at"`
	CheckedInAt *string `json:"checked_in_at"`
	Flagged     bool    `json:"flagged"`
}

// handleListScans lists every scan attempt at a salon's door, oldest first,
// with repeats found across devices flagged.
func (s *Server) handleListScans(c *fiber.Ctx) error {
	sa, _, err := s.d.ManagedSalon(c)
	if err != nil {
		return err
	}
	list, err := s.db.FindScans(c.UserContext(), sa.ID)
	if err != nil {
		return err
	}
	loc := sa.Location()
	out := make([]scanJSON, 0, len(list))
	for _, sc := range list {
		j := scanJSON{ID: strconv.FormatInt(sc.ID, 10), TicketID: web.IDPtr(sc.TicketID), Result: sc.Result, Device: sc.Device,
			ByUser: web.IDPtr(sc.UserID), ByDoorLink: web.IDPtr(sc.DoorLinkID), Flagged: sc.Flagged,
			ScannedAt: sc.ScannedAt.In(loc).Format(time.RFC3339), RecordedAt: sc.RecordedAt.In(loc).Format(time.RFC3339),
			CheckedInAt: web.TimePtr(sc.CheckedInAt, loc)}
		out = append(out, j)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(fiber.Map{"scans": out})
}
