package events

import "time"

// SalonFilter selects salons. Nil fields do not filter.
type SalonFilter struct {
	Industry *string
	// Q matches words in the title or description.
	Q    *string
	From *time.Time // ends at or after
	To   *time.Time // starts before
	// Statuses, when not empty, keeps only salons with one of these statuses.
	Statuses    []string
	OrganizerID *int64
	// EndedBefore keeps salons that ended before it: the past salons.
	EndedBefore *time.Time
	// Newest lists the latest start first instead of the soonest.
	Newest bool
	Offset int
	Limit  int
}

// SalonUpdate is a partial change to a salon. Nil fields stay as they are.
type SalonUpdate struct {
	Title         *string
	TitleZh       *string
	DescriptionZh *string
	Industry      *string
	Description   *string
	Venue         *string
	Address       *string
	StartsAt      *time.Time
	EndsAt        *time.Time
	Timezone      *string
	Capacity      *int
	Waitlist      *bool
	RSVPDeadline  *time.Time
	Status        *string
	// ReminderBefore, when set, is how long before the start reminders go out.
	ReminderBefore *time.Duration
	Approval       *bool
	MaxGuests      *int
	// Questions, when set, replace the salon's questions (an empty list
	// removes them all). Answers already given stay with their tickets.
	Questions *[]Question
	// HostName and HostAbout change the host; neither notifies anyone.
	HostName  *string
	HostAbout *string
}

// Apply changes s by u and reports whether attendees must hear about it: a
// change of time, place or title, or a cancellation. Such changes raise the
// salon's Sequence so calendars replace their copy.
func (s *Salon) Apply(u SalonUpdate) (notify bool) {
	before := *s
	setString(&s.Title, u.Title)
	setString(&s.TitleZh, u.TitleZh)
	setString(&s.DescriptionZh, u.DescriptionZh)
	setString(&s.Industry, u.Industry)
	setString(&s.Description, u.Description)
	setString(&s.Venue, u.Venue)
	setString(&s.Address, u.Address)
	setString(&s.Timezone, u.Timezone)
	setString(&s.Status, u.Status)
	setString(&s.HostName, u.HostName)
	setString(&s.HostAbout, u.HostAbout)
	if u.StartsAt != nil {
		// A deadline that followed the start keeps following it.
		if s.RSVPDeadline.Equal(s.StartsAt) && u.RSVPDeadline == nil {
			s.RSVPDeadline = *u.StartsAt
		}
		s.StartsAt = *u.StartsAt
	}
	if u.EndsAt != nil {
		s.EndsAt = *u.EndsAt
	}
	if u.Capacity != nil {
		s.Capacity = *u.Capacity
	}
	if u.Waitlist != nil {
		s.Waitlist = *u.Waitlist
	}
	if u.RSVPDeadline != nil {
		s.RSVPDeadline = *u.RSVPDeadline
	}
	if u.ReminderBefore != nil {
		s.ReminderBefore = *u.ReminderBefore
	}
	if u.Approval != nil {
		s.Approval = *u.Approval
	}
	if u.MaxGuests != nil {
		s.MaxGuests = *u.MaxGuests
	}
	if u.Questions != nil {
		s.Questions = cloneQuestions(*u.Questions)
	}
	if s.RSVPDeadline.IsZero() {
		s.RSVPDeadline = s.StartsAt
	}
	changed := !before.StartsAt.Equal(s.StartsAt) || !before.EndsAt.Equal(s.EndsAt) ||
		before.Timezone != s.Timezone || before.Venue != s.Venue || before.Address != s.Address ||
		before.Title != s.Title || before.TitleZh != s.TitleZh || (before.Status != StatusCancelled && s.Status == StatusCancelled)
	// Drafts were never seen by anyone, so they send no notices.
	if changed && before.Status != StatusDraft {
		s.Sequence++
		return true
	}
	return false
}

func setString(dst *string, v *string) {
	if v != nil {
		*dst = *v
	}
}
