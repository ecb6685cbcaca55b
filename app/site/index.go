package site

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"salon/app/web"
	"salon/events"
)

type indexPage struct {
	web.Page
	Salons     []*events.Salon
	Industry   string
	Industries []string
	FeedURL    string
	// More links the next page of salons, First the first, when there are.
	More, First string
	now         time.Time
}

// State is a listed salon's events.PublicState, for its card's badge.
func (p indexPage) State(s *events.Salon) string { return s.PublicState(p.now) }

// listingPage is how many salons the listing shows at once: a phone
// scrolls comfortably through that many.
const listingPage = 20

// Index serves the listing: upcoming salons, by industry, a page at a
// time, from the page cache.
func (s *Site) Index(c *fiber.Ctx) error {
	filter, err := s.d.ListFilter(c)
	if err != nil {
		return err
	}
	filter.Limit = listingPage
	key := listingKey(web.PageLang(c), filter, s.d.DB.Now())
	return s.d.ServePage(c, key, func() ([]byte, time.Time, error) {
		list, err := s.d.DB.FindSalons(c.UserContext(), filter)
		if err != nil {
			return nil, time.Time{}, err
		}
		lang := web.PageLang(c)
		for i, sa := range list {
			list[i] = sa.In(lang)
		}
		industries, err := s.d.DB.FindIndustries(c.UserContext(), filter)
		if err != nil {
			return nil, time.Time{}, err
		}
		now := s.d.DB.Now()
		p := indexPage{Page: web.NewPage(c, ""), Salons: list, Industries: industries, FeedURL: s.d.BaseURL + "/calendar.ics", now: now}
		// The page changes on its own when a listed salon's badge does.
		var until time.Time
		for _, sa := range list {
			if t := nextChange(sa, now); !t.IsZero() && (until.IsZero() || t.Before(until)) {
				until = t
			}
		}
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
		return body, until, err
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
