package events_test

import (
	"sort"
	"strings"
	"testing"
	"time"

	"salon/events"
)

func validSalon() events.Salon {
	start := time.Date(2026, 12, 5, 11, 0, 0, 0, time.UTC)
	return events.Salon{Title: "Fintech founders", Industry: "fintech", StartsAt: start, EndsAt: start.Add(2 * time.Hour),
		RSVPDeadline: start, Timezone: "Asia/Shanghai", Capacity: 40, Status: events.StatusPublished}
}

func TestSalonValidate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mod    func(*events.Salon)
		fields string
	}{
		{"valid", func(*events.Salon) {}, ""},
		{"empty title", func(s *events.Salon) { s.Title = "" }, "title"},
		{"title 201", func(s *events.Salon) { s.Title = strings.Repeat("a", 201) }, "title"},
		{"title 200 chinese", func(s *events.Salon) { s.Title = strings.Repeat("沙", 200) }, ""},
		{"LF in title", func(s *events.Salon) { s.Title = "a\nb" }, "title"},
		{"invisible title", func(s *events.Salon) { s.Title = "\u200b\u2060" }, "title"},
		{"invisible chinese title", func(s *events.Salon) { s.TitleZh = "\u3164" }, "title_zh"},
		{"override in venue", func(s *events.Salon) { s.Venue = "WeWork \u202egnaW" }, "venue"},
		{"isolate in address", func(s *events.Salon) { s.Address = "\u2066No. 1\u2069" }, "address"},
		{"LF in description is fine", func(s *events.Salon) { s.Description = "line\nline" }, ""},
		{"NUL in description", func(s *events.Salon) { s.Description = "a\x00" }, "description"},
		{"description 20001", func(s *events.Salon) { s.Description = strings.Repeat("d", 20001) }, "description"},
		{"industry uppercase", func(s *events.Salon) { s.Industry = "FinTech" }, "industry"},
		{"industry too long", func(s *events.Salon) { s.Industry = strings.Repeat("a", 33) }, "industry"},
		{"ends before start", func(s *events.Salon) { s.EndsAt = s.StartsAt.Add(-time.Minute) }, "ends_at"},
		{"deadline after start", func(s *events.Salon) { s.RSVPDeadline = s.StartsAt.Add(time.Minute) }, "rsvp_deadline"},
		{"capacity 0", func(s *events.Salon) { s.Capacity = 0 }, "capacity"},
		{"capacity 100001", func(s *events.Salon) { s.Capacity = 100001 }, "capacity"},
		{"capacity 100000", func(s *events.Salon) { s.Capacity = 100000 }, ""},
		{"dead zone", func(s *events.Salon) { s.Timezone = "Asia/Nowhere" }, "timezone"},
		{"Local zone", func(s *events.Salon) { s.Timezone = "Local" }, "timezone"},
		{"bad slug", func(s *events.Salon) { s.Slug = "Has Space" }, "slug"},
		{"several", func(s *events.Salon) { s.Title = ""; s.Capacity = -1 }, "capacity,title"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := validSalon()
			tc.mod(&s)
			err := s.Validate()
			var got []string
			if err != nil {
				e, ok := err.(*events.Error)
				if !ok {
					t.Fatalf("error %T (%v), want *events.Error", err, err)
				}
				if e.Code != events.EINVALID {
					t.Fatalf("code %q", e.Code)
				}
				for f := range e.Fields {
					got = append(got, f)
				}
			}
			sort.Strings(got)
			if strings.Join(got, ",") != tc.fields {
				t.Fatalf("fields %v, want %q", got, tc.fields)
			}
		})
	}
}

func TestParseTime(t *testing.T) {
	sh, _ := time.LoadLocation("Asia/Shanghai")
	for give, want := range map[string]string{
		"2026-12-05T19:00:00+08:00": "2026-12-05T11:00:00Z",
		"2026-12-05T19:00":          "2026-12-05T11:00:00Z",
		"2026-12-05T11:00:00Z":      "2026-12-05T11:00:00Z",
		"2026-02-30T19:00:00+08:00": "",
		"2026-02-30T19:00":          "",
		"tomorrow":                  "",
		"":                          "",
	} {
		got, ok := events.ParseTime(give, sh)
		if (want == "") == ok || (ok && got.Format(time.RFC3339) != want) {
			t.Errorf("ParseTime(%q) = %v %v, want %q", give, got, ok, want)
		}
	}
}

func TestSlugify(t *testing.T) {
	for give, want := range map[string]string{
		"Fintech founders' salon": "fintech-founders-salon",
		"  Café & Crème 2026!  ":  "cafe-creme-2026",
		"金融科技沙龙":                  "salon",
		"AI/ML -- night":          "ai-ml-night",
	} {
		if got := events.Slugify(give); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", give, got, want)
		}
	}
}

func TestApplySequence(t *testing.T) {
	s := validSalon()
	desc := "new description"
	if s.Apply(events.SalonUpdate{Description: &desc}) || s.Sequence != 0 {
		t.Fatal("a description change is not a change attendees must hear about")
	}
	start := s.StartsAt.Add(time.Hour)
	if !s.Apply(events.SalonUpdate{StartsAt: &start}) || s.Sequence != 1 || !s.RSVPDeadline.Equal(start) {
		t.Fatalf("moving the start: seq %d deadline %v", s.Sequence, s.RSVPDeadline)
	}
	c := events.StatusCancelled
	if !s.Apply(events.SalonUpdate{Status: &c}) || s.Sequence != 2 {
		t.Fatal("cancelling must raise the sequence")
	}
	d := validSalon()
	d.Status = events.StatusDraft
	title := "x"
	if d.Apply(events.SalonUpdate{Title: &title}) || d.Sequence != 0 {
		t.Fatal("drafts notify nobody")
	}
}
