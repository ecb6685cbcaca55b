package web

import (
	"context"
	"strconv"
	"time"

	"salon/events"
	"salon/storage"
)

// CheckDuplicateDays refuses a shift of more than a year either way; the
// field is days in the API and the console alike.
func CheckDuplicateDays(days int) error {
	if days < -events.MaxDuplicateDays || days > events.MaxDuplicateDays {
		msg := "must be between -" + strconv.Itoa(events.MaxDuplicateDays) + " and " + strconv.Itoa(events.MaxDuplicateDays)
		return &events.Error{Code: events.EINVALID, Message: "days: " + msg, Fields: map[string]string{"days": msg}}
	}
	return nil
}

// DuplicateSalon saves a copy of sa as a new draft with its dates moved by
// days, for the API and the console alike. A salon without reminders
// keeps none: the store gives new salons the default reminder, so the
// copy is set back in a second write, before anyone can see the draft.
func (d *Deps) DuplicateSalon(ctx context.Context, sa *events.Salon, days int) (*events.Salon, error) {
	if err := CheckDuplicateDays(days); err != nil {
		return nil, err
	}
	c := sa.Duplicate(time.Duration(days) * 24 * time.Hour)
	if err := d.DB.CreateSalon(ctx, c); err != nil {
		return nil, err
	}
	if sa.ReminderBefore == 0 && c.ReminderBefore != 0 {
		none := time.Duration(0)
		return d.DB.UpdateSalon(ctx, c.ID, events.SalonUpdate{ReminderBefore: &none})
	}
	return c, nil
}

// MessageAllowance is how many more messages a salon may send now, given
// its messages newest first.
func MessageAllowance(list []*storage.SalonMessage, now time.Time) int {
	n := storage.MessagesPerWindow
	for _, m := range list {
		if m.CreatedAt.After(now.Add(-storage.MessageWindow)) {
			n--
		}
	}
	return max(n, 0)
}
