package events

import (
	"strings"
	"testing"
	"time"
)

func TestDescribeChanges(t *testing.T) {
	loc, _ := LoadZone("Asia/Shanghai")
	start := time.Date(2026, 12, 5, 19, 0, 0, 0, loc)
	base := Salon{Title: "Fintech night", Industry: "fintech", Venue: "Hall A", Timezone: "Asia/Shanghai",
		StartsAt: start, EndsAt: start.Add(2 * time.Hour), RSVPDeadline: start, Capacity: 40, Waitlist: true,
		ReminderBefore: 24 * time.Hour, Status: StatusPublished, Description: "old text"}
	for _, c := range []struct {
		name string
		edit func(s *Salon)
		want string
	}{
		{"nothing", func(s *Salon) {}, ""},
		{"capacity and venue", func(s *Salon) { s.Capacity, s.Venue = 60, "Hall B" },
			"venue: Hall A → Hall B; capacity: 40 → 60"},
		{"start in the salon's zone", func(s *Salon) { s.StartsAt = s.StartsAt.Add(30 * time.Minute) },
			"starts_at: 2026-12-05 19:00 → 2026-12-05 19:30"},
		{"reminder", func(s *Salon) { s.ReminderBefore = 90 * time.Minute }, "reminder_before: 24h → 1h30m"},
		{"reminder off", func(s *Salon) { s.ReminderBefore = 0 }, "reminder_before: 24h → none"},
		{"reminder minutes", func(s *Salon) { s.ReminderBefore = 30 * time.Minute }, "reminder_before: 24h → 30m"},
		{"description named only", func(s *Salon) { s.Description = "secret new words" }, "description: changed"},
		{"empty and separators quoted", func(s *Salon) { s.Venue = ""; s.Title = "A; B" },
			`title: Fintech night → "A; B"; venue: Hall A → ""`},
		{"long title cut", func(s *Salon) { s.Title = strings.Repeat("t", 100) }, "title: Fintech night → " + strings.Repeat("t", 59) + "…"},
		{"waitlist and status", func(s *Salon) { s.Waitlist, s.Status = false, StatusCancelled },
			"waitlist: true → false; status: published → cancelled"},
	} {
		t.Run(c.name, func(t *testing.T) {
			after := base
			c.edit(&after)
			if got := DescribeChanges(&base, &after); got != c.want {
				t.Fatalf("got  %q\nwant %q", got, c.want)
			}
		})
	}
}

func TestDuplicate(t *testing.T) {
	start := time.Date(2026, 12, 5, 11, 0, 0, 0, time.UTC)
	s := &Salon{ID: 7, Slug: "law-night", Title: "Law night", Status: StatusPublished, Sequence: 3, Capacity: 30,
		StartsAt: start, EndsAt: start.Add(2 * time.Hour), RSVPDeadline: start.Add(-time.Hour), Confirmed: 12,
		Waitlisted: 2, Pending: 3, CheckedIn: 4, Venue: "Hall", ReminderBefore: 3 * time.Hour, CreatedAt: start,
		Questions: []Question{{ID: "diet", Label: "Diet", Type: QuestionText}}, HostName: "Ana",
		Cover: Cover{Key: "abc", Sizes: []CoverSize{{Width: 480, Height: 240}}}}
	d := s.Duplicate(DefaultDuplicateShift)
	if d.ID != 0 || d.Slug != "" || d.Status != StatusDraft || d.Sequence != 0 || d.Confirmed != 0 || d.Waitlisted != 0 ||
		d.Pending != 0 || d.CheckedIn != 0 || !d.CreatedAt.IsZero() || d.Cover.Has() {
		t.Fatalf("duplicate keeps what belongs to the original: %+v", d)
	}
	week := 7 * 24 * time.Hour
	if !d.StartsAt.Equal(start.Add(week)) || !d.EndsAt.Equal(start.Add(week+2*time.Hour)) ||
		!d.RSVPDeadline.Equal(start.Add(week-time.Hour)) {
		t.Fatalf("dates: %v %v %v", d.StartsAt, d.EndsAt, d.RSVPDeadline)
	}
	if d.Title != "Law night" || d.Venue != "Hall" || d.Capacity != 30 || d.ReminderBefore != 3*time.Hour ||
		len(d.Questions) != 1 || d.HostName != "Ana" {
		t.Fatalf("organizer's text lost: %+v", d)
	}
	if s.Slug != "law-night" || s.Confirmed != 12 {
		t.Fatal("the original changed")
	}
}
