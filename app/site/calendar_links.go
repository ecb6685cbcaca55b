package site

import (
	"context"
	"html/template"
	"net/url"

	"salon/app/i18n"
	"salon/app/web"
	"salon/events"
	"salon/tickets"
)

// calendarLinks are the "Add to calendar" links shown beside a salon. The
// zero value shows nothing: templates test Download.
type calendarLinks struct {
	// Download is the .ics file (the salon's, or the ticket's invitation).
	Download string
	// Subscribe is a webcal:// feed. It is a template.URL because
	// html/template would otherwise replace an unknown scheme with
	// "#ZgotmplZ"; it is built only from the base URL and tokens.
	Subscribe template.URL
	Google    string
	Outlook   string
	// SubscribeLabel names the feed: the salon's industry, or the
	// attendee's own salons. Lang is the page's language.
	SubscribeLabel string
	Lang           string
}

// T translates key into the page's language, for the calendar-links
// template.
func (l calendarLinks) T(key string, args ...any) string { return i18n.T(l.Lang, key, args...) }

// salonCalendarLinks are the links on a salon page, with a subscription to
// the salon's industry for people who come back for more. A cancelled or
// draft salon gets none: nobody should add it now.
func (s *Site) salonCalendarLinks(sa *events.Salon, lang string) calendarLinks {
	if sa.Status != events.StatusPublished {
		return calendarLinks{}
	}
	o := s.d.Calendar
	return calendarLinks{
		Download:       "/salons/" + url.PathEscape(sa.Slug) + ".ics",
		Subscribe:      template.URL(events.WebcalURL(s.d.BaseURL + "/calendar.ics?industry=" + url.QueryEscape(sa.Industry))),
		SubscribeLabel: i18n.T(lang, "calendar.subscribe_industry", sa.Industry),
		Google:         events.GoogleCalendarURL(sa, o),
		Outlook:        events.OutlookCalendarURL(sa, o),
		Lang:           lang,
	}
}

// ticketCalendarLinks are the links on a ticket Page: the personal
// invitation rather than the public file (it carries the attendee and can
// later cancel itself), and the attendee's own feed, which follows every
// salon they RSVP to. Nothing while the ticket or the salon is cancelled.
func (s *Site) ticketCalendarLinks(ctx context.Context, t *tickets.Ticket, sa *events.Salon, lang string) calendarLinks {
	if !t.Active() || sa.Status != events.StatusPublished {
		return calendarLinks{}
	}
	o := s.d.Calendar
	l := calendarLinks{
		Download:       "/t/" + url.PathEscape(t.Token) + "/invite.ics",
		Google:         events.GoogleCalendarURL(sa, o),
		Outlook:        events.OutlookCalendarURL(sa, o),
		SubscribeLabel: i18n.T(lang, "calendar.subscribe_mine"),
		Lang:           lang,
	}
	// The page is still useful without the feed link, so a failure to find
	// the feed token is logged, not shown.
	feed, err := s.d.DB.FeedToken(ctx, t.Email)
	if err != nil {
		web.LogInternal(s.d.Log, "calendar links: feed token", err)
	} else if feed != "" {
		l.Subscribe = template.URL(events.WebcalURL(s.d.BaseURL + "/feeds/" + url.PathEscape(feed) + ".ics"))
	}
	return l
}

// WebcalURL is the listing's feed (with its industry filter) as a webcal://
// link, so that a click subscribes instead of downloading a copy that never
// updates.
func (p indexPage) WebcalURL() template.URL { return template.URL(events.WebcalURL(p.FeedURL)) }
