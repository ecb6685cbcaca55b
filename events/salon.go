package events

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // zones must work on machines without tzdata
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Salon statuses.
const (
	StatusDraft     = "draft"
	StatusPublished = "published"
	StatusCancelled = "cancelled"
)

// DefaultReminderBefore is when reminders go out unless a salon says otherwise.
const DefaultReminderBefore = 24 * time.Hour

// DefaultTimezone is the zone a salon gets when none is given.
const DefaultTimezone = "Asia/Shanghai"

// Limits on salon fields.
const (
	MaxTitle       = 200
	MaxDescription = 20000
	MaxVenue       = 200
	MaxAddress     = 500
	MaxCapacity    = 100000
	MaxSlug        = 80
	// MaxGuestsLimit bounds a salon's max_guests: companions per RSVP.
	MaxGuestsLimit = 10
)

// Salon is one evening that people RSVP to. Times are UTC instants; Timezone
// names the IANA zone they are shown in.
type Salon struct {
	ID          int64
	Slug        string
	Title       string
	Industry    string
	Description string
	// TitleZh and DescriptionZh are the Chinese title and description, when
	// the organizer gave them; see TitleIn and DescriptionIn.
	TitleZh       string
	DescriptionZh string
	Venue         string
	Address       string
	StartsAt      time.Time
	EndsAt        time.Time
	Timezone      string
	Capacity      int
	Waitlist      bool
	RSVPDeadline  time.Time
	Status        string
	// Sequence rises on every change attendees must see (time, place, title,
	// cancellation); calendars use it to replace their copy.
	Sequence    int
	OrganizerID int64
	// ReminderBefore is how long before the start the reminder mail goes out.
	ReminderBefore time.Duration
	// Approval makes RSVPs wait as pending until an organizer approves.
	Approval bool
	// MaxGuests is how many companions one RSVP may bring (0: none).
	MaxGuests int
	CreatedAt time.Time
	UpdatedAt time.Time

	// Questions are asked on the RSVP form, in this order.
	Questions []Question
	// HostName and HostAbout say who hosts the evening ("Hosted by").
	HostName  string
	HostAbout string
	// Cover is the cover image, set by uploading one (never by an update).
	Cover Cover

	// Counts, filled by storage. Confirmed, Waitlisted and Pending count
	// seats (holders and their guests), not tickets.
	Confirmed  int
	Waitlisted int
	Pending    int
	CheckedIn  int
	// Notified is how many attendees the UpdateSalon that returned this
	// salon queued a notice for; zero from every other read.
	Notified int
}

// SeatsLeft is the number of free seats, never negative (capacity may have
// been lowered below the confirmed count).
func (s *Salon) SeatsLeft() int {
	if n := s.Capacity - s.Confirmed; n > 0 {
		return n
	}
	return 0
}

// Location returns the salon's zone, falling back to the default zone.
func (s *Salon) Location() *time.Location { return ZoneOrDefault(s.Timezone) }

// ZoneOrDefault is the zone named name, or DefaultTimezone's when LoadZone
// refuses the name (empty, "Local" or unknown).
func ZoneOrDefault(name string) *time.Location {
	if loc, err := LoadZone(name); err == nil {
		return loc
	}
	loc, _ := LoadZone(DefaultTimezone)
	return loc
}

// TitleIn is the title in lang ("en" or "zh"), falling back to the other
// language when the salon has none in lang.
func (s *Salon) TitleIn(lang string) string { return inLang(lang, s.Title, s.TitleZh) }

// DescriptionIn is the description in lang, falling back like TitleIn.
func (s *Salon) DescriptionIn(lang string) string {
	return inLang(lang, s.Description, s.DescriptionZh)
}

// inLang picks zh for lang "zh" and en otherwise, each falling back to the
// other when it is empty.
func inLang(lang, en, zh string) string {
	if lang == "zh" && zh != "" {
		return zh
	}
	if en == "" {
		return zh
	}
	return en
}

// In returns a copy of s whose Title and Description are in lang, for
// renderers (calendar files, mail) that know one language per reader.
func (s *Salon) In(lang string) *Salon {
	c := *s
	c.Title, c.Description = s.TitleIn(lang), s.DescriptionIn(lang)
	return &c
}

// Visible reports whether people outside the organizers may see the salon.
func (s *Salon) Visible() bool { return s.Status != StatusDraft }

// RSVPOpen returns nil when the salon takes RSVPs at now, else the error to
// give the person trying.
func (s *Salon) RSVPOpen(now time.Time) error {
	switch {
	case s.Status == StatusCancelled:
		return Errorf(ESALONCANCELLED, "This salon was cancelled.")
	case s.Status != StatusPublished:
		return Errorf(ENOTFOUND, "Salon not found.")
	case !now.Before(s.StartsAt):
		return Errorf(ERSVPCLOSED, "This salon has started; RSVPs are closed.")
	case now.After(s.RSVPDeadline):
		return Errorf(ERSVPCLOSED, "The RSVP deadline has passed.")
	}
	return nil
}

var industryRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,31}$`)
var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Validate checks every field and returns an EINVALID error naming each bad one.
func (s *Salon) Validate() error {
	f := FieldErrors{}
	if msg := CheckLine(s.Title, 1, MaxTitle); msg != "" {
		f.Add("title", msg)
	}
	if msg := CheckLine(s.TitleZh, 0, MaxTitle); msg != "" {
		f.Add("title_zh", msg)
	}
	if msg := CheckText(s.DescriptionZh, MaxDescription); msg != "" {
		f.Add("description_zh", msg)
	}
	if !industryRE.MatchString(s.Industry) {
		f.Add("industry", "must be a short lowercase tag (a-z, 0-9, -; at most 32)")
	}
	if msg := CheckText(s.Description, MaxDescription); msg != "" {
		f.Add("description", msg)
	}
	if msg := CheckLine(s.Venue, 0, MaxVenue); msg != "" {
		f.Add("venue", msg)
	}
	if msg := CheckLine(s.Address, 0, MaxAddress); msg != "" {
		f.Add("address", msg)
	}
	if s.Slug != "" && (len(s.Slug) > MaxSlug || !slugRE.MatchString(s.Slug)) {
		f.Add("slug", "must be lowercase words joined by hyphens")
	}
	if s.StartsAt.IsZero() {
		f.Add("starts_at", "required")
	}
	if s.EndsAt.IsZero() {
		f.Add("ends_at", "required")
	} else if !s.StartsAt.IsZero() && !s.EndsAt.After(s.StartsAt) {
		f.Add("ends_at", "must be after starts_at")
	}
	if !s.RSVPDeadline.IsZero() && !s.StartsAt.IsZero() && s.RSVPDeadline.After(s.StartsAt) {
		f.Add("rsvp_deadline", "must not be after starts_at")
	}
	if s.Capacity < 1 || s.Capacity > MaxCapacity {
		f.Add("capacity", "must be between 1 and "+strconv.Itoa(MaxCapacity))
	}
	if _, err := LoadZone(s.Timezone); err != nil {
		f.Add("timezone", "not a known IANA time zone")
	}
	if s.MaxGuests < 0 || s.MaxGuests > MaxGuestsLimit {
		f.Add("max_guests", "must be between 0 and "+strconv.Itoa(MaxGuestsLimit))
	}
	switch s.Status {
	case StatusDraft, StatusPublished, StatusCancelled:
	default:
		f.Add("status", "must be draft, published or cancelled")
	}
	validateQuestions(f, s.Questions)
	s.validateHost(f)
	return f.Err()
}

// LoadZone loads an IANA zone by name. It refuses "Local" and the empty name,
// which time.LoadLocation accepts but which mean nothing to a calendar.
func LoadZone(name string) (*time.Location, error) {
	if name == "" || name == "Local" {
		return nil, Errorf(EINVALID, "timezone: not a known IANA time zone")
	}
	if v, ok := zones.Load(name); ok {
		return v.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	zones.Store(name, loc)
	return loc, nil
}

// zones holds loaded zones by name: time.LoadLocation reads and parses the
// zone data on every call, which showed in every page, feed and RSVP. Only
// valid names are stored, so it stays as small as the set of zones in use.
var zones sync.Map

// ParseTime reads an API or form time: RFC 3339 with an offset, or a local
// date and time ("2026-12-05T19:00") taken in loc. Impossible dates such as
// 2026-02-30 are refused.
func ParseTime(s string, loc *time.Location) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), true
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// Slugify makes a URL slug from a title: lowercase ASCII words joined by
// hyphens. Titles with no ASCII letters give "salon"; storage makes slugs
// unique by adding a suffix.
func Slugify(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFKD.String(strings.ToLower(title)) {
		switch {
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		case unicode.Is(unicode.Mn, r) || r == '\'' || r == '\u2019':
			// accents and apostrophes vanish: "Founders'" -> "founders"
		default:
			dash = true
		}
		if b.Len() >= 60 {
			break
		}
	}
	s := strings.Trim(b.String(), "-")
	if s == "" {
		return "salon"
	}
	return s
}
