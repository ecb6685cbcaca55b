package site

import (
	"html/template"
	"time"

	"github.com/gofiber/fiber/v2"

	"salon/app/web"
	"salon/events"
	"salon/tickets"
)

// ogDescriptionLen is how much of the description a link preview gets:
// chat apps show two or three lines of it.
const ogDescriptionLen = 160

type salonPage struct {
	web.Page
	Salon *events.Salon
	// State is the salon's events.PublicState; Banner says it to the
	// reader when it is anything but open.
	State    string
	Banner   string
	Open     bool
	Deadline string
	Form     tickets.RSVPInput
	// Errors are the form's messages by field ("form" for the whole form);
	// Bad lists the bad fields in the form's order, for the summary, and
	// its first gets the focus.
	Errors map[string]string
	Bad    []badField
	Cal    calendarLinks
	Maps   *mapLinks
	// Description is the salon's Markdown as sanitized HTML.
	Description template.HTML
	// URL is the salon page's address from the base URL, for link previews,
	// sharing and the poster's QR code; Summary is the preview's text.
	URL     string
	Summary string
}

// badField is one line of the error summary.
type badField struct{ ID, Label, Message string }

// Focus reports whether field is the first bad one, which gets autofocus.
func (p salonPage) Focus(field string) bool { return len(p.Bad) > 0 && p.Bad[0].ID == field }

// ShowSeats reports whether the page offers seats: not for a salon that is
// cancelled or over, where "3 of 25 seats left" would mislead.
func (p salonPage) ShowSeats() bool {
	return p.State == events.StateOpen || p.State == events.StateFullWaitlist || p.State == events.StateWaitlistClosed
}

func (s *Site) salonPageData(c *fiber.Ctx, sa *events.Salon) salonPage {
	lang := web.PageLang(c)
	sa = sa.In(lang)
	p := salonPage{Page: web.NewPage(c, sa.Title), Salon: sa, Cal: s.salonCalendarLinks(sa, lang),
		Maps: salonMapLinks(sa), Description: descriptionHTML(sa.Description),
		URL: s.d.BaseURL + "/salons/" + sa.Slug, Summary: descriptionText(sa.Description, ogDescriptionLen)}
	p.State = sa.PublicState(s.d.DB.Now())
	p.Open = events.TakesRSVPs(p.State)
	if p.State != events.StateOpen {
		p.Banner = p.T("state." + p.State)
	}
	if p.Open && !sa.RSVPDeadline.Equal(sa.StartsAt) {
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
		return body, nextChange(sa, s.d.DB.Now()), err
	})
}

// nextChange is when the page changes on its own: RSVPs close, the salon
// starts, it ends. Zero when none of these is ahead.
func nextChange(sa *events.Salon, now time.Time) time.Time {
	for _, t := range []time.Time{sa.RSVPDeadline, sa.StartsAt, sa.EndsAt} {
		if t.After(now) {
			return t
		}
	}
	return time.Time{}
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
