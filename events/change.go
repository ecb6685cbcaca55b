package events

import "time"

// SalonFacts are what attendees were told of a salon and must hear about
// when they change: its title, time and place.
type SalonFacts struct {
	Title    string    `json:"title"`
	TitleZh  string    `json:"title_zh,omitempty"`
	Venue    string    `json:"venue,omitempty"`
	Address  string    `json:"address,omitempty"`
	StartsAt time.Time `json:"starts_at"`
	EndsAt   time.Time `json:"ends_at"`
	Timezone string    `json:"timezone"`
}

// Facts returns s's title, time and place.
func (s *Salon) Facts() SalonFacts {
	return SalonFacts{Title: s.Title, TitleZh: s.TitleZh, Venue: s.Venue, Address: s.Address,
		StartsAt: s.StartsAt.UTC(), EndsAt: s.EndsAt.UTC(), Timezone: s.Timezone}
}

// Salon returns a salon holding only f, for the renderers that write a
// salon's time range or title (calendar-style formatting in its own zone).
func (f SalonFacts) Salon() *Salon {
	return &Salon{Title: f.Title, TitleZh: f.TitleZh, Venue: f.Venue, Address: f.Address,
		StartsAt: f.StartsAt, EndsAt: f.EndsAt, Timezone: f.Timezone}
}

// SalonChange is one change attendees are told of: the facts before it and
// after it. The store records it with the change notice, in the same write
// as the change, so mail and the ticket page can say what changed.
type SalonChange struct {
	Before SalonFacts `json:"before"`
	After  SalonFacts `json:"after"`
}

// TimeChanged reports whether the start, the end or the zone changed (a
// new zone moves the wall clock time attendees read).
func (c SalonChange) TimeChanged() bool {
	return !c.Before.StartsAt.Equal(c.After.StartsAt) || !c.Before.EndsAt.Equal(c.After.EndsAt) ||
		c.Before.Timezone != c.After.Timezone
}

// PlaceChanged reports whether the venue or the address changed.
func (c SalonChange) PlaceChanged() bool {
	return c.Before.Venue != c.After.Venue || c.Before.Address != c.After.Address
}

// TitleChanged reports whether the title a reader of lang sees changed.
func (c SalonChange) TitleChanged(lang string) bool {
	return inLang(lang, c.Before.Title, c.Before.TitleZh) != inLang(lang, c.After.Title, c.After.TitleZh)
}

// Any reports whether anything a reader of lang would notice changed.
func (c SalonChange) Any(lang string) bool {
	return c.TimeChanged() || c.PlaceChanged() || c.TitleChanged(lang)
}

// Place is the venue and address as one line, as pages and mail write them.
func (f SalonFacts) Place() string {
	switch {
	case f.Venue != "" && f.Address != "":
		return f.Venue + ", " + f.Address
	case f.Venue != "":
		return f.Venue
	}
	return f.Address
}
