package app

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"salon/app/web"
	"salon/events"
	"salon/tickets"
)

type indexPage struct {
	web.Page
	Salons     []*events.Salon
	Industry   string
	Industries []string
	FeedURL    string
	// More links the next page of salons, First the first, when there are.
	More, First string
}

// listingPage is how many salons the listing shows at once: a phone
// scrolls comfortably through that many.
const listingPage = 20

func (s *Server) handleIndexPage(c *fiber.Ctx) error {
	filter, err := s.d.ListFilter(c)
	if err != nil {
		return err
	}
	filter.Limit = listingPage
	key := listingKey(web.PageLang(c), filter, s.db.Now())
	return s.d.ServePage(c, key, func() ([]byte, time.Time, error) {
		list, err := s.db.FindSalons(c.UserContext(), filter)
		if err != nil {
			return nil, time.Time{}, err
		}
		lang := web.PageLang(c)
		for i, sa := range list {
			list[i] = sa.In(lang)
		}
		industries, err := s.db.FindIndustries(c.UserContext(), filter)
		if err != nil {
			return nil, time.Time{}, err
		}
		p := indexPage{Page: web.NewPage(c, ""), Salons: list, Industries: industries, FeedURL: s.cfg.BaseURL + "/calendar.ics"}
		q := url.Values{}
		if filter.Industry != nil {
			p.Industry = *filter.Industry
			p.FeedURL += "?industry=" + url.QueryEscape(p.Industry)
			q.Set("industry", p.Industry)
		}
		if filter.Offset > 0 {
			p.First = "/?" + q.Encode()
		}
		if len(list) == listingPage {
			q.Set("offset", strconv.Itoa(filter.Offset+listingPage))
			p.More = "/?" + q.Encode()
		}
		p.Title = p.T("list.title")
		body, err := s.pages.Bytes("index", p)
		return body, time.Time{}, err
	})
}

// listingKey keys a listing page on its language and the filter as parsed,
// so that parameters the listing ignores, their order and their spelling do
// not make pages of their own. A from that is not in the future means "now"
// (listFilter moves it there) and keys as empty.
func listingKey(lang string, f events.SalonFilter, now time.Time) string {
	var b strings.Builder
	b.WriteString("index\x00")
	b.WriteString(lang)
	field := func(name, v string) {
		b.WriteString("\x00")
		b.WriteString(name)
		b.WriteString("=")
		b.WriteString(v)
	}
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	stamp := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.UTC().Format(time.RFC3339Nano)
	}
	field("industry", str(f.Industry))
	field("q", str(f.Q))
	if f.From != nil && f.From.After(now) {
		field("from", stamp(f.From))
	} else {
		field("from", "")
	}
	field("to", stamp(f.To))
	field("offset", strconv.Itoa(f.Offset))
	return b.String()
}

type salonPage struct {
	web.Page
	Salon    *events.Salon
	Open     bool
	Closed   string
	Deadline string
	Form     tickets.RSVPInput
	Errors   map[string]string
	Cal      calendarLinks
}

func (s *Server) salonPageData(c *fiber.Ctx, sa *events.Salon) salonPage {
	sa = sa.In(web.PageLang(c))
	p := salonPage{Page: web.NewPage(c, sa.Title), Salon: sa, Cal: s.salonCalendarLinks(sa, web.PageLang(c))}
	if err := sa.RSVPOpen(s.db.Now()); err == nil {
		p.Open = true
	} else if sa.Status == events.StatusCancelled {
		p.Closed = p.T("salon.cancelled")
	} else {
		p.Closed = p.T("salon.closed")
	}
	if !sa.RSVPDeadline.Equal(sa.StartsAt) {
		p.Deadline = p.T("salon.deadline", web.FormatTime(p.Lang, sa.RSVPDeadline, sa.Location()))
	}
	return p
}

func (s *Server) handleSalonPage(c *fiber.Ctx) error {
	// Keyed on what the page shows, not the URL: made-up query strings
	// must neither miss nor crowd real pages out of the cache.
	key := "salon\x00" + web.PageLang(c) + "\x00" + c.Params("slug")
	return s.d.ServePage(c, key, func() ([]byte, time.Time, error) {
		sa, err := s.d.PublicSalon(c.UserContext(), c.Params("slug"))
		if err != nil {
			return nil, time.Time{}, err
		}
		p := s.salonPageData(c, sa)
		p.CSRF = s.d.PageToken
		body, err := s.pages.Bytes("salon", p)
		// The page changes on its own when RSVPs close.
		var until time.Time
		if now := s.db.Now(); sa.RSVPDeadline.After(now) {
			until = sa.RSVPDeadline
		} else if sa.StartsAt.After(now) {
			until = sa.StartsAt
		}
		return body, until, err
	})
}

// handleRSVPForm takes the page's RSVP form. Success redirects to the ticket
// page (post/redirect/get); bad fields re-show the form with errors beside them.
// The salon is read only to re-show the form: taking the RSVP reads it anyway.
func (s *Server) handleRSVPForm(c *fiber.Ctx) error {
	in := tickets.RSVPInput{
		Name: c.FormValue("name"), Email: c.FormValue("email"), Company: c.FormValue("company"),
		JobTitle: c.FormValue("job_title"), Lang: web.PageLang(c),
	}
	// No Idempotency-Key here: the answer is a redirect to the ticket page,
	// which a replay must not hand out.
	res, err := s.d.TakeRSVP(c.UserContext(), c.Params("slug"), in, "")
	if err == nil {
		return c.Redirect("/t/"+res.Ticket.Token, fiber.StatusSeeOther)
	}
	code, status := web.StatusFor(err)
	if code == events.EINTERNAL {
		return err
	}
	sa, serr := s.d.PublicSalon(c.UserContext(), c.Params("slug"))
	if serr != nil {
		return serr
	}
	p := s.salonPageData(c, sa)
	p.Form = in
	if p.Errors = web.FieldMessages(p.Lang, err); p.Errors == nil {
		p.Errors = map[string]string{"form": events.ErrorMessage(err)}
	}
	return s.pages.Render(c, status, "salon", p)
}

type ticketPage struct {
	web.Page
	Ticket    *tickets.Ticket
	Salon     *events.Salon
	CheckedIn string
	QRURL     string
	Cal       calendarLinks
}

func (s *Server) handleTicketPage(c *fiber.Ctx) error {
	t, err := s.db.FindTicketByToken(c.UserContext(), c.Params("token"))
	if err != nil {
		return err
	}
	sa, err := s.db.FindSalonByID(c.UserContext(), t.SalonID)
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
	// The token in the URL is the ticket: never cache it in shared caches.
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return s.pages.Render(c, fiber.StatusOK, "ticket", p)
}

func (s *Server) handleCancelForm(c *fiber.Ctx) error {
	token := strings.Clone(c.Params("token"))
	if _, err := s.db.CancelRSVP(c.UserContext(), token); err != nil {
		return err
	}
	return c.Redirect("/t/"+token, fiber.StatusSeeOther)
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
	return s.d.ServeCached(c, "qr\x00"+token, "image/png", "private, max-age=300", func() ([]byte, time.Time, error) {
		t, err := s.db.FindTicketByToken(c.UserContext(), token)
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
