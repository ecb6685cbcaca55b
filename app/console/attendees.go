package console

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"salon/app/web"
	"salon/events"
	"salon/storage"
	"salon/tickets"
)

type consoleAttendeesPage struct {
	consolePage
	Salon    *events.Salon
	Tickets  []*tickets.Ticket
	Q        string
	Status   string
	Statuses []string
	// Next is the cursor of the page after this one, "" on the last;
	// Paged says this is not the first page.
	Next  string
	Paged bool
}

// HasPending reports whether any listed ticket awaits a decision, so the
// page offers the bulk form and its checkboxes.
func (p consoleAttendeesPage) HasPending() bool {
	for _, t := range p.Tickets {
		if t.Status == tickets.StatusPending {
			return true
		}
	}
	return false
}

// pageURL is the list with the page's filters, from cursor on ("" for the
// first page).
func (p consoleAttendeesPage) pageURL(cursor string) string {
	v := url.Values{}
	if p.Q != "" {
		v.Set("q", p.Q)
	}
	if p.Status != "" {
		v.Set("status", p.Status)
	}
	if cursor != "" {
		v.Set("cursor", cursor)
	}
	u := "/admin/salons/" + p.Salon.Slug + "/attendees"
	if len(v) > 0 {
		u += "?" + v.Encode()
	}
	return u
}

// NextURL is the next page's address.
func (p consoleAttendeesPage) NextURL() string { return p.pageURL(p.Next) }

// FirstURL is the first page's address, with the same filters.
func (p consoleAttendeesPage) FirstURL() string { return p.pageURL("") }

// CSVURL exports what the page shows, with the same filters.
func (p consoleAttendeesPage) CSVURL() string {
	v := url.Values{}
	if p.Q != "" {
		v.Set("q", p.Q)
	}
	if p.Status != "" {
		v.Set("status", p.Status)
	}
	u := "/admin/salons/" + p.Salon.Slug + "/attendees.csv"
	if len(v) > 0 {
		u += "?" + v.Encode()
	}
	return u
}

// Attendees lists a salon's attendees, filtered by status and q, a page
// of web.ConsoleAttendeePage at a time with a link to the next.
func (s *Console) Attendees(c *fiber.Ctx) error {
	sa, f, list, next, err := s.d.AttendeePage(c, web.ConsoleAttendeePage)
	if err != nil {
		return err
	}
	p := consoleAttendeesPage{consolePage: s.newConsolePage(c, "console.attendees"), Salon: sa, Tickets: list,
		Q: f.Q, Status: f.Status, Statuses: []string{tickets.StatusConfirmed, tickets.StatusWaitlisted, tickets.StatusPending,
			tickets.StatusDeclined, tickets.StatusCancelled},
		Next: next, Paged: f.After > 0}
	p.Title = p.T("console.attendees") + " · " + sa.Title
	if c.Query("ok") == "decided" {
		p.Flash = decidedFlash(c, p.T)
	}
	return s.pages.Render(c, fiber.StatusOK, "console_attendees", p)
}

// salonTicket loads the ticket named in the URL; a ticket of another salon
// is not found, so a ticket id cannot reach past the salon the URL names.
func (s *Console) salonTicket(c *fiber.Ctx, sa *events.Salon) (*tickets.Ticket, error) {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return nil, events.Errorf(events.ENOTFOUND, "Ticket not found.")
	}
	return s.d.DB.FindTicketByID(c.UserContext(), sa.ID, int64(id))
}

func attendeesURL(sa *events.Salon, ok string) string {
	return "/admin/salons/" + sa.Slug + "/attendees?ok=" + ok
}

// ticketAction runs act on a ticket of a salon the user manages: the
// salon from the URL's slug, the ticket from its id.
func (s *Console) ticketAction(c *fiber.Ctx, act func(sa *events.Salon, u *events.User, t *tickets.Ticket) error) error {
	sa, u, err := s.d.ManagedSalon(c)
	if err != nil {
		return err
	}
	t, err := s.salonTicket(c, sa)
	if err != nil {
		return err
	}
	return act(sa, u, t)
}

// CancelTicket cancels an RSVP for the attendee: they are
// mailed and the seat goes to the waitlist, as if they had cancelled.
func (s *Console) CancelTicket(c *fiber.Ctx) error {
	return s.ticketAction(c, func(sa *events.Salon, _ *events.User, t *tickets.Ticket) error {
		if _, err := s.d.DB.CancelTicket(c.UserContext(), sa.ID, t.ID); err != nil {
			return err
		}
		return c.Redirect(attendeesURL(sa, "ticket"), fiber.StatusSeeOther)
	})
}

// Checkin checks a guest in by hand, by ticket id, through the same
// check-in write as the door.
func (s *Console) Checkin(c *fiber.Ctx) error {
	return s.ticketAction(c, func(sa *events.Salon, u *events.User, t *tickets.Ticket) error {
		res, err := s.d.DB.CheckIn(c.UserContext(), storage.CheckinRequest{SalonID: sa.ID, TicketID: t.ID, UserID: u.ID, Device: "console"})
		if err != nil {
			return err
		}
		ok := "checked_in"
		if res.Result != tickets.CheckinOK {
			ok = "already_done"
		}
		return c.Redirect(attendeesURL(sa, ok), fiber.StatusSeeOther)
	})
}

// UndoCheckin clears a check-in made by mistake.
func (s *Console) UndoCheckin(c *fiber.Ctx) error {
	return s.ticketAction(c, func(sa *events.Salon, u *events.User, t *tickets.Ticket) error {
		if _, err := s.d.DB.UndoCheckIn(c.UserContext(), sa.ID, t.ID, u.ID); err != nil {
			return err
		}
		return c.Redirect(attendeesURL(sa, "undone"), fiber.StatusSeeOther)
	})
}

// AttendeesCSV exports the attendees of a salon the signed-in
// organizer manages, streamed; see web.Deps.SendAttendeesCSV.
func (s *Console) AttendeesCSV(c *fiber.Ctx) error { return s.d.SendAttendeesCSV(c) }
