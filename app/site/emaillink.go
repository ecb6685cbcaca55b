package site

import (
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"salon/app/web"
	"salon/events"
	"salon/storage"
)

// EmailLinkPath is where a mailed email link opens; the token follows.
const EmailLinkPath = "/me/"

type allTicketsPage struct {
	ticketPage
	// Limited says a link was mailed to the address too recently.
	Limited bool
}

// AllTicketsForm mails the ticket's address a one-time link to every
// ticket of that address. Whoever holds a ticket's link may ask, but only
// the address's reader gets the link. It answers a page that says so, or
// that a link went out a short while ago.
func (s *Site) AllTicketsForm(c *fiber.Ctx) error {
	token := strings.Clone(c.Params("token"))
	p, err := s.loadTicket(c, token)
	if err != nil {
		return err
	}
	if p.Ticket.Erased() {
		return c.Redirect("/t/"+token, fiber.StatusSeeOther)
	}
	page := allTicketsPage{ticketPage: p}
	page.Title = p.T("all.title")
	status := fiber.StatusOK
	_, err = s.d.DB.CreateEmailLink(c.UserContext(), storage.EmailLinkRequest{TicketToken: token,
		MailURL: s.d.BaseURL + EmailLinkPath, Lang: p.Lang})
	if errors.Is(err, storage.ErrEmailLinkLimited) {
		page.Limited, status = true, fiber.StatusTooManyRequests
	} else if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return s.pages.Render(c, status, "all", page)
}

type emailLinkPage struct {
	web.Page
	Token string
	Link  *storage.EmailLink
	// Expired says the link is past its day.
	Expired bool
	// Active counts the tickets erasing would cancel.
	Active int
}

// Until is when the link stops working, in the page's language and the
// default zone of salons.
func (p emailLinkPage) Until() string {
	return web.FormatTime(p.Lang, p.Link.ExpiresAt, p.zone())
}

func (p emailLinkPage) zone() *time.Location { return events.ZoneOrDefault(events.DefaultTimezone) }

// loadEmailLink reads the link of the request's token; an expired link is
// a page of its own (410), anything else not found.
func (s *Site) loadEmailLink(c *fiber.Ctx, titleKey string) (emailLinkPage, bool, error) {
	token := strings.Clone(c.Params("token"))
	p := emailLinkPage{Page: web.NewPage(c, ""), Token: token}
	p.Title = p.T(titleKey)
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	l, err := s.d.DB.FindEmailLink(c.UserContext(), token)
	if errors.Is(err, storage.ErrLinkExpired) {
		p.Expired = true
		return p, false, s.pages.Render(c, fiber.StatusGone, "me", p)
	} else if err != nil {
		return p, false, err
	}
	p.Link = l
	for _, t := range l.Tickets {
		if t.Status != "cancelled" {
			p.Active++
		}
	}
	return p, true, nil
}

// EmailLinkPage lists every ticket of the link's address and offers the
// export and the erasure. It writes nothing: mail scanners open links.
func (s *Site) EmailLinkPage(c *fiber.Ctx) error {
	p, ok, err := s.loadEmailLink(c, "me.title")
	if !ok {
		return err
	}
	return s.pages.Render(c, fiber.StatusOK, "me", p)
}

// EmailErasePage asks before erasing every ticket of the address.
func (s *Site) EmailErasePage(c *fiber.Ctx) error {
	p, ok, err := s.loadEmailLink(c, "me.erase_title")
	if !ok {
		return err
	}
	return s.pages.Render(c, fiber.StatusOK, "me_erase", p)
}

// EmailEraseForm erases every ticket of the address (the confirmation's
// button posts confirm=1) and lands on the privacy page, which says so; a
// post without confirm only asks.
func (s *Site) EmailEraseForm(c *fiber.Ctx) error {
	if c.FormValue("confirm") != "1" {
		return s.EmailErasePage(c)
	}
	if _, err := s.d.DB.EraseEmail(c.UserContext(), strings.Clone(c.Params("token"))); err != nil {
		if errors.Is(err, storage.ErrLinkExpired) {
			_, _, err = s.loadEmailLink(c, "me.title")
		}
		return err
	}
	return c.Redirect("/privacy?erased=1", fiber.StatusSeeOther)
}
