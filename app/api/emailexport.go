package api

import (
	"time"

	"github.com/gofiber/fiber/v2"
)

// emailExportJSON is everything held about the owner of an address: the
// export document of each of its tickets, oldest first.
type emailExportJSON struct {
	ExportedAt string       `json:"exported_at"`
	Email      string       `json:"email"`
	Tickets    []exportJSON `json:"tickets"`
}

// ExportEmail answers, as a download, the export of every ticket of the
// address a one-time email link proves (POST /me/{token}/export, the
// link page's form).
func (s *API) ExportEmail(c *fiber.Ctx) error {
	ex, err := s.d.DB.ExportEmail(c.UserContext(), c.Params("token"))
	if err != nil {
		return err
	}
	out := emailExportJSON{ExportedAt: s.d.DB.Now().UTC().Format(time.RFC3339), Email: ex.Email, Tickets: []exportJSON{}}
	for _, t := range ex.Tickets {
		doc, err := s.exportDoc(c, t)
		if err != nil {
			return err
		}
		out.Tickets = append(out.Tickets, doc)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="salon-my-data.json"`)
	return c.JSON(out)
}
