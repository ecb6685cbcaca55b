package events

import (
	"net/url"
	"strconv"
	"strings"
	"time"
)

// DefaultProductID is the PRODID written when CalendarOptions leaves it empty.
const DefaultProductID = "-//Salon//Salon//EN"

// defaultBaseURL matches the --base-url default, so a forgotten option still
// gives links that work on a developer's machine.
const defaultBaseURL = "http://localhost:8080"

// Calendar methods (RFC 5546). Files and feeds publish; personal invitations
// request or cancel.
const (
	MethodPublish = "PUBLISH"
	MethodRequest = "REQUEST"
	MethodCancel  = "CANCEL"
)

// CalendarOptions carries what a calendar needs that is not in a salon.
type CalendarOptions struct {
	// BaseURL is the server's public address ("http://localhost:8080").
	// Every link is built from it, never from a request, and the UID
	// domain is its host, so it must not change once calendars are out.
	BaseURL string
	// OrganizerName is the CN of ORGANIZER (may be any script).
	OrganizerName string
	// OrganizerEmail is ORGANIZER's address. Invitations need one; when
	// it is empty they use no-reply@<host>.
	OrganizerEmail string
	// ProductID is PRODID; empty means DefaultProductID.
	ProductID string
}

// Attendee is a person on an invitation or a personal feed. It copies what
// calendars need from a ticket because package events must not import
// package tickets.
type Attendee struct {
	Name       string
	Email      string
	Waitlisted bool
	Cancelled  bool
}

// FeedEntry is one salon in a feed. Attendee is set in a personal feed so
// the entry shows that person's standing (tentative while waitlisted).
type FeedEntry struct {
	Salon    *Salon
	Attendee *Attendee
}

// SalonCalendar renders the public .ics file of one salon (METHOD:PUBLISH,
// one VEVENT). The body depends only on s and o, so it may be cached and
// given an ETag.
func SalonCalendar(s *Salon, o CalendarOptions) []byte {
	return render(o, MethodPublish, nil, []vevent{{s: s}})
}

// FeedCalendar renders a subscribable feed named name, one VEVENT per entry
// in the given order. REFRESH-INTERVAL and X-PUBLISHED-TTL ask clients to
// poll hourly: Google and Outlook otherwise wait up to a day, so a
// cancellation would arrive late.
func FeedCalendar(name string, entries []FeedEntry, o CalendarOptions) []byte {
	evs := make([]vevent, 0, len(entries))
	for _, e := range entries {
		if e.Salon != nil {
			evs = append(evs, vevent{s: e.Salon, a: e.Attendee})
		}
	}
	return render(o, MethodPublish, func(w *icalWriter) {
		w.text("NAME", name)
		w.text("X-WR-CALNAME", name)
		w.prop("REFRESH-INTERVAL", "PT1H", icalParam{"VALUE", "DURATION"})
		w.prop("X-PUBLISHED-TTL", "PT1H")
	}, evs)
}

// InviteCalendar renders the personal invitation of a for s, with ORGANIZER
// and ATTENDEE so that mail clients offer to add it and later replace or
// remove it by UID. method is MethodRequest or MethodCancel; anything else
// is taken as a request, since an invitation must carry one of them.
//
// SEQUENCE is s.Sequence, plus one when the invitation withdraws the person
// (a CANCEL, or an attendee who cancelled) while the salon itself stands:
// the person's cancellation does not raise the salon's Sequence, and clients
// such as Google ignore a CANCEL that is not newer than the copy they hold. A
// cancelled salon has had its Sequence raised by Apply already.
func InviteCalendar(s *Salon, a Attendee, method string, o CalendarOptions) []byte {
	method = strings.ToUpper(strings.TrimSpace(method))
	if method != MethodCancel {
		method = MethodRequest
	}
	return render(o, method, nil, []vevent{{s: s, a: &a, invite: true, cancel: method == MethodCancel}})
}

// SalonUID is the salon's UID, the same in every file, feed and mail so that
// clients update one entry instead of adding another. It uses the database
// id, not the slug, so it survives a change of title.
func SalonUID(s *Salon, o CalendarOptions) string { return salonUID(s, o.host()) }

func salonUID(s *Salon, host string) string {
	return "salon-" + strconv.FormatInt(s.ID, 10) + "@" + host
}

// SalonURL is the salon's public page, as linked from calendars.
func SalonURL(s *Salon, o CalendarOptions) string { return salonURL(s, o.baseURL()) }

func salonURL(s *Salon, base string) string {
	return base + "/salons/" + url.PathEscape(s.Slug)
}

func (o CalendarOptions) baseURL() string {
	b := strings.TrimRight(cleanURI(o.BaseURL), "/")
	if b == "" {
		return defaultBaseURL
	}
	return b
}

func (o CalendarOptions) host() string { return hostOf(o.baseURL()) }

// hostOf is the lowercase host of a cleaned base URL, or "localhost".
func hostOf(base string) string {
	u, err := url.Parse(base)
	if err != nil || u.Hostname() == "" {
		return "localhost"
	}
	return strings.ToLower(u.Hostname())
}

// renderLinks is what every event of one render builds its URL, UID and
// ORGANIZER from, worked out once per render instead of cleaning and
// parsing the base URL again for each event.
type renderLinks struct {
	base, host, organizer string
}

func (o CalendarOptions) links() renderLinks {
	base := o.baseURL()
	host := hostOf(base)
	organizer := cleanURI(o.OrganizerEmail)
	if organizer == "" {
		organizer = "no-reply@" + host
	}
	return renderLinks{base: base, host: host, organizer: organizer}
}

func (o CalendarOptions) productID() string {
	if o.ProductID == "" {
		return DefaultProductID
	}
	return o.ProductID
}

// vevent is one event to render and the view it is rendered for.
type vevent struct {
	s      *Salon
	a      *Attendee // nil in the public file and feed
	invite bool      // write ATTENDEE (iTIP PUBLISH forbids it)
	cancel bool      // METHOD:CANCEL
}

// eventTime is a DTSTART or DTEND value and its TZID ("" for UTC).
type eventTime struct{ value, tzid string }

// render writes a whole VCALENDAR. Zones are collected first because every
// VTIMEZONE must cover all events that use it.
func render(o CalendarOptions, method string, header func(*icalWriter), evs []vevent) []byte {
	w := &icalWriter{}
	w.b.Grow(1024 + 1536*len(evs))
	w.prop("BEGIN", "VCALENDAR")
	w.text("PRODID", o.productID())
	w.prop("VERSION", "2.0")
	w.prop("CALSCALE", "GREGORIAN")
	w.prop("METHOD", method)
	if header != nil {
		header(w)
	}
	used := zoneSet{}
	times := make([][2]eventTime, len(evs))
	for i, e := range evs {
		loc := e.s.Location()
		times[i][0] = zonedTime(e.s.StartsAt, loc, used)
		if e.s.EndsAt.After(e.s.StartsAt) {
			times[i][1] = zonedTime(e.s.EndsAt, loc, used)
		}
	}
	used.write(w)
	l := o.links()
	for i, e := range evs {
		writeEvent(w, e, times[i], o, l)
	}
	w.prop("END", "VCALENDAR")
	return w.b.Bytes()
}

// zonedTime writes t with the salon's TZID so clients show the salon's own
// wall time and follow later rule changes, falling back to UTC where a
// local time cannot say which instant it means.
func zonedTime(t time.Time, loc *time.Location, used zoneSet) eventTime {
	if loc == time.UTC {
		return eventTime{value: t.UTC().Format(icalUTC)}
	}
	wall, ok := wallTime(t, loc)
	if !ok {
		return eventTime{value: t.UTC().Format(icalUTC)}
	}
	used.add(loc, t)
	return eventTime{value: wall, tzid: loc.String()}
}
