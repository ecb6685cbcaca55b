package web

import (
	"time"

	"salon/events"
)

// Retention states of a salon's guests' personal data.
const (
	// RetentionKept: --retention-days 0, nothing is erased by time.
	RetentionKept = "kept"
	// RetentionDue: the data will be erased at the salon's erasure time.
	RetentionDue = "due"
	// RetentionErasing: the time has come, and the hourly job erases it
	// within the hour.
	RetentionErasing = "erasing"
	// RetentionErased: the time is more than the job's interval ago, so
	// the data has been erased.
	RetentionErased = "erased"
)

// RetentionInterval is how often the server erases personal data past its
// time; the root package's scheduler runs at this interval.
const RetentionInterval = time.Hour

// Retention is when the personal data of a salon's guests is erased:
// --retention-days after the salon ended, by the store's clock.
type Retention struct {
	Days int
	Now  time.Time
}

// Retention reads the configured period at the store's time now.
func (d *Deps) Retention() Retention { return Retention{Days: d.RetentionDays, Now: d.DB.Now()} }

// Of says where s's guests' data stands and when it is (or was) erased.
func (r Retention) Of(s *events.Salon) (state string, at time.Time) {
	if r.Days == 0 {
		return RetentionKept, time.Time{}
	}
	// Days are counted in the salon's zone, so 23:30 stays 23:30 across a
	// change of daylight saving time. The hourly job counts them in the
	// server's zone, which differs by that hour at most.
	at = s.EndsAt.In(s.Location()).AddDate(0, 0, r.Days)
	switch {
	case r.Now.Before(at):
		return RetentionDue, at
	case r.Now.Before(at.Add(RetentionInterval)):
		return RetentionErasing, at
	}
	return RetentionErased, at
}
