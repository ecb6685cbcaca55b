package api

import (
	"github.com/gofiber/fiber/v2"

	"salon/events"
)

// UploadCover makes the multipart field image the salon's cover: checked
// by its content, resized, stored without its metadata (web.UploadCover).
func (s *API) UploadCover(c *fiber.Ctx) error {
	sa, u, err := s.d.ManagedSalon(c)
	if err != nil {
		return err
	}
	out, err := s.d.UploadCover(c, sa)
	if err != nil {
		return err
	}
	s.d.Log.Info("salon cover uploaded", "slug", out.Slug, "by", u.Email)
	return c.JSON(fiber.Map{"salon": s.organizerSalonJSON(out)})
}

// DeleteCover removes the salon's cover; a salon without one answers the
// same.
func (s *API) DeleteCover(c *fiber.Ctx) error {
	sa, u, err := s.d.ManagedSalon(c)
	if err != nil {
		return err
	}
	out, err := s.d.DB.RemoveSalonCover(c.UserContext(), sa.ID)
	if err != nil {
		return err
	}
	s.d.Log.Info("salon cover removed", "slug", out.Slug, "by", u.Email)
	return c.JSON(fiber.Map{"salon": s.organizerSalonJSON(out)})
}

// hostJSON is the contract's Salon host.
type hostJSON struct {
	Name  string `json:"name"`
	About string `json:"about,omitempty"`
}

// salonHost is the salon's host, or nil when it names none.
func salonHost(sa *events.Salon) *hostJSON {
	if sa.HostName == "" {
		return nil
	}
	return &hostJSON{Name: sa.HostName, About: sa.HostAbout}
}
