package web

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"salon/events"
)

// PublicSalon returns a salon anyone may see; drafts and unknown slugs give
// the same 404.
func (d *Deps) PublicSalon(ctx context.Context, slug string) (*events.Salon, error) {
	sa, err := d.DB.FindSalonBySlug(ctx, slug)
	if err != nil {
		return nil, err
	}
	if !sa.Visible() {
		return nil, events.Errorf(events.ENOTFOUND, "Salon not found.")
	}
	return sa, nil
}

// ListFilter reads the listing's query: industry, q, from, to, limit, offset.
// Only published and cancelled salons that have not ended are listed.
func (d *Deps) ListFilter(c *fiber.Ctx) (events.SalonFilter, error) {
	f := events.FieldErrors{}
	now := d.DB.Now()
	filter := events.SalonFilter{Statuses: []string{events.StatusPublished, events.StatusCancelled}, From: &now, Limit: 50}
	if v := strings.ToLower(strings.TrimSpace(c.Query("industry"))); v != "" {
		filter.Industry = &v
	}
	if v := strings.TrimSpace(c.Query("q")); v != "" {
		if len(v) > 200 {
			f.Add("q", "too long")
		}
		filter.Q = &v
	}
	loc, _ := events.LoadZone(events.DefaultTimezone)
	for _, p := range []struct {
		name string
		dst  **time.Time
	}{{"from", &filter.From}, {"to", &filter.To}} {
		if v := c.Query(p.name); v != "" {
			t, ok := events.ParseTime(v, loc)
			if !ok {
				if d, err := time.ParseInLocation("2006-01-02", v, loc); err == nil {
					t, ok = d.UTC(), true
				}
			}
			if !ok {
				f.Add(p.name, "not a valid date or time")
				continue
			}
			if p.name == "from" && t.Before(now) {
				t = now // ended salons are never listed
			}
			*p.dst = &t
		}
	}
	for _, p := range []struct {
		name     string
		dst      *int
		min, max int
	}{{"limit", &filter.Limit, 1, 200}, {"offset", &filter.Offset, 0, 1 << 30}} {
		if v := c.Query(p.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < p.min || n > p.max {
				f.Add(p.name, "must be a whole number from "+strconv.Itoa(p.min)+" to "+strconv.Itoa(p.max))
				continue
			}
			*p.dst = n
		}
	}
	return filter, f.Err()
}
