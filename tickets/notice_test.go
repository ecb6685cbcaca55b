package tickets

import (
	"encoding/json"
	"testing"
	"time"
)

func TestResendAllowed(t *testing.T) {
	now := time.Date(2026, 12, 5, 11, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		last time.Time
		want bool
	}{
		{"never resent", time.Time{}, true},
		{"a minute ago", now.Add(-time.Minute), false},
		{"just inside the window", now.Add(-ResendWindow + time.Second), false},
		{"exactly the window ago", now.Add(-ResendWindow), true},
		{"long ago", now.Add(-time.Hour), true},
		{"clock went back", now.Add(time.Minute), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ResendAllowed(tc.last, now); got != tc.want {
				t.Fatalf("ResendAllowed(%v, %v) = %v, want %v", tc.last, now, got, tc.want)
			}
		})
	}
}

func TestNoticePayload(t *testing.T) {
	for _, tc := range []struct {
		kind               string
		position, sequence int
		want               string
	}{
		{NoticeConfirmed, 0, 3, `{"position":0}`},
		{NoticeWaitlisted, 7, 3, `{"position":7}`},
		{NoticePromoted, 7, 3, `{}`},
		{NoticeAlreadyRegistered, 7, 3, `{}`},
		{NoticeTicketCancelled, 7, 3, `{"sequence":3}`},
		{NoticeSalonChanged, 0, 4, `{"sequence":4}`},
		{NoticeSalonCancelled, 0, 5, `{"sequence":5}`},
		{NoticeReminder, 0, 0, `{"sequence":0}`},
	} {
		t.Run(tc.kind, func(t *testing.T) {
			got := NoticePayload(tc.kind, tc.position, tc.sequence)
			if got != tc.want || !json.Valid([]byte(got)) {
				t.Fatalf("NoticePayload(%q, %d, %d) = %s, want %s", tc.kind, tc.position, tc.sequence, got, tc.want)
			}
		})
	}
}
