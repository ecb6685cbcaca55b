package app

import (
	"time"

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
	png, err := tickets.QRPNG(s.keys.Sign(t), qrSize)
	if err != nil {
		return nil, err
	}
	s.qr.Add(t.ID, png)
	return png, nil
}

// handleQR serves a confirmed ticket's QR image. Answers are kept by token
// until any ticket changes, so a ticket page opened again and again costs no
// query: that is what keeps the cached QR row of `task bench` at 0.8-0.9x
// of a bare hello (reading the ticket on every request, tried, gave
// 0.39-0.45x). After a ticket write the answer is made again from the QR
// cache by ticket id, which mail shares; both hold the same PNG slice, so
// the image is not kept twice.
func (s *Server) handleQR(c *fiber.Ctx) error {
	token := c.Params("token")
	return s.serveCached(c, "qr\x00"+token, "image/png", "private, max-age=300", func() ([]byte, time.Time, error) {
		t, err := s.db.FindTicketByToken(c.UserContext(), token)
		if err != nil {
			return nil, time.Time{}, err
		}
		if t.Status != tickets.StatusConfirmed {
			return nil, time.Time{}, events.Errorf(events.ENOTFOUND, "This ticket has no QR code: it is not confirmed.")
		}
		png, err := s.QRImage(t)
		return png, time.Time{}, err
	})
}
