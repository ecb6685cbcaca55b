package console

import (
	"github.com/gofiber/fiber/v2"

	"salon/app/web"
	"salon/events"
)

type consoleIndustriesPage struct {
	consolePage
	Industries []*events.Industry
	Form       events.Industry
	Errors     map[string]string
}

// Industries lists every industry with both its names, and offers the
// form to add one.
func (s *Console) Industries(c *fiber.Ctx) error {
	return s.industriesPage(c, fiber.StatusOK, events.Industry{}, nil)
}

func (s *Console) industriesPage(c *fiber.Ctx, status int, form events.Industry, errs map[string]string) error {
	list, err := s.d.Industries(c.UserContext())
	if err != nil {
		return err
	}
	p := consoleIndustriesPage{consolePage: s.newConsolePage(c, "console.industries"), Industries: list, Form: form, Errors: errs}
	return s.pages.Render(c, status, "console_industries", p)
}

// CreateIndustry adds an industry with its English and Chinese names; a
// refused one comes back with what was typed and the reason beside each
// field.
func (s *Console) CreateIndustry(c *fiber.Ctx) error {
	ind := events.Industry{Slug: c.FormValue("slug"), Name: c.FormValue("name"), NameZh: c.FormValue("name_zh")}
	form := ind
	if err := s.d.DB.CreateIndustry(c.UserContext(), &ind); err != nil {
		if events.ErrorCode(err) != events.EINVALID {
			return err
		}
		return s.industriesPage(c, web.ErrStatus(err), form, consoleFieldMessages(web.PageLang(c), err))
	}
	return c.Redirect("/admin/industries?ok=industry", fiber.StatusSeeOther)
}
