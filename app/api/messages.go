package api

import (
	"github.com/gofiber/fiber/v2"

	"salon/app/web"
	"salon/events"
	"salon/storage"
)

// messageInput is the body of POST /api/v1/salons/{slug}/messages.
type messageInput struct {
	Subject *string `json:"subject"`
	Body    *string `json:"body"`
	To      *string `json:"to"`
}

// SendMessage queues an organizer's message to a salon's guests: one mail
// each, through the outbox, within the salon's daily allowance.
func (s *API) SendMessage(c *fiber.Ctx) error {
	sa, u, err := s.d.ManagedSalon(c)
	if err != nil {
		return err
	}
	var in messageInput
	if err := web.DecodeJSON(c, &in, true); err != nil {
		return err
	}
	r := storage.MessageRequest{SalonID: sa.ID, SentBy: u.ID}
	for _, p := range []struct {
		src *string
		dst *string
	}{{in.Subject, &r.Subject}, {in.Body, &r.Body}, {in.To, &r.Audience}} {
		if p.src != nil {
			*p.dst = *p.src
		}
	}
	m, err := s.d.DB.QueueSalonMessage(c.UserContext(), r)
	if err != nil {
		return err
	}
	s.d.Log.Info("message queued", "slug", sa.Slug, "by", u.Email, "to", m.Audience, "recipients", m.Recipients)
	return c.Status(fiber.StatusAccepted).JSON(fiber.Map{"queued": m.Recipients})
}

// duplicateInput is the optional body of POST /api/v1/salons/{slug}/duplicate.
type duplicateInput struct {
	Days *int `json:"days"`
}

// DuplicateSalon saves a copy of a salon as a new draft, its dates a week
// later unless the body says how many days.
func (s *API) DuplicateSalon(c *fiber.Ctx) error {
	sa, u, err := s.d.ManagedSalon(c)
	if err != nil {
		return err
	}
	if !u.CanCreateSalons() {
		return events.Errorf(events.EFORBIDDEN, "Only organizers and admins may create salons.")
	}
	var in duplicateInput
	if len(c.Body()) > 0 {
		if err := web.DecodeJSON(c, &in, true); err != nil {
			return err
		}
	}
	days := int(events.DefaultDuplicateShift.Hours() / 24)
	if in.Days != nil {
		days = *in.Days
	}
	out, err := s.d.DuplicateSalon(c.UserContext(), sa, days)
	if err != nil {
		return err
	}
	s.d.Log.Info("salon duplicated", "from", sa.Slug, "slug", out.Slug, "by", u.Email)
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"salon": s.organizerSalonJSON(out)})
}
