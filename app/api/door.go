package api

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"salon/app/web"
	"salon/events"
	"salon/storage"
)

// UndoCheckin lets an organizer clear a check-in made by mistake.
func (s *API) UndoCheckin(c *fiber.Ctx) error {
	sa, u, err := s.d.ManagedSalon(c)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return events.Errorf(events.ENOTFOUND, "Ticket not found.")
	}
	t, err := s.d.DB.UndoCheckIn(c.UserContext(), sa.ID, id, u.ID)
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

func (s *API) doorLinkJSON(l *storage.DoorLink, sa *events.Salon, token string) doorLinkJSON {
	loc := sa.Location()
	j := doorLinkJSON{ID: strconv.FormatInt(l.ID, 10), Label: l.Label, CreatedAt: l.CreatedAt.In(loc).Format(time.RFC3339),
		RevokedAt: web.TimePtr(l.RevokedAt, loc)}
	if token != "" {
		j.URL = s.d.DoorLinkURL(sa.Slug, token)
	}
	return j
}

// CreateDoorLink makes a door link for a salon; its URL is in the answer
// this once.
func (s *API) CreateDoorLink(c *fiber.Ctx) error {
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
	l, token, err := s.d.DB.CreateDoorLink(c.UserContext(), sa.ID, strings.TrimSpace(in.Label), u.ID)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"door_link": s.doorLinkJSON(l, sa, token)})
}

// ListDoorLinks lists a salon's door links, revoked ones included.
func (s *API) ListDoorLinks(c *fiber.Ctx) error {
	sa, _, err := s.d.ManagedSalon(c)
	if err != nil {
		return err
	}
	list, err := s.d.DB.FindDoorLinks(c.UserContext(), sa.ID)
	if err != nil {
		return err
	}
	out := make([]doorLinkJSON, 0, len(list))
	for _, l := range list {
		out = append(out, s.doorLinkJSON(l, sa, ""))
	}
	return c.JSON(fiber.Map{"door_links": out})
}

// RevokeDoorLink stops a door link from working.
func (s *API) RevokeDoorLink(c *fiber.Ctx) error {
	sa, _, err := s.d.ManagedSalon(c)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return events.Errorf(events.ENOTFOUND, "Door link not found.")
	}
	if err := s.d.DB.RevokeDoorLink(c.UserContext(), sa.ID, id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
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

// ListScans lists every scan attempt at a salon's door, oldest first,
// with repeats found across devices flagged.
func (s *API) ListScans(c *fiber.Ctx) error {
	sa, _, err := s.d.ManagedSalon(c)
	if err != nil {
		return err
	}
	list, err := s.d.DB.FindScans(c.UserContext(), sa.ID)
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
