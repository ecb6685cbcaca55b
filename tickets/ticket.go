// Package tickets holds RSVPs and what follows from them: capacity and
// waitlist decisions, manage tokens, ticket codes and check-in rules. Every
// function here is pure; storage applies the decisions inside its writer.
package tickets

import (
	"encoding/json"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"salon/events"
)

// Ticket statuses.
const (
	StatusConfirmed  = "confirmed"
	StatusWaitlisted = "waitlisted"
	StatusCancelled  = "cancelled"
	// StatusPending: the salon needs approval and the organizer has not
	// decided yet. A pending ticket holds no seat and no waitlist place,
	// but keeps its email taken for the salon.
	StatusPending = "pending"
	// StatusDeclined: the organizer said no. It holds nothing, and the
	// email stays taken, so a declined guest cannot queue up again.
	StatusDeclined = "declined"
)

// MaxGuests bounds how many companions a salon may let one RSVP bring.
const MaxGuests = 10

// Field limits for an RSVP.
const (
	MaxName     = 200
	MaxEmail    = 254
	MaxCompany  = 200
	MaxJobTitle = 200
)

// Ticket is one person's RSVP to one salon.
type Ticket struct {
	ID       int64
	SalonID  int64
	Salon    string // slug
	Name     string
	Email    string // trimmed and case-folded
	Company  string
	JobTitle string
	Lang     string
	Status   string
	// Guests is how many companions the ticket admits besides its holder;
	// each takes a seat (see Seats).
	Guests int
	// WaitlistPosition counts from 1 while waitlisted, else 0.
	WaitlistPosition int
	CheckedInAt      *time.Time
	// ErasedAt is when the holder's personal data was erased: name,
	// email, company, job title and answers are empty from then on.
	ErasedAt *time.Time
	// Answers are the answers to the salon's questions, under their ids,
	// as given when the RSVP was taken (see ParseAnswers).
	Answers   Answers
	CreatedAt time.Time
	UpdatedAt time.Time
	// Token is the manage token in clear. Storage never keeps it; it is
	// derived again from the server key when a link must be built.
	Token string
}

// Active reports whether the ticket holds, or may still get, a seat or a
// waitlist place: it is neither cancelled nor declined.
func (t *Ticket) Active() bool { return t.Status != StatusCancelled && t.Status != StatusDeclined }

// Seats is how many seats the ticket's party takes: its holder and guests.
func (t *Ticket) Seats() int { return 1 + t.Guests }

// RSVPInput is what a person sends to RSVP.
type RSVPInput struct {
	Name     string `json:"name"`
	Email    string `json:"email"`
	Company  string `json:"company"`
	JobTitle string `json:"job_title"`
	Lang     string `json:"lang"`
	// Guests is how many companions come along; the salon bounds it (see
	// CheckGuests).
	Guests int `json:"guests"`
	// Answers are the answers to the salon's questions by id, as sent;
	// storage checks them against the questions inside its write.
	Answers map[string]json.RawMessage `json:"answers,omitempty"`
}

// SupportedLangs are the languages mail and pages can be written in.
var SupportedLangs = []string{"en", "zh"}

// Normalize trims every field, case-folds the email and picks a supported
// language, so that "Alice@Example.COM " and "alice@example.com" are one person.
// Runs of spaces in the name become one space: mail headers fold long names
// at spaces, and readers put back only one.
func (in *RSVPInput) Normalize() {
	in.Name = events.CollapseSpace(in.Name)
	in.Email = NormalizeEmail(in.Email)
	in.Company = strings.TrimSpace(in.Company)
	in.JobTitle = strings.TrimSpace(in.JobTitle)
	in.Lang = NormalizeLang(in.Lang)
}

// NormalizeEmail trims and lowercases an address.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// NormalizeLang maps a language tag ("zh-CN", "en-GB") to a supported one,
// English by default.
func NormalizeLang(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, l := range SupportedLangs {
		if s == l || strings.HasPrefix(s, l+"-") || strings.HasPrefix(s, l+"_") {
			return l
		}
	}
	return "en"
}

// Validate checks a normalized input and names every bad field.
func (in *RSVPInput) Validate() error {
	f := events.FieldErrors{}
	if msg := events.CheckLine(in.Name, 1, MaxName); msg != "" {
		f.Add("name", msg)
	}
	if msg := ValidateEmail(in.Email); msg != "" {
		f.Add("email", msg)
	}
	if msg := events.CheckLine(in.Company, 0, MaxCompany); msg != "" {
		f.Add("company", msg)
	}
	if msg := events.CheckLine(in.JobTitle, 0, MaxJobTitle); msg != "" {
		f.Add("job_title", msg)
	}
	if in.Guests < 0 || in.Guests > MaxGuests {
		f.Add("guests", "must be between 0 and "+strconv.Itoa(MaxGuests))
	}
	return f.Err()
}

// CheckRSVP checks an RSVP against its salon as the deciding write reads
// it: RSVPs are open at now, the party is one the salon takes, and the
// answers fit the salon's questions (read in the same write, so an edit of
// the questions cannot slip between check and insert). It returns the
// answers as they are stored.
func CheckRSVP(now time.Time, s *events.Salon, in RSVPInput) (Answers, error) {
	if err := s.RSVPOpen(now); err != nil {
		return nil, err
	}
	if err := CheckGuests(in.Guests, s.MaxGuests); err != nil {
		return nil, err
	}
	return ParseAnswers(s.Questions, in.Answers)
}

// CheckGuests refuses a party larger than the salon allows: more guests than
// maxGuests is EINVALID naming the field guests.
func CheckGuests(guests, maxGuests int) error {
	if guests < 0 || guests > maxGuests {
		msg := "must be between 0 and " + strconv.Itoa(maxGuests)
		if maxGuests == 0 {
			msg = "this salon takes no guests"
		}
		return &events.Error{Code: events.EINVALID, Message: "guests: " + msg, Fields: map[string]string{"guests": msg}}
	}
	return nil
}

// ValidateEmail returns what is wrong with a normalized address, or "".
// It accepts a bare addr-spec only: no display name, no comments.
func ValidateEmail(s string) string {
	if s == "" {
		return "required"
	}
	if msg := events.CheckLine(s, 3, MaxEmail); msg != "" {
		return "not a valid address"
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return "not a valid address"
	}
	at := strings.LastIndexByte(s, '@')
	if at < 1 || !strings.Contains(s[at+1:], ".") || strings.ContainsAny(s, " \"()<>[]\\,;:") {
		return "not a valid address"
	}
	return ""
}

// Erased reports whether the holder's personal data has been erased.
func (t *Ticket) Erased() bool { return t.ErasedAt != nil }
