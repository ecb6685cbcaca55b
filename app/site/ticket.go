package site

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"salon/app/notice"
	"salon/app/web"
	"salon/events"
	"salon/storage"
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
	// Effect says what cancelling would do (see tickets.CancelEffect).
	Effect string
	// Updated tells an active ticket that its salon changed since the RSVP.
	Updated string
	// Changes say what changed since the RSVP, old -> new.
	Changes []notice.ChangeLine
	// RSVPAgain offers a cancelled ticket's holder the salon's form again.
	RSVPAgain bool
	// Erased says when the holder's personal data was erased.
	Erased string
}

// loadTicket reads the ticket a manage token opens and its salon, and
// starts its page in the ticket's language (see web.PageLangOwn).
func (s *Site) loadTicket(c *fiber.Ctx, token string) (ticketPage, error) {
	t, err := s.d.DB.FindTicketByToken(c.UserContext(), token)
	if err != nil {
		return ticketPage{}, err
	}
	sa, err := s.d.DB.FindSalonByID(c.UserContext(), t.SalonID)
	if err != nil {
		return ticketPage{}, err
	}
	lang := web.PageLangOwn(c, t.Lang)
	sa = sa.In(lang)
	p := ticketPage{Page: web.NewPageIn(c, lang, sa.Title), Ticket: t, Salon: sa}
	head := 0
	if t.Status == tickets.StatusConfirmed && sa.Waitlisted > 0 {
		if head, err = s.waitlistHead(c.UserContext(), sa.ID); err != nil {
			return ticketPage{}, err
		}
	}
	if e := tickets.CancelEffect(t, sa, head); e != "" {
		p.Effect = p.T("ticket.effect_"+e, t.WaitlistPosition)
	}
	return p, nil
}

// waitlistHead is how many seats the party first on the salon's waitlist
// takes (0 when nobody waits): whether a cancelled seat goes to it.
func (s *Site) waitlistHead(ctx context.Context, salonID int64) (int, error) {
	ws, err := s.d.DB.FindTickets(ctx, storage.TicketFilter{SalonID: salonID, Status: tickets.StatusWaitlisted, Limit: 1})
	if err != nil || len(ws) == 0 {
		return 0, err
	}
	return ws[0].Seats(), nil
}

// TicketPage shows a ticket to whoever holds its manage token; never cached.
func (s *Site) TicketPage(c *fiber.Ctx) error {
	p, err := s.loadTicket(c, c.Params("token"))
	if err != nil {
		return err
	}
	t, sa := p.Ticket, p.Salon
	p.Cal = s.ticketCalendarLinks(c.UserContext(), t, sa, p.Lang)
	p.Title = p.T("ticket.title") + " · " + sa.Title
	if t.CheckedInAt != nil {
		p.CheckedIn = p.T("ticket.checked_in", web.FormatTime(p.Lang, *t.CheckedInAt, sa.Location()))
	}
	if t.ErasedAt != nil {
		p.Erased = p.T("ticket.erased", web.FormatTime(p.Lang, *t.ErasedAt, sa.Location()))
	}
	if t.Status == tickets.StatusConfirmed {
		p.QRURL = "/t/" + t.Token + "/qr.png"
	}
	if t.Active() && sa.Status != events.StatusCancelled {
		at, first, err := s.changeNotices(c.UserContext(), t.ID)
		if err != nil {
			return err
		}
		if first != nil {
			p.Changes = notice.ChangeLines(p.Lang, events.SalonChange{Before: first.Before, After: sa.Facts()}, web.FormatRange)
		}
		// A salon moved and moved back shows nothing; a change from before
		// changes were kept still says when.
		if !at.IsZero() && (first == nil || len(p.Changes) > 0) {
			p.Updated = p.T("ticket.updated", web.FormatTime(p.Lang, at, sa.Location()))
		}
	}
	// A declined guest's email stays taken: the form would only refuse.
	p.RSVPAgain = t.Status == tickets.StatusCancelled && sa.RSVPOpen(s.d.DB.Now()) == nil
	p.PassURL = s.PassURL(t, sa)
	// The token in the URL is the ticket: never cache it in shared caches.
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return s.pages.Render(c, fiber.StatusOK, "ticket", p)
}

// changeNotices reads the change notices this ticket was sent: the store
// queues one to every active ticket in the same write as the change, so
// they are the changes since the RSVP. It returns when the newest was made
// (zero if none) and the oldest change recorded with its old values, whose
// "before" is the salon as it was when the holder RSVPed, or nil.
func (s *Site) changeNotices(ctx context.Context, ticketID int64) (time.Time, *events.SalonChange, error) {
	msgs, err := s.d.DB.FindMessages(ctx, storage.OutboxFilter{TicketID: ticketID, NewestFirst: true})
	if err != nil {
		return time.Time{}, nil, err
	}
	var at time.Time
	var first *events.SalonChange
	for _, m := range msgs {
		if m.Kind != tickets.NoticeSalonChanged {
			continue
		}
		if at.IsZero() {
			at = m.CreatedAt
		}
		if c, ok := tickets.ChangeFromPayload(m.Payload); ok {
			first = &c
		}
	}
	return at, first, nil
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
