package api

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"salon/app/web"
	"salon/events"
)

// CreateSalon creates a salon, draft unless the body publishes it.
func (s *API) CreateSalon(c *fiber.Ctx) error {
	u := web.CurrentUser(c)
	if !u.CanCreateSalons() {
		return events.Errorf(events.EFORBIDDEN, "Only organizers and admins may create salons.")
	}
	var in events.SalonInput
	if err := web.DecodeJSON(c, &in, true); err != nil {
		return err
	}
	zone := events.DefaultTimezone
	upd, err := in.Update(zone)
	if err != nil {
		return err
	}
	if in.Status != nil && *in.Status == events.StatusCancelled {
		return &events.Error{Code: events.EINVALID, Message: "status: a new salon is draft or published",
			Fields: map[string]string{"status": "a new salon is draft or published"}}
	}
	sa := &events.Salon{Timezone: zone, Status: events.StatusDraft, Waitlist: true, OrganizerID: u.ID}
	if in.Slug != nil {
		sa.Slug = strings.TrimSpace(*in.Slug)
	}
	sa.Apply(upd)
	if err := s.d.DB.CreateSalon(c.UserContext(), sa); err != nil {
		return err
	}
	s.d.Log.Info("salon created", "slug", sa.Slug, "by", u.Email)
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"salon": s.organizerSalonJSON(sa)})
}

// UpdateSalon changes a salon the token's account manages; the slug stays.
func (s *API) UpdateSalon(c *fiber.Ctx) error {
	sa, u, err := s.d.ManagedSalon(c)
	if err != nil {
		return err
	}
	var in events.SalonInput
	if err := web.DecodeJSON(c, &in, true); err != nil {
		return err
	}
	if in.Slug != nil && *in.Slug != sa.Slug {
		return &events.Error{Code: events.EINVALID, Message: "slug: cannot be changed", Fields: map[string]string{"slug": "cannot be changed"}}
	}
	upd, err := in.Update(sa.Timezone)
	if err != nil {
		return err
	}
	return s.saveSalon(c, sa, u, upd)
}

func (s *API) saveSalon(c *fiber.Ctx, sa *events.Salon, u *events.User, upd events.SalonUpdate) error {
	out, err := s.d.DB.UpdateSalon(c.UserContext(), sa.ID, upd)
	if err != nil {
		return err
	}
	s.d.Log.Info("salon updated", "slug", out.Slug, "by", u.Email, "status", out.Status, "sequence", out.Sequence)
	return c.JSON(fiber.Map{"salon": s.organizerSalonJSON(out), "notified": out.Notified})
}

// PublishSalon publishes a salon; publishing a published one changes
// nothing.
func (s *API) PublishSalon(c *fiber.Ctx) error {
	sa, u, err := s.d.ManagedSalon(c)
	if err != nil {
		return err
	}
	st := events.StatusPublished
	if sa.Status == events.StatusPublished {
		return c.JSON(fiber.Map{"salon": s.organizerSalonJSON(sa)})
	}
	return s.saveSalon(c, sa, u, events.SalonUpdate{Status: &st})
}

// CancelSalon cancels a salon; cancelling a cancelled one changes nothing.
func (s *API) CancelSalon(c *fiber.Ctx) error {
	sa, u, err := s.d.ManagedSalon(c)
	if err != nil {
		return err
	}
	if sa.Status == events.StatusCancelled {
		return c.JSON(fiber.Map{"salon": s.organizerSalonJSON(sa)})
	}
	st := events.StatusCancelled
	return s.saveSalon(c, sa, u, events.SalonUpdate{Status: &st})
}

// GetSalon shows a published or cancelled salon.
func (s *API) GetSalon(c *fiber.Ctx) error {
	sa, err := s.d.PublicSalon(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"salon": s.salonJSON(sa)})
}

// ListSalons lists the salons anyone may see; see web.Deps.ListFilter.
func (s *API) ListSalons(c *fiber.Ctx) error {
	filter, err := s.d.ListFilter(c)
	if err != nil {
		return err
	}
	list, err := s.d.DB.FindSalons(c.UserContext(), filter)
	if err != nil {
		return err
	}
	out := make([]salonJSON, 0, len(list))
	for _, sa := range list {
		out = append(out, s.salonJSON(sa))
	}
	return c.JSON(fiber.Map{"salons": out})
}
