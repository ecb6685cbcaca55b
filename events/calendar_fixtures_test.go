package events

import (
	"strings"
	"time"
)

// Fixtures shared by the calendar tests. Times are fixed so golden files
// stay byte-for-byte stable.

var testCalOpts = CalendarOptions{
	BaseURL:        "https://salon.example.com:8443/",
	OrganizerName:  "沙龙团队 (Salon: Shanghai, Berlin)",
	OrganizerEmail: "hello@salon.example.com",
}

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

func fintechSalon() *Salon {
	return &Salon{
		ID:          42,
		Slug:        "fintech-founders-dec",
		Title:       "Fintech founders' salon",
		Industry:    "fintech",
		Description: "Founders compare notes on payments, lending and compliance.\nBring a question; leave with three answers.",
		Venue:       "The Loft",
		Address:     "88 Century Avenue, Pudong, Shanghai",
		StartsAt:    mustTime("2026-12-05T19:00:00+08:00"),
		EndsAt:      mustTime("2026-12-05T21:30:00+08:00"),
		Timezone:    "Asia/Shanghai",
		Capacity:    40,
		Waitlist:    true,
		Status:      StatusPublished,
		Sequence:    0,
		CreatedAt:   mustTime("2026-10-01T08:00:00Z"),
		UpdatedAt:   mustTime("2026-10-02T09:30:00Z"),
	}
}

func cancelledSalon() *Salon {
	s := fintechSalon()
	s.ID = 43
	s.Slug = "climate-tech-breakfast"
	s.Title = "Climate tech breakfast"
	s.Industry = "climate"
	s.Description = "Cancelled: the venue flooded. We will be back in spring."
	s.StartsAt = mustTime("2026-11-20T08:00:00+08:00")
	s.EndsAt = mustTime("2026-11-20T09:30:00+08:00")
	s.Status = StatusCancelled
	s.Sequence = 2
	s.UpdatedAt = mustTime("2026-11-01T10:00:00Z")
	return s
}

// berlinSalon runs through the night DST ends (25 October 2026, 03:00 CEST
// becomes 02:00 CET), so start and end have different offsets.
func berlinSalon() *Salon {
	return &Salon{
		ID:          44,
		Slug:        "berlin-ai-night",
		Title:       "Berlin AI night",
		Industry:    "ai",
		Description: "Talks until the clocks go back.",
		Venue:       "Kraftwerk",
		Address:     "Köpenicker Str. 70, 10179 Berlin",
		StartsAt:    mustTime("2026-10-24T22:00:00+02:00"),
		EndsAt:      mustTime("2026-10-25T04:00:00+01:00"),
		Timezone:    "Europe/Berlin",
		Capacity:    200,
		Status:      StatusPublished,
		Sequence:    1,
		CreatedAt:   mustTime("2026-03-01T12:00:00Z"),
		UpdatedAt:   mustTime("2026-03-29T00:30:00Z"),
	}
}

// nastySalon has every kind of text that could break a calendar if it were
// not escaped, folded and cleaned, and has been edited ten times.
func nastySalon() *Salon {
	// 500 Chinese characters, then emoji and everything that needs escaping.
	long := string([]rune(strings.Repeat("创业者沙龙支付借贷与合规的夜晚", 34))[:500]) + "🎉🚀,;\\\r\n结束"
	return &Salon{
		ID:          45,
		Slug:        "nasty-input",
		Title:       "Drinks\r\nBEGIN:VALARM\r\nACTION:AUDIO;x=\"y\", a\\b 🎉 END:VEVENT",
		Industry:    "test",
		Description: long + "\r\nEND:VEVENT\nBEGIN:VEVENT\rUID:evil\x00\x07\u0085 tab\there",
		Venue:       "Bar;Inn,\\ \"Quoted\"\nBEGIN:VALARM",
		Address:     "Straße 1; 2, 3\\4 — 北京市朝阳区 😀",
		StartsAt:    mustTime("2026-12-31T22:00:00+08:00"),
		EndsAt:      mustTime("2027-01-01T02:00:00+08:00"),
		Timezone:    "Asia/Shanghai",
		Capacity:    10,
		Status:      StatusPublished,
		Sequence:    10,
		CreatedAt:   mustTime("2026-09-09T09:09:09Z"),
		UpdatedAt:   mustTime("2026-12-01T01:02:03Z"),
	}
}

func testAttendee() Attendee {
	return Attendee{Name: "Ana \"Nana\" Lima, CTO; 李娜:\r\nBEGIN:VALARM", Email: "ana@example.com"}
}
