package site

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"salon/app/web"
	"salon/events"
	"salon/tickets"
)

type ticketPage struct {
	web.Page
	Ticket    *tickets.Ticket
	Salon     *events.Salon
	CheckedIn string
	QRURL     string
	PassURL   string
	Cal       calendarLinks
}

// TicketPage shows a ticket to whoever holds its manage token; never cached.
func (s *Site) TicketPage(c *fiber.Ctx) error {
	t, err := s.d.DB.FindTicketByToken(c.UserContext(), c.Params("token"))
	if err != nil {
		return err
	}
	sa, err := s.d.DB.FindSalonByID(c.UserContext(), t.SalonID)
	if err != nil {
		return err
	}
	sa = sa.In(web.PageLang(c))
	p := ticketPage{Page: web.NewPage(c, sa.Title), Ticket: t, Salon: sa, Cal: s.ticketCalendarLinks(c.UserContext(), t, sa, web.PageLang(c))}
	p.Title = p.T("ticket.title") + " · " + sa.Title
	if t.CheckedInAt != nil {
		p.CheckedIn = p.T("ticket.checked_in", web.FormatTime(p.Lang, *t.CheckedInAt, sa.Location()))
	}
	if t.Status == tickets.StatusConfirmed {
		p.QRURL = "/t/" + t.Token + "/qr.png"
	}
	p.PassURL = s.PassURL(t, sa)
	// The token in the URL is the ticket: never cache it in shared caches.
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return s.pages.Render(c, fiber.StatusOK, "ticket", p)
}

// CancelForm cancels a ticket from its page and goes back to it.
func (s *Site) CancelForm(c *fiber.Ctx) error {
	token := strings.Clone(c.Params("token"))
	if _, err := s.d.DB.CancelRSVP(c.UserContext(), token); err != nil {
		return err
	}
	return c.Redirect("/t/"+token, fiber.StatusSeeOther)
}

// QR serves a confirmed ticket's QR image. Answers are kept by token
// until any ticket changes, so a ticket page opened again and again costs no
// query: that is what keeps the cached QR row of `task bench` at 0.8-0.9x
// of a bare hello (reading the ticket on every request, tried, gave
// 0.39-0.45x). After a ticket write the answer is made again from the QR
// cache by ticket id, which mail shares; both hold the same PNG slice, so
// the image is not kept twice.
func (s *Site) QR(c *fiber.Ctx) error {
	token := c.Params("token")
	return s.d.ServeCached(c, "qr\x00"+token, "image/png", "private, max-age=300", func() ([]byte, time.Time, error) {
		t, err := s.d.DB.FindTicketByToken(c.UserContext(), token)
		if err != nil {
			return nil, time.Time{}, err
		}
		if t.Status != tickets.StatusConfirmed {
			return nil, time.Time{}, events.Errorf(events.ENOTFOUND, "This ticket has no QR code: it is not confirmed.")
		}
		png, err := s.d.QRImage(t)
		return png, time.Time{}, err
	})
}
