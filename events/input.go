package events

import (
	"strings"
	"time"
)

// SalonInput is a salon as a client sends it: the body of POST and PATCH
// /api/v1/salons, and what the console's form becomes. Pointers tell absent
// fields from empty ones.
type SalonInput struct {
	Slug                  *string `json:"slug"`
	Title                 *string `json:"title"`
	TitleZh               *string `json:"title_zh"`
	DescriptionZh         *string `json:"description_zh"`
	Industry              *string `json:"industry"`
	Description           *string `json:"description"`
	Venue                 *string `json:"venue"`
	Address               *string `json:"address"`
	StartsAt              *string `json:"starts_at"`
	EndsAt                *string `json:"ends_at"`
	Timezone              *string `json:"timezone"`
	Capacity              *int    `json:"capacity"`
	Waitlist              *bool   `json:"waitlist"`
	RSVPDeadline          *string `json:"rsvp_deadline"`
	Status                *string `json:"status"`
	ReminderBeforeMinutes *int    `json:"reminder_before_minutes"`
	Approval              *bool   `json:"approval"`
	MaxGuests             *int    `json:"max_guests"`
	// Questions replace the salon's questions when present.
	Questions *[]Question `json:"questions"`
	// Host is who hosts the salon, replaced as a whole (a name alone
	// clears the about). cover_url is read-only: covers are uploaded.
	Host *HostInput `json:"host"`
}

// Update turns the input into a SalonUpdate. Times without an offset are read
// in zone, the salon's zone (the new one when the input changes it), so an
// organizer types the wall clock time of the place where the salon is held.
func (in *SalonInput) Update(zone string) (SalonUpdate, error) {
	f := FieldErrors{}
	u := SalonUpdate{Capacity: in.Capacity, Waitlist: in.Waitlist, Approval: in.Approval, MaxGuests: in.MaxGuests}
	trim := func(p *string) *string {
		if p == nil {
			return nil
		}
		v := strings.TrimSpace(*p)
		return &v
	}
	u.Title, u.Venue, u.Address, u.Status = trim(in.Title), trim(in.Venue), trim(in.Address), trim(in.Status)
	u.TitleZh = trim(in.TitleZh)
	if in.DescriptionZh != nil {
		v := NormalizeText(*in.DescriptionZh)
		u.DescriptionZh = &v
	}
	if in.Industry != nil {
		v := strings.ToLower(strings.TrimSpace(*in.Industry))
		u.Industry = &v
	}
	if in.Description != nil {
		v := NormalizeText(*in.Description)
		u.Description = &v
	}
	if in.Timezone != nil {
		v := strings.TrimSpace(*in.Timezone)
		u.Timezone, zone = &v, v
	}
	loc, err := LoadZone(zone)
	if err != nil {
		f.Add("timezone", "not a known IANA time zone")
		loc = time.UTC
	}
	parse := func(field string, p *string) *time.Time {
		if p == nil {
			return nil
		}
		t, ok := ParseTime(*p, loc)
		if !ok {
			f.Add(field, "not a valid time (RFC 3339, e.g. 2026-12-05T19:00:00+08:00)")
			return nil
		}
		return &t
	}
	u.StartsAt, u.EndsAt = parse("starts_at", in.StartsAt), parse("ends_at", in.EndsAt)
	u.RSVPDeadline = parse("rsvp_deadline", in.RSVPDeadline)
	if in.ReminderBeforeMinutes != nil {
		m := *in.ReminderBeforeMinutes
		if m < 0 || m > 30*24*60 {
			f.Add("reminder_before_minutes", "must be between 0 and 43200")
		}
		d := time.Duration(m) * time.Minute
		u.ReminderBefore = &d
	}
	if in.Questions != nil {
		qs := cloneQuestions(*in.Questions)
		if qs == nil {
			qs = []Question{}
		}
		NormalizeQuestions(qs)
		u.Questions = &qs
	}
	if in.Host != nil {
		name, about := "", ""
		if in.Host.Name != nil {
			name = strings.TrimSpace(*in.Host.Name)
		}
		if in.Host.About != nil {
			about = NormalizeText(*in.Host.About)
		}
		u.HostName, u.HostAbout = &name, &about
	}
	return u, f.Err()
}
