package app

import (
	"context"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"salon/app/i18n"
	"salon/events"
	"salon/storage"
	"salon/tickets"
)

// feedWindow is how far back the feeds reach: a salon stays in them for 30
// days after it ends, so a subscriber's calendar keeps recent history.
const feedWindow = 30 * 24 * time.Hour

// industryTag is the shape of an industry (events' rule for Salon.Industry).
// A query that cannot name one is refused rather than cached as an empty
// feed, so made-up values cannot crowd real feeds out of the cache.
var industryTag = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,31}$`)

// calendars serves the .ics files and feeds from one cache. It lives beside
// the Server rather than in it so the calendar code stays in its own files.
type calendars struct {
	db    storage.Store
	opts  events.CalendarOptions
	cache *renderCache
}

// onCalendars, when set (by tests only), is told of each server's calendars
// so tests can count renders without a hook in production code paths.
var onCalendars func(*Server, *calendars)

// calendarRoutes registers the calendar files and feeds. It runs before the
// page routes: /salons/:slug.ics must not be taken for a salon page.
func (s *Server) calendarRoutes(r fiber.Router) {
	cal := &calendars{db: s.db, opts: s.calOpts,
		cache: newRenderCache(calendarCacheEntries, calendarCacheBytes)}
	if onCalendars != nil {
		onCalendars(s, cal)
	}
	r.Get("/calendar.ics", cal.handleFeed)
	r.Get("/salons/:slug.ics", cal.handleSalon)
	r.Get("/feeds/:token.ics", cal.handlePersonalFeed)
	r.Get("/t/:token/invite.ics", cal.handleInvite)
}

// newCalendarOptions builds links and UIDs from the configured base URL,
// never from the request's Host, and takes the organizer from the mail
// sender so that invitations and their mail agree. NewServer makes them
// once; the calendar files, the page links and the mail all use that copy.
func newCalendarOptions(cfg Config) events.CalendarOptions {
	o := events.CalendarOptions{BaseURL: cfg.BaseURL}
	// Config.Validate has refused a MailFrom that does not parse.
	if a, err := mail.ParseAddress(cfg.MailFrom); err == nil {
		o.OrganizerName, o.OrganizerEmail = a.Name, a.Address
	}
	if o.OrganizerName == "" {
		o.OrganizerName = i18n.T("en", "site.name")
	}
	return o
}

// handleSalon serves GET /salons/:slug.ics.
func (cal *calendars) handleSalon(c *fiber.Ctx) error {
	slug := strings.Clone(c.Params("slug"))
	return cal.serve(c, "salon\x00"+slug, calendarPublic, func(ctx context.Context) (rendered, error) {
		sa, err := cal.db.FindSalonBySlug(ctx, slug)
		if err != nil {
			return rendered{}, err
		}
		if !sa.Visible() {
			return rendered{}, events.Errorf(events.ENOTFOUND, "Salon not found.")
		}
		return rendered{body: events.SalonCalendar(sa, cal.opts), lastModified: salonStamp(sa), filename: sa.Slug + ".ics"}, nil
	})
}

// handleFeed serves GET /calendar.ics: published and cancelled salons from
// 30 days back on, optionally of one industry. Cancelled salons stay in so
// that subscribers' calendars drop them (STATUS:CANCELLED).
func (cal *calendars) handleFeed(c *fiber.Ctx) error {
	industry := strings.ToLower(strings.TrimSpace(c.Query("industry")))
	if industry != "" && !industryTag.MatchString(industry) {
		return &events.Error{Code: events.EINVALID, Message: "industry: not an industry tag",
			Fields: map[string]string{"industry": "not an industry tag"}}
	}
	industry = strings.Clone(industry)
	return cal.serve(c, "feed\x00"+industry, calendarPublic, func(ctx context.Context) (rendered, error) {
		from := cal.db.Now().Add(-feedWindow)
		f := events.SalonFilter{Statuses: []string{events.StatusPublished, events.StatusCancelled}, From: &from}
		name := i18n.T("en", "calendar.feed_name")
		if industry != "" {
			f.Industry = &industry
			name = i18n.T("en", "calendar.feed_name_industry", industry)
		}
		list, err := cal.db.FindSalons(ctx, f)
		if err != nil {
			return rendered{}, err
		}
		entries := make([]events.FeedEntry, len(list))
		var last time.Time
		for i, sa := range list {
			entries[i] = events.FeedEntry{Salon: sa}
			last = later(last, salonStamp(sa))
		}
		return rendered{body: events.FeedCalendar(name, entries, cal.opts), lastModified: last, window: true}, nil
	})
}

// handlePersonalFeed serves GET /feeds/:token.ics: one attendee's salons
// from 30 days back on. Confirmed tickets are plain events, waitlisted ones
// TENTATIVE. Cancelled tickets stay in as STATUS:CANCELLED rather than
// vanishing: a subscribed calendar removes an event it is told is cancelled,
// while one that merely disappears from a feed lingers in some clients.
func (cal *calendars) handlePersonalFeed(c *fiber.Ctx) error {
	token := strings.Clone(c.Params("token"))
	return cal.serve(c, "mine\x00"+token, calendarPersonal, func(ctx context.Context) (rendered, error) {
		email, err := cal.db.FindFeedEmail(ctx, token)
		if err != nil {
			return rendered{}, err
		}
		list, err := cal.db.FindTickets(ctx, storage.TicketFilter{Email: email})
		if err != nil {
			return rendered{}, err
		}
		from := cal.db.Now().Add(-feedWindow)
		var entries []events.FeedEntry
		var last time.Time
		lang := "en"
		for _, t := range ticketPerSalon(list) {
			sa, err := cal.db.FindSalonByID(ctx, t.SalonID)
			if err != nil {
				return rendered{}, err
			}
			if !sa.Visible() || sa.EndsAt.Before(from) {
				continue
			}
			a := attendeeOf(t)
			entries = append(entries, events.FeedEntry{Salon: sa.In(t.Lang), Attendee: &a})
			last = later(later(last, salonStamp(sa)), t.UpdatedAt)
			lang = t.Lang
		}
		slices.SortStableFunc(entries, func(a, b events.FeedEntry) int { return a.Salon.StartsAt.Compare(b.Salon.StartsAt) })
		name := i18n.T(lang, "calendar.my_feed_name")
		return rendered{body: events.FeedCalendar(name, entries, cal.opts), lastModified: last, window: true}, nil
	})
}

// handleInvite serves GET /t/:token/invite.ics: METHOD:REQUEST while the
// ticket holds a seat or a waitlist place and the salon stands, METHOD:CANCEL
// (same UID, higher SEQUENCE) once either is cancelled, so that opening the
// file again removes the event the first one added.
func (cal *calendars) handleInvite(c *fiber.Ctx) error {
	token := strings.Clone(c.Params("token"))
	return cal.serve(c, "invite\x00"+token, calendarPersonal, func(ctx context.Context) (rendered, error) {
		t, err := cal.db.FindTicketByToken(ctx, token)
		if err != nil {
			return rendered{}, err
		}
		sa, err := cal.db.FindSalonByID(ctx, t.SalonID)
		if err != nil {
			return rendered{}, err
		}
		if !sa.Visible() {
			return rendered{}, events.Errorf(events.ENOTFOUND, "Ticket not found.")
		}
		method := events.MethodRequest
		if !t.Active() || sa.Status == events.StatusCancelled {
			method = events.MethodCancel
		}
		body := events.InviteCalendar(sa.In(t.Lang), attendeeOf(t), method, cal.opts)
		return rendered{body: body, lastModified: later(salonStamp(sa), t.UpdatedAt), filename: sa.Slug + ".ics"}, nil
	})
}

// ticketPerSalon keeps one ticket per salon, in first-seen order: a feed
// must not hold two events with one UID. An active ticket wins over a
// cancelled one (someone who cancelled and came back), else the newest.
func ticketPerSalon(list []*tickets.Ticket) []*tickets.Ticket {
	idx := map[int64]int{}
	var out []*tickets.Ticket
	for _, t := range list {
		i, ok := idx[t.SalonID]
		if !ok {
			idx[t.SalonID] = len(out)
			out = append(out, t)
			continue
		}
		if prev := out[i]; t.Active() || !prev.Active() {
			out[i] = t
		}
	}
	return out
}

// attendeeOf copies what a calendar needs from a ticket.
func attendeeOf(t *tickets.Ticket) events.Attendee {
	return events.Attendee{Name: t.Name, Email: t.Email,
		Waitlisted: t.Status == tickets.StatusWaitlisted, Cancelled: t.Status == tickets.StatusCancelled}
}

// salonStamp is when a salon last changed, as its calendar says
// (LAST-MODIFIED).
func salonStamp(sa *events.Salon) time.Time { return later(sa.CreatedAt, sa.UpdatedAt) }

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
