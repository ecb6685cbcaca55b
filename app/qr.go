package app

import (
	"github.com/gofiber/fiber/v2"
	lru "github.com/hashicorp/golang-lru/v2"

	"salon/events"
	"salon/tickets"
)

// qrSize is the PNG's side in pixels: large enough for a phone camera at
// arm's length, small enough to send in mail.
const qrSize = 320

// qrCache keeps rendered QR images by ticket id: a render costs about a
// millisecond and a ticket's code never changes while it is confirmed.
type qrCache = lru.Cache[int64, []byte]

func newQRCache() *qrCache {
	c, err := lru.New[int64, []byte](8192)
	if err != nil {
		panic(err) // only for a non-positive size
	}
	return c
}

// QRImage returns the PNG of a confirmed ticket's code, from the cache when
// it can.
func (s *Server) QRImage(t *tickets.Ticket) ([]byte, error) {
	if png, ok := s.qr.Get(t.ID); ok {
		return png, nil
	}
	png, err := tickets.QRPNG(s.db.TicketCode(t), qrSize)
	if err != nil {
		return nil, err
	}
	s.qr.Add(t.ID, png)
	return png, nil
}

// handleQR serves a confirmed ticket's QR image. The ticket is read each
// time (its status decides whether there is an image); the PNG itself comes
// from the QR cache, the one kept for mail too, which no check-in or other
// ticket write empties.
func (s *Server) handleQR(c *fiber.Ctx) error {
	t, err := s.db.FindTicketByToken(c.UserContext(), c.Params("token"))
	if err != nil {
		return err
	}
	if t.Status != tickets.StatusConfirmed {
		return events.Errorf(events.ENOTFOUND, "This ticket has no QR code: it is not confirmed.")
	}
	png, err := s.QRImage(t)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "image/png")
	c.Set(fiber.HeaderCacheControl, "private, max-age=300")
	return c.Send(png)
}
