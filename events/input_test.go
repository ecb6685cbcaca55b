package events_test

import (
	"encoding/json"
	"testing"
	"time"

	"salon/events"
)

func TestSalonInputUpdate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		body   string
		zone   string
		fields map[string]string
		check  func(*testing.T, events.SalonUpdate)
	}{
		{name: "wall time read in the salon's zone", body: `{"starts_at":"2026-12-05T19:00"}`, zone: "Asia/Shanghai",
			check: func(t *testing.T, u events.SalonUpdate) {
				if want := time.Date(2026, 12, 5, 11, 0, 0, 0, time.UTC); !u.StartsAt.Equal(want) {
					t.Errorf("starts_at %v, want %v", u.StartsAt, want)
				}
			}},
		{name: "new zone wins", body: `{"timezone":" Europe/Berlin ","starts_at":"2026-12-05T19:00"}`, zone: "Asia/Shanghai",
			check: func(t *testing.T, u events.SalonUpdate) {
				if want := time.Date(2026, 12, 5, 18, 0, 0, 0, time.UTC); !u.StartsAt.Equal(want) || *u.Timezone != "Europe/Berlin" {
					t.Errorf("starts_at %v zone %q", u.StartsAt, *u.Timezone)
				}
			}},
		{name: "trimmed and lowered", body: `{"title":"  Tea  ","industry":" FinTech "}`, zone: events.DefaultTimezone,
			check: func(t *testing.T, u events.SalonUpdate) {
				if *u.Title != "Tea" || *u.Industry != "fintech" {
					t.Errorf("title %q industry %q", *u.Title, *u.Industry)
				}
			}},
		{name: "absent stays nil", body: `{}`, zone: events.DefaultTimezone,
			check: func(t *testing.T, u events.SalonUpdate) {
				if u.Title != nil || u.StartsAt != nil || u.ReminderBefore != nil {
					t.Errorf("update %+v", u)
				}
			}},
		{name: "unknown zone", body: `{"timezone":"Asia/Nowhere"}`, zone: events.DefaultTimezone,
			fields: map[string]string{"timezone": "not a known IANA time zone"}},
		{name: "bad time", body: `{"ends_at":"tomorrow"}`, zone: events.DefaultTimezone,
			fields: map[string]string{"ends_at": "not a valid time (RFC 3339, e.g. 2026-12-05T19:00:00+08:00)"}},
		{name: "reminder out of range", body: `{"reminder_before_minutes":43201}`, zone: events.DefaultTimezone,
			fields: map[string]string{"reminder_before_minutes": "must be between 0 and 43200"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var in events.SalonInput
			if err := json.Unmarshal([]byte(tc.body), &in); err != nil {
				t.Fatal(err)
			}
			u, err := in.Update(tc.zone)
			if tc.fields == nil {
				if err != nil {
					t.Fatalf("error %v", err)
				}
				tc.check(t, u)
				return
			}
			e, ok := err.(*events.Error)
			if !ok || e.Code != events.EINVALID {
				t.Fatalf("error %#v, want EINVALID", err)
			}
			for k, v := range tc.fields {
				if e.Fields[k] != v {
					t.Errorf("field %s: %q, want %q", k, e.Fields[k], v)
				}
			}
		})
	}
}

// FuzzSalonInput feeds any JSON body to the API's salon input: it never
// panics, and a refusal is always an invalid-input error naming its fields.
func FuzzSalonInput(f *testing.F) {
	f.Add(`{"title":"Tea","starts_at":"2026-12-05T19:00","timezone":"Asia/Shanghai"}`, "Asia/Shanghai")
	f.Add(`{"reminder_before_minutes":-1,"ends_at":"x"}`, "")
	f.Fuzz(func(t *testing.T, body, zone string) {
		var in events.SalonInput
		if json.Unmarshal([]byte(body), &in) != nil {
			return
		}
		_, err := in.Update(zone)
		if err == nil {
			return
		}
		e, ok := err.(*events.Error)
		if !ok || e.Code != events.EINVALID || len(e.Fields) == 0 {
			t.Fatalf("error %#v", err)
		}
	})
}
