package site

import (
	"html/template"
	"time"

	"github.com/gofiber/fiber/v2"

	"salon/app/web"
	"salon/events"
	"salon/tickets"
)

type salonPage struct {
	web.Page
	Salon    *events.Salon
	Open     bool
	Closed   string
	Deadline string
	Form     tickets.RSVPInput
	Errors   map[string]string
	Cal      calendarLinks
	// Description is the salon's Markdown as sanitized HTML.
	Description template.HTML
}

func (s *Site) salonPageData(c *fiber.Ctx, sa *events.Salon) salonPage {
	sa = sa.In(web.PageLang(c))
	p := salonPage{Page: web.NewPage(c, sa.Title), Salon: sa, Cal: s.salonCalendarLinks(sa, web.PageLang(c)),
		Description: descriptionHTML(sa.Description)}
	if err := sa.RSVPOpen(s.d.DB.Now()); err == nil {
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

// SalonPage serves a salon's page with its RSVP form, from the page cache.
func (s *Site) SalonPage(c *fiber.Ctx) error {
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
		if now := s.d.DB.Now(); sa.RSVPDeadline.After(now) {
			until = sa.RSVPDeadline
		} else if sa.StartsAt.After(now) {
			until = sa.StartsAt
		}
		return body, until, err
	})
}

// RSVPForm takes the page's RSVP form. Success redirects to the ticket
// page (post/redirect/get); bad fields re-show the form with errors beside them.
// The salon is read only to re-show the form: taking the RSVP reads it anyway.
func (s *Site) RSVPForm(c *fiber.Ctx) error {
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
