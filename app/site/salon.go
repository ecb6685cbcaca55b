package site

import (
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"salon/app/i18n"
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
	// Cover is the cover image for srcset, OGImage its widest width for
	// link previews (nil without a cover).
	Cover   *coverImage
	OGImage *ogImage
	// IndustryName is the salon's industry in the page's language.
	IndustryName string
}

// coverImage is what the page's <img> needs of a cover.
type coverImage struct {
	Src           string
	Srcset        string
	Width, Height int
}

// ogImage is a link preview's image, by its address from the base URL.
type ogImage struct {
	URL           string
	Width, Height int
}

// salonCover builds the page's cover image: the 960 (or the widest
// below it) as src for browsers without srcset, every width in srcset.
func (s *Site) salonCover(sa *events.Salon) (*coverImage, *ogImage) {
	if !sa.Cover.Has() {
		return nil, nil
	}
	var set []string
	src := sa.Cover.Smallest()
	for _, z := range sa.Cover.Sizes {
		set = append(set, sa.Cover.Path(z.Width)+" "+strconv.Itoa(z.Width)+"w")
		if z.Width <= 960 {
			src = z
		}
	}
	big := sa.Cover.Largest()
	return &coverImage{Src: sa.Cover.Path(src.Width), Srcset: strings.Join(set, ", "), Width: src.Width, Height: src.Height},
		&ogImage{URL: s.d.BaseURL + sa.Cover.Path(big.Width), Width: big.Width, Height: big.Height}
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
	p.Cover, p.OGImage = s.salonCover(sa)
	p.IndustryName = sa.Industry
	if names, err := s.d.IndustryNames(c.UserContext(), lang); err == nil {
		p.IndustryName = names.Of(sa.Industry)
		p.Cal.SubscribeLabel = i18n.T(lang, "calendar.subscribe_industry", p.IndustryName)
	} else {
		web.LogInternal(s.d.Log, "industry names", err)
	}
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

// SalonPage serves a salon's page with its RSVP form, from the page cache,
// or, right after a form with errors, rendered for this reader alone with
// the errors and what they typed (see keepForm).
func (s *Site) SalonPage(c *fiber.Ctx) error {
	slug := c.Params("slug")
	if f, ok := s.takeForm(c, slug); ok {
		sa, err := s.d.PublicSalon(c.UserContext(), slug)
		if err != nil {
			return err
		}
		p := s.salonPageData(c, sa)
		p.Form, p.Errors, p.Bad = f.Form, f.Errors, badFields(p.Lang, f.Errors)
		p.Bad = append(p.Bad, questionBadFields(p.Lang, sa.Questions, f.Errors)...)
		c.Set(fiber.HeaderCacheControl, "no-store")
		return s.pages.Render(c, fiber.StatusOK, "salon", p)
	}
	// Keyed on what the page shows, not the URL: made-up query strings
	// must neither miss nor crowd real pages out of the cache.
	key := "salon\x00" + web.PageLang(c) + "\x00" + slug
	return s.d.ServePage(c, key, func() ([]byte, time.Time, error) {
		sa, err := s.d.PublicSalon(c.UserContext(), slug)
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
// page; a refusal redirects back to the salon's page, which shows the
// errors and what was typed (post/redirect/get both ways).
func (s *Site) RSVPForm(c *fiber.Ctx) error {
	slug := c.Params("slug")
	lang := web.PageLang(c)
	in := tickets.RSVPInput{
		Name: c.FormValue("name"), Email: c.FormValue("email"), Company: c.FormValue("company"),
		JobTitle: c.FormValue("job_title"), Lang: lang, Guests: formGuests(c.FormValue("guests")), Answers: formAnswers(c),
	}
	// No Idempotency-Key here: the answer is a redirect to the ticket page,
	// which a replay must not hand out.
	res, err := s.d.TakeRSVP(c.UserContext(), slug, in, "")
	if err == nil {
		return c.Redirect("/t/"+res.Ticket.Token, fiber.StatusSeeOther)
	}
	code, _ := web.StatusFor(err)
	if code == events.EINTERNAL || code == events.ENOTFOUND {
		return err
	}
	errs := web.FieldMessages(lang, err)
	if errs == nil {
		msg := events.ErrorMessage(err)
		if key, ok := refusalKeys[code]; ok {
			msg = i18n.T(lang, key)
		}
		errs = map[string]string{"form": msg}
	}
	s.keepForm(c, formFlash{Slug: strings.Clone(slug), Form: cloneInput(in), Errors: errs})
	return c.Redirect("/salons/"+slug, fiber.StatusSeeOther)
}

// formGuests reads the form's guests: empty is none; anything but a whole
// number is -1, which validation refuses naming the field.
func formGuests(v string) int {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return -1
	}
	return n
}

// GuestChoices are the form's choices of guests: 0 up to the salon's
// max_guests.
func (p salonPage) GuestChoices() []int {
	out := make([]int, 0, p.Salon.MaxGuests+1)
	for i := 0; i <= p.Salon.MaxGuests; i++ {
		out = append(out, i)
	}
	return out
}

// RSVPLink answers a GET of the form's address, which people copy from the
// address bar after a refused form in older versions: it is the salon.
func (s *Site) RSVPLink(c *fiber.Ctx) error {
	return c.Redirect("/salons/"+url.PathEscape(c.Params("slug")), fiber.StatusFound)
}

// cloneInput copies what the form carried out of Fiber's request buffers,
// since the flash outlives the request.
func cloneInput(in tickets.RSVPInput) tickets.RSVPInput {
	in.Name, in.Email, in.Company, in.JobTitle = strings.Clone(in.Name), strings.Clone(in.Email), strings.Clone(in.Company), strings.Clone(in.JobTitle)
	return in
}
