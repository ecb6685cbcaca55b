package api

import (
	"strconv"
	"time"

	"salon/app/web"
	"salon/events"
	"salon/tickets"
)

// salonJSON is the contract's Salon.
type salonJSON struct {
	Slug          string `json:"slug"`
	Title         string `json:"title"`
	TitleZh       string `json:"title_zh"`
	Industry      string `json:"industry"`
	Description   string `json:"description"`
	DescriptionZh string `json:"description_zh"`
	Venue         string `json:"venue"`
	Address       string `json:"address"`
	StartsAt      string `json:"starts_at"`
	EndsAt        string `json:"ends_at"`
	Timezone      string `json:"timezone"`
	Capacity      int    `json:"capacity"`
	Waitlist      bool   `json:"waitlist"`
	RSVPDeadline  string `json:"rsvp_deadline"`
	Status        string `json:"status"`
	Confirmed     int    `json:"confirmed"`
	Waitlisted    int    `json:"waitlisted"`
	SeatsLeft     int    `json:"seats_left"`
	URL           string `json:"url"`
	ICSURL        string `json:"ics_url"`
	// Host is null when the salon names none; CoverURL is the cover at its
	// widest, null without one.
	Host     *hostJSON `json:"host"`
	CoverURL *string   `json:"cover_url"`
	// Organizer-only fields are added by their handlers.
	CheckedIn             *int `json:"checked_in,omitempty"`
	Sequence              *int `json:"sequence,omitempty"`
	ReminderBeforeMinutes *int `json:"reminder_before_minutes,omitempty"`
	// Approval and companions: Pending counts the seats of tickets
	// awaiting a decision.
	Approval  bool `json:"approval"`
	MaxGuests int  `json:"max_guests"`
	Pending   int  `json:"pending"`
	// Questions are asked on the RSVP form; [] for none.
	Questions []events.Question `json:"questions"`
}

func (s *API) salonJSON(sa *events.Salon) salonJSON {
	loc := sa.Location()
	var coverURL *string
	if u := s.d.CoverURL(sa); u != "" {
		coverURL = &u
	}
	return salonJSON{
		Host: salonHost(sa), CoverURL: coverURL,
		Slug: sa.Slug, Title: sa.Title, TitleZh: sa.TitleZh, Industry: sa.Industry, Description: sa.Description,
		DescriptionZh: sa.DescriptionZh,
		Venue:         sa.Venue, Address: sa.Address,
		StartsAt: sa.StartsAt.In(loc).Format(time.RFC3339), EndsAt: sa.EndsAt.In(loc).Format(time.RFC3339),
		Timezone: sa.Timezone, Capacity: sa.Capacity, Waitlist: sa.Waitlist,
		RSVPDeadline: sa.RSVPDeadline.In(loc).Format(time.RFC3339), Status: sa.Status,
		Confirmed: sa.Confirmed, Waitlisted: sa.Waitlisted, SeatsLeft: sa.SeatsLeft(),
		URL: s.d.BaseURL + "/salons/" + sa.Slug, ICSURL: s.d.BaseURL + "/salons/" + sa.Slug + ".ics",
		Approval: sa.Approval, MaxGuests: sa.MaxGuests, Pending: sa.Pending,
		Questions: questionsJSON(sa.Questions),
	}
}

// questionsJSON is qs as the API writes them: [] rather than null.
func questionsJSON(qs []events.Question) []events.Question {
	if qs == nil {
		return []events.Question{}
	}
	return qs
}

// organizerSalonJSON adds what only organizers see.
func (s *API) organizerSalonJSON(sa *events.Salon) salonJSON {
	j := s.salonJSON(sa)
	mins := int(sa.ReminderBefore / time.Minute)
	j.CheckedIn, j.Sequence, j.ReminderBeforeMinutes = &sa.CheckedIn, &sa.Sequence, &mins
	return j
}

// ticketJSON is the contract's Ticket.
type ticketJSON struct {
	ID               string  `json:"id"`
	Salon            string  `json:"salon"`
	Name             string  `json:"name"`
	Email            string  `json:"email"`
	Company          string  `json:"company"`
	JobTitle         string  `json:"job_title"`
	Lang             string  `json:"lang"`
	Status           string  `json:"status"`
	Guests           int     `json:"guests"`
	WaitlistPosition *int    `json:"waitlist_position"`
	CheckedInAt      *string `json:"checked_in_at"`
	Code             *string `json:"code"`
	ManageURL        *string `json:"manage_url"`
	QRURL            *string `json:"qr_url"`
	ICSURL           *string `json:"ics_url"`
	FeedURL          *string `json:"feed_url"`
	CreatedAt        string  `json:"created_at"`
	// ErasedAt is when the holder's personal data was erased.
	ErasedAt *string `json:"erased_at"`
	// Answers are the answers given, by question id; {} for none. They
	// include answers to questions removed since.
	Answers tickets.Answers `json:"answers"`
}

// ticketJSON renders t for its owner, links included. feedToken may be "".
func (s *API) ticketJSON(t *tickets.Ticket, loc *time.Location, feedToken string) ticketJSON {
	j := s.attendeeJSON(t, loc)
	manage := s.d.BaseURL + "/t/" + t.Token
	qr, ics := manage+"/qr.png", manage+"/invite.ics"
	j.ManageURL = &manage
	if !t.Erased() {
		// An invitation names its attendee; an erased ticket has none.
		j.ICSURL = &ics
	}
	if t.Status == tickets.StatusConfirmed {
		j.QRURL = &qr
	}
	if feedToken != "" {
		feed := s.d.BaseURL + "/feeds/" + feedToken + ".ics"
		j.FeedURL = &feed
	}
	return j
}

// attendeeJSON renders t for organizers: no links that would let them act as
// the attendee.
func (s *API) attendeeJSON(t *tickets.Ticket, loc *time.Location) ticketJSON {
	j := ticketJSON{
		ID: strconv.FormatInt(t.ID, 10), Salon: t.Salon, Name: t.Name, Email: t.Email, Company: t.Company,
		JobTitle: t.JobTitle, Lang: t.Lang, Status: t.Status, Guests: t.Guests, CreatedAt: t.CreatedAt.In(loc).Format(time.RFC3339),
		Answers: t.Answers,
	}
	if j.Answers == nil {
		j.Answers = tickets.Answers{}
	}
	if t.Status == tickets.StatusWaitlisted {
		p := t.WaitlistPosition
		j.WaitlistPosition = &p
	}
	j.CheckedInAt = web.TimePtr(t.CheckedInAt, loc)
	j.ErasedAt = web.TimePtr(t.ErasedAt, loc)
	if t.Status == tickets.StatusConfirmed {
		code := s.d.Keys.Sign(t)
		j.Code = &code
	}
	return j
}
