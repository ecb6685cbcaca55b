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
	Salons []*events.Salon
	// Industry and Q are the filter as given, for the form.
	Industry, Q string
	// Industries are the filter's choices: the industries of the salons
	// this page could list, named in the page's language.
	Industries []industryOption
	Names      web.IndustryNames
	// Past marks the page of salons that have ended; Action is where the
	// filter form goes (this page).
	Past    bool
	Action  string
	FeedURL string
	// More links the next page of salons, First the first, when there are.
	More, First string
	now         time.Time
}

// industryOption is one choice of the listing's industry filter.
type industryOption struct{ Slug, Name string }

// State is a listed salon's events.PublicState, for its card's badge.
func (p indexPage) State(s *events.Salon) string { return s.PublicState(p.now) }

// listingPage is how many salons the listing shows at once: a phone
// scrolls comfortably through that many.
const listingPage = 20

// Index serves the listing: upcoming salons, by industry and words of
// their title or description, a page at a time, from the page cache.
func (s *Site) Index(c *fiber.Ctx) error { return s.listing(c, false) }

// Past serves the salons that have ended, latest first, filtered and paged
// as the listing is.
func (s *Site) Past(c *fiber.Ctx) error { return s.listing(c, true) }

func (s *Site) listing(c *fiber.Ctx, past bool) error {
	filter, err := s.d.ListFilter(c)
	if err != nil {
		return err
	}
	filter.Limit = listingPage
	now := s.d.DB.Now()
	action := "/"
	if past {
		filter.From, filter.To, filter.EndedBefore, filter.Newest = nil, nil, &now, true
		action = "/past"
	}
	lang := web.PageLang(c)
	key := listingKey(lang, filter, now)
	return s.d.ServePage(c, key, func() ([]byte, time.Time, error) {
		ctx := c.UserContext()
		list, err := s.d.DB.FindSalons(ctx, filter)
		if err != nil {
			return nil, time.Time{}, err
		}
		for i, sa := range list {
			list[i] = sa.In(lang)
		}
		tags, err := s.d.DB.FindIndustries(ctx, filter)
		if err != nil {
			return nil, time.Time{}, err
		}
		names, err := s.d.IndustryNames(ctx, lang)
		if err != nil {
			return nil, time.Time{}, err
		}
		p := indexPage{Page: web.NewPage(c, ""), Salons: list, Names: names, Past: past, Action: action,
			FeedURL: s.d.BaseURL + "/calendar.ics", now: now}
		all, err := s.d.Industries(ctx)
		if err != nil {
			return nil, time.Time{}, err
		}
		p.Industries = filterOptions(all, tags, filter.Industry, names)
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
		if filter.Q != nil {
			p.Q = *filter.Q
			q.Set("q", p.Q)
		}
		if filter.Offset > 0 {
			p.First = action + "?" + q.Encode()
		}
		if len(list) == listingPage {
			q.Set("offset", strconv.Itoa(filter.Offset+listingPage))
			p.More = action + "?" + q.Encode()
		}
		p.Title = p.T("list.title")
		if past {
			p.Title = p.T("list.past_title")
		}
		body, err := s.pages.Bytes("index", p)
		return body, until, err
	})
}

// filterOptions orders the filter's choices as the list of industries
// does (the fixed list first), then tags no industry names, and keeps the
// chosen one even when no salon has it now.
func filterOptions(all []*events.Industry, tags []string, chosen *string, names web.IndustryNames) []industryOption {
	have := map[string]bool{}
	for _, t := range tags {
		have[t] = true
	}
	if chosen != nil {
		have[*chosen] = true
	}
	var out []industryOption
	for _, ind := range all {
		if have[ind.Slug] {
			out = append(out, industryOption{ind.Slug, names.Of(ind.Slug)})
			delete(have, ind.Slug)
		}
	}
	for _, t := range tags {
		if have[t] {
			out = append(out, industryOption{t, t})
			delete(have, t)
		}
	}
	if chosen != nil && have[*chosen] {
		out = append(out, industryOption{*chosen, *chosen})
	}
	return out
}

// listingKey keys a listing page on its language and the filter as parsed,
// so that parameters the listing ignores, their order and their spelling do
// not make pages of their own. A from that is not in the future means "now"
// (listFilter moves it there) and keys as empty; the past page's "ended
// before now" keys as "past", and its entries live for pageTTL at most.
func listingKey(lang string, f events.SalonFilter, now time.Time) string {
	var b strings.Builder
	if f.EndedBefore != nil {
		b.WriteString("past\x00")
	} else {
		b.WriteString("index\x00")
	}
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
