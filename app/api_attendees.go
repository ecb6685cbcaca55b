package app

import (
	"encoding/csv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"salon/events"
	"salon/storage"
	"salon/tickets"
)

func (s *Server) attendeeFilter(c *fiber.Ctx, sa *events.Salon) (storage.TicketFilter, error) {
	f := storage.TicketFilter{SalonID: sa.ID, Q: strings.TrimSpace(c.Query("q"))}
	switch st := c.Query("status"); st {
	case "", tickets.StatusConfirmed, tickets.StatusWaitlisted, tickets.StatusCancelled:
		f.Status = st
	default:
		return f, &events.Error{Code: events.EINVALID, Message: "status: must be confirmed, waitlisted or cancelled",
			Fields: map[string]string{"status": "must be confirmed, waitlisted or cancelled"}}
	}
	return f, nil
}

func (s *Server) handleListAttendees(c *fiber.Ctx) error {
	sa, _, err := s.managedSalon(c)
	if err != nil {
		return err
	}
	f, err := s.attendeeFilter(c, sa)
	if err != nil {
		return err
	}
	list, err := s.db.FindTickets(c.UserContext(), f)
	if err != nil {
		return err
	}
	out := make([]ticketJSON, 0, len(list))
	for _, t := range list {
		out = append(out, s.attendeeJSON(t, sa.Location()))
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(fiber.Map{"attendees": out})
}

// handleAttendeesCSV exports one row per ticket as UTF-8 with a BOM, so Excel
// opens Chinese names correctly, with formula-looking cells neutralised.
func (s *Server) handleAttendeesCSV(c *fiber.Ctx) error {
	sa, _, err := s.managedSalon(c)
	if err != nil {
		return err
	}
	return s.sendAttendeesCSV(c, sa)
}

// sendAttendeesCSV answers the CSV of sa's attendees, filtered by the query;
// the API and the console both export through it.
func (s *Server) sendAttendeesCSV(c *fiber.Ctx, sa *events.Salon) error {
	f, err := s.attendeeFilter(c, sa)
	if err != nil {
		return err
	}
	list, err := s.db.FindTickets(c.UserContext(), f)
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString("\ufeff")
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	w.Write([]string{"id", "name", "email", "company", "job_title", "lang", "status", "waitlist_position", "checked_in_at", "created_at"})
	loc := sa.Location()
	for _, t := range list {
		pos, checked := "", ""
		if t.Status == tickets.StatusWaitlisted {
			pos = itoa(t.WaitlistPosition)
		}
		if t.CheckedInAt != nil {
			checked = t.CheckedInAt.In(loc).Format(time.RFC3339)
		}
		row := []string{itoa(int(t.ID)), t.Name, t.Email, t.Company, t.JobTitle, t.Lang, t.Status, pos, checked,
			t.CreatedAt.In(loc).Format(time.RFC3339)}
		for i := range row {
			row[i] = CSVSafe(row[i])
		}
		w.Write(row)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+sa.Slug+`-attendees.csv"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.SendString(b.String())
}

// CSVSafe neutralises a cell that a spreadsheet would run as a formula
// (starting with =, +, -, @, tab or CR) by prefixing a quote.
func CSVSafe(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
