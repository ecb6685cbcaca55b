package site

import (
	"github.com/gofiber/fiber/v2"

	"salon/app/web"
)

type privacyPage struct {
	web.Page
	// Days is --retention-days; 0 keeps personal data.
	Days int
	// Contact is the address questions go to.
	Contact string
	// Erased says the visitor just erased every ticket of their address.
	Erased bool
}

// Privacy is the privacy page: what is kept about guests, why, for how
// long, who sees it, and how to export or erase it.
func (s *Site) Privacy(c *fiber.Ctx) error {
	p := privacyPage{Page: web.NewPage(c, ""), Days: s.d.RetentionDays, Contact: s.d.PrivacyContact,
		Erased: c.Query("erased") == "1"}
	p.Title = p.T("privacy.title")
	c.Set(fiber.HeaderCacheControl, "private, max-age=300")
	c.Set(fiber.HeaderVary, "Cookie, Accept-Language")
	return s.pages.Render(c, fiber.StatusOK, "privacy", p)
}
