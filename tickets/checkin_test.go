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
