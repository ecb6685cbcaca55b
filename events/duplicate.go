package events

import "time"

// DefaultDuplicateShift is how far a duplicate's dates move unless the
// organizer says otherwise: the same evening a week later.
const DefaultDuplicateShift = 7 * 24 * time.Hour

// MaxDuplicateDays bounds how many days a duplicate's dates may move.
const MaxDuplicateDays = 366

// Duplicate returns a copy of s to save as a new salon: a draft with no
// id, slug, guests or history, its start, end and deadline moved by
// shift. Everything the organizer wrote is kept, so a monthly salon is
// one click and a date check away.
func (s *Salon) Duplicate(shift time.Duration) *Salon {
	c := *s
	c.ID, c.Slug, c.Status, c.Sequence = 0, "", StatusDraft, 0
	c.Confirmed, c.Waitlisted, c.Pending, c.CheckedIn, c.Notified = 0, 0, 0, 0, 0
	// The cover lives beside the salon, not in it: a copy starts without one.
	c.Cover = Cover{}
	c.CreatedAt, c.UpdatedAt = time.Time{}, time.Time{}
	c.StartsAt, c.EndsAt = s.StartsAt.Add(shift), s.EndsAt.Add(shift)
	c.RSVPDeadline = s.RSVPDeadline.Add(shift)
	return &c
}
