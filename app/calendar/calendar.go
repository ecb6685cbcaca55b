// Package calendar serves the iCalendar files and feeds: a salon's .ics,
// the public feed (by industry), an attendee's personal feed and a ticket's
// invitation, each from the kernel's calendar cache with conditional GET.
// It imports no other surface.
package calendar

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"salon/app/i18n"
	"salon/app/web"
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

// Calendar serves the .ics files and feeds from one cache.
type Calendar struct {
	db    storage.Store
	opts  events.CalendarOptions
	cache *web.RenderCache
}

// New builds the calendar handlers on the kernel's store, calendar options
// and calendar cache.
func New(d *web.Deps) *Calendar {
	return &Calendar{db: d.DB, opts: d.Calendar, cache: d.Calendars}
}

// Salon serves GET /salons/:slug.ics.
func (cal *Calendar) Salon(c *fiber.Ctx) error {
	slug := strings.Clone(c.Params("slug"))
	return cal.serve(c, "salon\x00"+slug, calendarPublic, func(ctx context.Context) (web.Rendered, error) {
		sa, err := cal.db.FindSalonBySlug(ctx, slug)
		if err != nil {
			return web.Rendered{}, err
		}
		if !sa.Visible() {
			return web.Rendered{}, events.Errorf(events.ENOTFOUND, "Salon not found.")
		}
		return web.Rendered{Body: events.SalonCalendar(sa, cal.opts), LastModified: salonStamp(sa), Filename: sa.Slug + ".ics"}, nil
	})
}

// Feed serves GET /calendar.ics: published and cancelled salons from
// 30 days back on, optionally of one industry. Cancelled salons stay in so
// that subscribers' calendars drop them (STATUS:CANCELLED).
func (cal *Calendar) Feed(c *fiber.Ctx) error {
	industry := strings.ToLower(strings.TrimSpace(c.Query("industry")))
	if industry != "" && !industryTag.MatchString(industry) {
		return &events.Error{Code: events.EINVALID, Message: "industry: not an industry tag",
			Fields: map[string]string{"industry": "not an industry tag"}}
	}
	industry = strings.Clone(industry)
	return cal.serve(c, "feed\x00"+industry, calendarPublic, func(ctx context.Context) (web.Rendered, error) {
		from := cal.db.Now().Add(-feedWindow)
		f := events.SalonFilter{Statuses: []string{events.StatusPublished, events.StatusCancelled}, From: &from}
		name := i18n.T("en", "calendar.feed_name")
		if industry != "" {
			f.Industry = &industry
			name = i18n.T("en", "calendar.feed_name_industry", industry)
		}
		list, err := cal.db.FindSalons(ctx, f)
		if err != nil {
			return web.Rendered{}, err
		}
		entries := make([]events.FeedEntry, len(list))
		var last time.Time
		for i, sa := range list {
			entries[i] = events.FeedEntry{Salon: sa}
			last = web.Later(last, salonStamp(sa))
		}
		return web.Rendered{Body: events.FeedCalendar(name, entries, cal.opts), LastModified: last, Window: true}, nil
	})
}

// PersonalFeed serves GET /feeds/:token.ics: one attendee's salons
// from 30 days back on. Confirmed tickets are plain events, waitlisted ones
// TENTATIVE. Cancelled tickets stay in as STATUS:CANCELLED rather than
// vanishing: a subscribed calendar removes an event it is told is cancelled,
// while one that merely disappears from a feed lingers in some clients.
func (cal *Calendar) PersonalFeed(c *fiber.Ctx) error {
	token := strings.Clone(c.Params("token"))
	return cal.serve(c, "mine\x00"+token, calendarPersonal, func(ctx context.Context) (web.Rendered, error) {
		email, err := cal.db.FindFeedEmail(ctx, token)
		if err != nil {
			return web.Rendered{}, err
		}
		list, err := cal.db.FindTickets(ctx, storage.TicketFilter{Email: email})
		if err != nil {
			return web.Rendered{}, err
		}
		from := cal.db.Now().Add(-feedWindow)
		var entries []events.FeedEntry
		var last time.Time
		lang := "en"
		for _, t := range ticketPerSalon(list) {
			sa, err := cal.db.FindSalonByID(ctx, t.SalonID)
			if err != nil {
				return web.Rendered{}, err
			}
			if !sa.Visible() || sa.EndsAt.Before(from) {
				continue
			}
			a := attendeeOf(t)
			entries = append(entries, events.FeedEntry{Salon: sa.In(t.Lang), Attendee: &a})
			last = web.Later(web.Later(last, salonStamp(sa)), t.UpdatedAt)
			lang = t.Lang
		}
		slices.SortStableFunc(entries, func(a, b events.FeedEntry) int { return a.Salon.StartsAt.Compare(b.Salon.StartsAt) })
		name := i18n.T(lang, "calendar.my_feed_name")
		return web.Rendered{Body: events.FeedCalendar(name, entries, cal.opts), LastModified: last, Window: true}, nil
	})
}

// Invite serves GET /t/:token/invite.ics: METHOD:REQUEST while the
// ticket holds a seat or a waitlist place and the salon stands, METHOD:CANCEL
// (same UID, higher SEQUENCE) once either is cancelled, so that opening the
// file again removes the event the first one added.
func (cal *Calendar) Invite(c *fiber.Ctx) error {
	token := strings.Clone(c.Params("token"))
	return cal.serve(c, "invite\x00"+token, calendarPersonal, func(ctx context.Context) (web.Rendered, error) {
		t, err := cal.db.FindTicketByToken(ctx, token)
		if err != nil {
			return web.Rendered{}, err
		}
		sa, err := cal.db.FindSalonByID(ctx, t.SalonID)
		if err != nil {
			return web.Rendered{}, err
		}
		// An erased ticket names nobody to invite.
		if !sa.Visible() || t.Erased() {
			return web.Rendered{}, events.Errorf(events.ENOTFOUND, "Ticket not found.")
		}
		method := events.MethodRequest
		if !t.Active() || sa.Status == events.StatusCancelled {
			method = events.MethodCancel
		}
		body := events.InviteCalendar(sa.In(t.Lang), attendeeOf(t), method, cal.opts)
		return web.Rendered{Body: body, LastModified: web.Later(salonStamp(sa), t.UpdatedAt), Filename: sa.Slug + ".ics"}, nil
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
	// A request awaiting approval is as tentative as a waitlist place; a
	// declined one is as gone as a cancelled one.
	return events.Attendee{Name: t.Name, Email: t.Email,
		Waitlisted: t.Status == tickets.StatusWaitlisted || t.Status == tickets.StatusPending, Cancelled: !t.Active()}
}

// salonStamp is when a salon last changed, as its calendar says
// (LAST-MODIFIED).
func salonStamp(sa *events.Salon) time.Time { return web.Later(sa.CreatedAt, sa.UpdatedAt) }
