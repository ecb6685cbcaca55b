package web

import (
	"encoding/csv"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"salon/events"
	"salon/storage"
	"salon/tickets"
)

// attendeeFilter reads the attendee list's query: status and q.
func attendeeFilter(c *fiber.Ctx, sa *events.Salon) (storage.TicketFilter, error) {
	f := storage.TicketFilter{SalonID: sa.ID, Q: strings.TrimSpace(c.Query("q"))}
	switch st := c.Query("status"); st {
	case "", tickets.StatusConfirmed, tickets.StatusWaitlisted, tickets.StatusPending, tickets.StatusDeclined, tickets.StatusCancelled:
		f.Status = st
	default:
		const msg = "must be confirmed, waitlisted, pending, declined or cancelled"
		return f, &events.Error{Code: events.EINVALID, Message: "status: " + msg, Fields: map[string]string{"status": msg}}
	}
	return f, nil
}

// SalonAttendees loads the salon the caller manages and its tickets as the
// query filters them (status, q); the API, the CSV and the console share it.
func (d *Deps) SalonAttendees(c *fiber.Ctx, limit int) (*events.Salon, storage.TicketFilter, []*tickets.Ticket, error) {
	sa, _, err := d.ManagedSalon(c)
	if err != nil {
		return nil, storage.TicketFilter{}, nil, err
	}
	f, err := attendeeFilter(c, sa)
	if err != nil {
		return nil, f, nil, err
	}
	f.Limit = limit
	list, err := d.DB.FindTickets(c.UserContext(), f)
	if err != nil {
		return nil, f, nil, err
	}
	return sa, f, list, nil
}

// SendAttendeesCSV answers with one row per ticket as UTF-8 with a BOM, so
// Excel opens Chinese names correctly, with formula-looking cells
// neutralised. The API's export and the console's (behind a session) both
// answer through it.
func SendAttendeesCSV(c *fiber.Ctx, sa *events.Salon, list []*tickets.Ticket) error {
	var b strings.Builder
	b.WriteString("\ufeff")
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	header := []string{"id", "name", "email", "company", "job_title", "lang", "status", "waitlist_position", "checked_in_at", "created_at", "guests"}
	// One column per question the salon asks now, headed by its label;
	// answers to questions removed since stay in the API and the export.
	for _, q := range sa.Questions {
		header = append(header, CSVSafe(q.Label))
	}
	w.Write(header)
	loc := sa.Location()
	for _, t := range list {
		pos, checked := "", ""
		if t.Status == tickets.StatusWaitlisted {
			pos = strconv.Itoa(t.WaitlistPosition)
		}
		if t.CheckedInAt != nil {
			checked = t.CheckedInAt.In(loc).Format(time.RFC3339)
		}
		row := []string{strconv.FormatInt(t.ID, 10), t.Name, t.Email, t.Company, t.JobTitle, t.Lang, t.Status, pos, checked,
			t.CreatedAt.In(loc).Format(time.RFC3339), strconv.Itoa(t.Guests)}
		for _, q := range sa.Questions {
			a, ok := t.Answers[q.ID]
			row = append(row, AnswerCell(a, ok))
		}
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
