package api

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"salon/app/web"
	"salon/events"
	"salon/storage"
)

// exportJSON is everything held about one ticket's holder. Audit entries
// leave out who acted and from where: that is the organizer's data.
type exportJSON struct {
	ExportedAt      string            `json:"exported_at"`
	Ticket          ticketJSON        `json:"ticket"`
	Salon           exportSalonJSON   `json:"salon"`
	Mail            []exportMailJSON  `json:"mail"`
	Scans           []exportScanJSON  `json:"scans"`
	Audit           []exportAuditJSON `json:"audit"`
	IdempotencyKeys int               `json:"idempotency_keys"`
}

type exportSalonJSON struct {
	Slug     string `json:"slug"`
	Title    string `json:"title"`
	StartsAt string `json:"starts_at"`
	EndsAt   string `json:"ends_at"`
	Venue    string `json:"venue"`
	Address  string `json:"address"`
	// Questions are the salon's questions now, so the ticket's answers
	// can be read; answers to questions removed since keep only their id.
	Questions []events.Question `json:"questions"`
}

type exportMailJSON struct {
	ID        string  `json:"id"`
	Kind      string  `json:"kind"`
	Recipient string  `json:"recipient"`
	Lang      string  `json:"lang"`
	Status    string  `json:"status"`
	Attempts  int     `json:"attempts"`
	Error     string  `json:"error"`
	CreatedAt string  `json:"created_at"`
	SentAt    *string `json:"sent_at"`
}

type exportScanJSON struct {
	Result      string  `json:"result"`
	Device      string  `json:"device"`
	ScannedAt   string  `json:"scanned_at"`
	RecordedAt  string  `json:"recorded_at"`
	CheckedInAt *string `json:"checked_in_at"`
	Flagged     bool    `json:"flagged"`
}

type exportAuditJSON struct {
	Action    string `json:"action"`
	Detail    string `json:"detail"`
	CreatedAt string `json:"created_at"`
}

// ExportTicket answers everything the server holds about the ticket's
// holder, as a download.
func (s *API) ExportTicket(c *fiber.Ctx) error {
	ex, err := s.d.DB.ExportTicket(c.UserContext(), c.Params("token"))
	if err != nil {
		return err
	}
	out, err := s.exportDoc(c, ex)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="salon-ticket-`+strconv.FormatInt(ex.Ticket.ID, 10)+`.json"`)
	return c.JSON(out)
}

// exportDoc is the export document of one ticket.
func (s *API) exportDoc(c *fiber.Ctx, ex *storage.Export) (exportJSON, error) {
	feed, err := s.feedToken(c, ex.Ticket.Email)
	if err != nil {
		return exportJSON{}, err
	}
	loc := ex.Salon.Location()
	f := func(t time.Time) string { return t.In(loc).Format(time.RFC3339) }
	out := exportJSON{ExportedAt: f(s.d.DB.Now()), Ticket: s.ticketJSON(ex.Ticket, loc, feed),
		Salon: exportSalonJSON{Slug: ex.Salon.Slug, Title: ex.Salon.Title, StartsAt: f(ex.Salon.StartsAt),
			EndsAt: f(ex.Salon.EndsAt), Venue: ex.Salon.Venue, Address: ex.Salon.Address,
			Questions: questionsJSON(ex.Salon.Questions)},
		Mail: []exportMailJSON{}, Scans: []exportScanJSON{}, Audit: []exportAuditJSON{}, IdempotencyKeys: ex.IdempotencyKeys}
	for _, m := range ex.Messages {
		out.Mail = append(out.Mail, exportMailJSON{ID: strconv.FormatInt(m.ID, 10), Kind: m.Kind, Recipient: m.Recipient,
			Lang: m.Lang, Status: m.Status, Attempts: m.Attempts, Error: m.LastError, CreatedAt: f(m.CreatedAt),
			SentAt: web.TimePtr(m.SentAt, loc)})
	}
	for _, sc := range ex.Scans {
		out.Scans = append(out.Scans, exportScanJSON{Result: sc.Result, Device: sc.Device, ScannedAt: f(sc.ScannedAt),
			RecordedAt: f(sc.RecordedAt), CheckedInAt: web.TimePtr(sc.CheckedInAt, loc), Flagged: sc.Flagged})
	}
	for _, e := range ex.Audit {
		out.Audit = append(out.Audit, exportAuditJSON{Action: e.Action, Detail: e.Detail, CreatedAt: f(e.CreatedAt)})
	}
	return out, nil
}

// EraseTicket erases the ticket holder's personal data for good and
// answers the ticket as it is then; again, the same.
func (s *API) EraseTicket(c *fiber.Ctx) error {
	t, err := s.d.DB.EraseTicket(c.UserContext(), c.Params("token"))
	if err != nil {
		return err
	}
	return s.sendTicket(c, fiber.StatusOK, t)
}

// feedToken is the personal feed token of email; an erased ticket (no
// email) has none, and asking would make none.
func (s *API) feedToken(c *fiber.Ctx, email string) (string, error) {
	if email == "" {
		return "", nil
	}
	return s.d.DB.FeedToken(c.UserContext(), email)
}
