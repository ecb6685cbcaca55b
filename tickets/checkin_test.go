package tickets

import (
	"testing"
	"time"
)

func TestDecideCheckin(t *testing.T) {
	at := time.Date(2026, 3, 1, 19, 5, 0, 0, time.UTC)
	ticket := func(salonID int64, status string, checkedIn *time.Time) *Ticket {
		return &Ticket{ID: 1, SalonID: salonID, Status: status, CheckedInAt: checkedIn}
	}
	tests := []struct {
		name   string
		ticket *Ticket
		salon  int64
		want   string
	}{
		{"confirmed, first scan", ticket(10, StatusConfirmed, nil), 10, CheckinOK},
		{"confirmed, scanned before", ticket(10, StatusConfirmed, &at), 10, CheckinAlready},
		{"waitlisted", ticket(10, StatusWaitlisted, nil), 10, CheckinNotConfirmed},
		{"cancelled (revoked)", ticket(10, StatusCancelled, nil), 10, CheckinNotConfirmed},
		{"cancelled after check-in", ticket(10, StatusCancelled, &at), 10, CheckinNotConfirmed},
		{"unknown status fails closed", ticket(10, "pending", nil), 10, CheckinNotConfirmed},
		{"empty status fails closed", ticket(10, "", nil), 10, CheckinNotConfirmed},
		{"another salon", ticket(11, StatusConfirmed, nil), 10, CheckinWrongSalon},
		{"another salon, cancelled", ticket(11, StatusCancelled, nil), 10, CheckinWrongSalon},
		{"another salon, checked in", ticket(11, StatusConfirmed, &at), 10, CheckinWrongSalon},
		{"no ticket", nil, 10, CheckinInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DecideCheckin(tt.ticket, tt.salon); got != tt.want {
				t.Errorf("DecideCheckin = %q, want %q", got, tt.want)
			}
		})
	}
}

// The result strings are part of the public API contract.
func TestCheckinResultsMatchContract(t *testing.T) {
	for got, want := range map[string]string{
		CheckinOK:           "ok",
		CheckinAlready:      "already_checked_in",
		CheckinNotConfirmed: "not_confirmed",
		CheckinWrongSalon:   "wrong_salon",
		CheckinInvalid:      "invalid",
	} {
		if got != want {
			t.Errorf("result %q, contract says %q", got, want)
		}
	}
}

func TestScanTime(t *testing.T) {
	now := time.Date(2026, 3, 1, 19, 5, 0, 0, time.UTC)
	tests := []struct {
		name    string
		claimed time.Time
		offline bool
		want    time.Time
		ok      bool
	}{
		{"online, no time", time.Time{}, false, now, true},
		{"online, an hour ago: the server's time", now.Add(-time.Hour), false, now, true},
		{"online, far back: the server's time", now.Add(-30 * 24 * time.Hour), false, now, true},
		{"online, ahead: the server's time", now.Add(time.Hour), false, now, true},
		{"offline, no time", time.Time{}, true, now, true},
		{"offline, an hour ago", now.Add(-time.Hour), true, now.Add(-time.Hour), true},
		{"offline, at the bound", now.Add(-MaxOfflineAge), true, now.Add(-MaxOfflineAge), true},
		{"offline, past the bound", now.Add(-MaxOfflineAge - time.Second), true, time.Time{}, false},
		{"offline, within the skew ahead: now", now.Add(MaxClockSkew), true, now, true},
		{"offline, past the skew ahead", now.Add(MaxClockSkew + time.Second), true, time.Time{}, false},
		{"offline, sub-second: whole seconds", now.Add(-time.Minute + 300*time.Millisecond), true, now.Add(-time.Minute), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := ScanTime(tc.claimed, now, tc.offline)
			if ok != tc.ok || !got.Equal(tc.want) {
				t.Fatalf("ScanTime = %v, %v; want %v, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}
