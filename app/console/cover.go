package console

import (
	"github.com/gofiber/fiber/v2"

	"salon/app/i18n"
	"salon/app/web"
	"salon/events"
)

// UploadCover takes the salon page's cover form (multipart, with its CSRF
// field): the image is checked, resized and stored, or the page comes back
// with what is wrong with it, and nothing is stored.
func (s *Console) UploadCover(c *fiber.Ctx) error {
	sa, _, err := s.d.ManagedSalon(c)
	if err != nil {
		return err
	}
	if _, err := s.d.UploadCover(c, sa); err != nil {
		code, status := web.StatusFor(err)
		if code == events.EINTERNAL {
			return err
		}
		lang := web.PageLang(c)
		msgs := consoleFieldMessages(lang, err)
		if code == events.ETOOLARGE {
			msgs = map[string]string{"image": i18n.T(lang, "err.image_too_large")}
		}
		return s.renderConsoleSalon(c, status, sa, "", msgs)
	}
	return c.Redirect("/admin/salons/"+sa.Slug+"?ok=cover", fiber.StatusSeeOther)
}

// RemoveCover removes the salon's cover.
func (s *Console) RemoveCover(c *fiber.Ctx) error {
	sa, _, err := s.d.ManagedSalon(c)
	if err != nil {
		return err
	}
	if _, err := s.d.DB.RemoveSalonCover(c.UserContext(), sa.ID); err != nil {
		return err
	}
	return c.Redirect("/admin/salons/"+sa.Slug+"?ok=cover_removed", fiber.StatusSeeOther)
}
