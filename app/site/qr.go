package site

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"salon/tickets"
)

// salonQRSize is the salon QR's side in pixels: sharp on a poster drawn
// at twice a phone's width.
const salonQRSize = 480

// SalonQR serves a QR code of the salon page's address (from the base URL)
// as a PNG, for the poster. It is kept in the page cache: the address
// never changes, and a crowd making posters costs one render.
func (s *Site) SalonQR(c *fiber.Ctx) error {
	slug := c.Params("slug")
	return s.d.ServeCached(c, "salonqr\x00"+slug, "image/png", "public, max-age=86400", func() ([]byte, time.Time, error) {
		sa, err := s.d.PublicSalon(c.UserContext(), slug)
		if err != nil {
			return nil, time.Time{}, err
		}
		png, err := tickets.LinkQRPNG(s.d.BaseURL+"/salons/"+sa.Slug, salonQRSize)
		return png, time.Time{}, err
	})
}
