package app

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"salon/events"
)

func (s *Server) handleCreateSalon(c *fiber.Ctx) error {
	u := currentUser(c)
	if !u.CanCreateSalons() {
		return events.Errorf(events.EFORBIDDEN, "Only organizers and admins may create salons.")
	}
	var in events.SalonInput
	if err := decodeJSON(c, &in, true); err != nil {
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
	if err := s.db.CreateSalon(c.UserContext(), sa); err != nil {
		return err
	}
	s.log.Info("salon created", "slug", sa.Slug, "by", u.Email)
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"salon": s.organizerSalonJSON(sa)})
}

func (s *Server) handleUpdateSalon(c *fiber.Ctx) error {
	sa, u, err := s.managedSalon(c)
	if err != nil {
		return err
	}
	var in events.SalonInput
	if err := decodeJSON(c, &in, true); err != nil {
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

func (s *Server) saveSalon(c *fiber.Ctx, sa *events.Salon, u *events.User, upd events.SalonUpdate) error {
	out, err := s.db.UpdateSalon(c.UserContext(), sa.ID, upd)
	if err != nil {
		return err
	}
	s.log.Info("salon updated", "slug", out.Slug, "by", u.Email, "status", out.Status, "sequence", out.Sequence)
	return c.JSON(fiber.Map{"salon": s.organizerSalonJSON(out)})
}

func (s *Server) handlePublishSalon(c *fiber.Ctx) error {
	sa, u, err := s.managedSalon(c)
	if err != nil {
		return err
	}
	st := events.StatusPublished
	if sa.Status == events.StatusPublished {
		return c.JSON(fiber.Map{"salon": s.organizerSalonJSON(sa)})
	}
	return s.saveSalon(c, sa, u, events.SalonUpdate{Status: &st})
}

func (s *Server) handleCancelSalon(c *fiber.Ctx) error {
	sa, u, err := s.managedSalon(c)
	if err != nil {
		return err
	}
	if sa.Status == events.StatusCancelled {
		return c.JSON(fiber.Map{"salon": s.organizerSalonJSON(sa)})
	}
	st := events.StatusCancelled
	return s.saveSalon(c, sa, u, events.SalonUpdate{Status: &st})
}

// publicSalon returns a salon anyone may see; drafts and unknown slugs give
// the same 404.
func (s *Server) publicSalon(c *fiber.Ctx, slug string) (*events.Salon, error) {
	sa, err := s.db.FindSalonBySlug(c.UserContext(), slug)
	if err != nil {
		return nil, err
	}
	if !sa.Visible() {
		return nil, events.Errorf(events.ENOTFOUND, "Salon not found.")
	}
	return sa, nil
}

func (s *Server) handleGetSalon(c *fiber.Ctx) error {
	sa, err := s.publicSalon(c, c.Params("slug"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"salon": s.salonJSON(sa)})
}

// listFilter reads the listing's query: industry, q, from, to, limit, offset.
// Only published and cancelled salons that have not ended are listed.
func (s *Server) listFilter(c *fiber.Ctx) (events.SalonFilter, error) {
	f := events.FieldErrors{}
	now := s.db.Now()
	filter := events.SalonFilter{Statuses: []string{events.StatusPublished, events.StatusCancelled}, From: &now, Limit: 50}
	if v := strings.ToLower(strings.TrimSpace(c.Query("industry"))); v != "" {
		filter.Industry = &v
	}
	if v := strings.TrimSpace(c.Query("q")); v != "" {
		if len(v) > 200 {
			f.Add("q", "too long")
		}
		filter.Q = &v
	}
	loc, _ := events.LoadZone(events.DefaultTimezone)
	for _, p := range []struct {
		name string
		dst  **time.Time
	}{{"from", &filter.From}, {"to", &filter.To}} {
		if v := c.Query(p.name); v != "" {
			t, ok := events.ParseTime(v, loc)
			if !ok {
				if d, err := time.ParseInLocation("2006-01-02", v, loc); err == nil {
					t, ok = d.UTC(), true
				}
			}
			if !ok {
				f.Add(p.name, "not a valid date or time")
				continue
			}
			if p.name == "from" && t.Before(now) {
				t = now // ended salons are never listed
			}
			*p.dst = &t
		}
	}
	for _, p := range []struct {
		name     string
		dst      *int
		min, max int
	}{{"limit", &filter.Limit, 1, 200}, {"offset", &filter.Offset, 0, 1 << 30}} {
		if v := c.Query(p.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < p.min || n > p.max {
				f.Add(p.name, "must be a whole number from "+strconv.Itoa(p.min)+" to "+strconv.Itoa(p.max))
				continue
			}
			*p.dst = n
		}
	}
	return filter, f.Err()
}

func (s *Server) handleListSalons(c *fiber.Ctx) error {
	filter, err := s.listFilter(c)
	if err != nil {
		return err
	}
	list, err := s.db.FindSalons(c.UserContext(), filter)
	if err != nil {
		return err
	}
	out := make([]salonJSON, 0, len(list))
	for _, sa := range list {
		out = append(out, s.salonJSON(sa))
	}
	return c.JSON(fiber.Map{"salons": out})
}
