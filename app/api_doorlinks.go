package app

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"salon/app/web"
	"salon/events"
	"salon/storage"
)

// handleUndoCheckin lets an organizer clear a check-in made by mistake.
func (s *Server) handleUndoCheckin(c *fiber.Ctx) error {
	sa, u, err := s.d.ManagedSalon(c)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return events.Errorf(events.ENOTFOUND, "Ticket not found.")
	}
	t, err := s.db.UndoCheckIn(c.UserContext(), sa.ID, id, u.ID)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"ticket": s.attendeeJSON(t, sa.Location())})
}

type doorLinkJSON struct {
	ID        string  `json:"id"`
	Label     string  `json:"label"`
	CreatedAt string  `json:"created_at"`
	RevokedAt *string `json:"revoked_at"`
	URL       string  `json:"url,omitempty"`
}

func (s *Server) doorLinkJSON(l *storage.DoorLink, sa *events.Salon, token string) doorLinkJSON {
	loc := sa.Location()
	j := doorLinkJSON{ID: strconv.FormatInt(l.ID, 10), Label: l.Label, CreatedAt: l.CreatedAt.In(loc).Format(time.RFC3339),
		RevokedAt: web.TimePtr(l.RevokedAt, loc)}
	if token != "" {
		j.URL = s.d.DoorLinkURL(sa.Slug, token)
	}
	return j
}

func (s *Server) handleCreateDoorLink(c *fiber.Ctx) error {
	sa, u, err := s.d.ManagedSalon(c)
	if err != nil {
		return err
	}
	var in struct {
		Label string `json:"label"`
	}
	if len(c.Body()) > 0 {
		if err := web.DecodeJSON(c, &in, true); err != nil {
			return err
		}
	}
	l, token, err := s.db.CreateDoorLink(c.UserContext(), sa.ID, strings.TrimSpace(in.Label), u.ID)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"door_link": s.doorLinkJSON(l, sa, token)})
}

func (s *Server) handleListDoorLinks(c *fiber.Ctx) error {
	sa, _, err := s.d.ManagedSalon(c)
	if err != nil {
		return err
	}
	list, err := s.db.FindDoorLinks(c.UserContext(), sa.ID)
	if err != nil {
		return err
	}
	out := make([]doorLinkJSON, 0, len(list))
	for _, l := range list {
		out = append(out, s.doorLinkJSON(l, sa, ""))
	}
	return c.JSON(fiber.Map{"door_links": out})
}

func (s *Server) handleRevokeDoorLink(c *fiber.Ctx) error {
	sa, _, err := s.d.ManagedSalon(c)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return events.Errorf(events.ENOTFOUND, "Door link not found.")
	}
	if err := s.db.RevokeDoorLink(c.UserContext(), sa.ID, id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
