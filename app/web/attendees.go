package web

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/csv"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"salon/events"
	"salon/storage"
	"salon/tickets"
)

// Attendee pages: the API's limit, when none is asked for, and the most it
// may ask for; the console's page; the CSV's chunk, read from the store one
// after another while the answer streams out.
const (
	AttendeePageDefault = 100
	AttendeePageMax     = 1000
	ConsoleAttendeePage = 200
	attendeeCSVChunk    = 500
)

// DefaultWriteTimeout is how long a client may take over any part of an
// answer: fasthttp's write deadline for a whole ordinary answer, and for a
// streamed one the longest it may go without taking a byte.
const DefaultWriteTimeout = 30 * time.Second

// attendeeFilter reads the attendee list's query: status, q and cursor.
func attendeeFilter(c *fiber.Ctx, sa *events.Salon) (storage.TicketFilter, error) {
	f := storage.TicketFilter{SalonID: sa.ID, Q: strings.TrimSpace(c.Query("q"))}
	switch st := c.Query("status"); st {
	case "", tickets.StatusConfirmed, tickets.StatusWaitlisted, tickets.StatusPending, tickets.StatusDeclined, tickets.StatusCancelled:
		f.Status = st
	default:
		const msg = "must be confirmed, waitlisted, pending, declined or cancelled"
		return f, &events.Error{Code: events.EINVALID, Message: "status: " + msg, Fields: map[string]string{"status": msg}}
	}
	if cur := c.Query("cursor"); cur != "" {
		after, ok := parseAttendeeCursor(cur)
		if !ok {
			return f, &events.Error{Code: events.EINVALID, Message: "cursor: not a cursor of this list; start again without one",
				Fields: map[string]string{"cursor": "not a cursor of this list; start again without one"}}
		}
		f.After = after
	}
	return f, nil
}

// AttendeeCursor is the opaque cursor of the page after the ticket with id
// last: clients pass it back as it is, never build one.
func AttendeeCursor(last int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("t1." + strconv.FormatInt(last, 36)))
}

// parseAttendeeCursor reads an AttendeeCursor back.
func parseAttendeeCursor(cur string) (int64, bool) {
	b, err := base64.RawURLEncoding.DecodeString(cur)
	if err != nil || !bytes.HasPrefix(b, []byte("t1.")) {
		return 0, false
	}
	id, err := strconv.ParseInt(string(b[3:]), 36, 64)
	return id, err == nil && id > 0
}

// AttendeeLimit reads the API's limit: at most AttendeePageMax;
// AttendeePageDefault when a cursor comes without one; 0 (every ticket,
// the contract's list as it always was) when neither is given, so a
// client that never heard of pages still gets the whole list.
func AttendeeLimit(c *fiber.Ctx) (int, error) {
	v := c.Query("limit")
	if v == "" {
		if c.Query("cursor") == "" {
			return 0, nil
		}
		return AttendeePageDefault, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > AttendeePageMax {
		msg := "must be a whole number from 1 to " + strconv.Itoa(AttendeePageMax)
		return 0, &events.Error{Code: events.EINVALID, Message: "limit: " + msg, Fields: map[string]string{"limit": msg}}
	}
	return n, nil
}

// SalonAttendees loads the salon the caller manages and its tickets as the
// query filters them (status, q, cursor); the API, the CSV and the console
// share it. limit 0 is every ticket from the cursor on.
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

// AttendeePage is SalonAttendees a page of at most limit at a time, with
// the cursor of the next page, "" on the last; limit 0 is every ticket.
func (d *Deps) AttendeePage(c *fiber.Ctx, limit int) (*events.Salon, storage.TicketFilter, []*tickets.Ticket, string, error) {
	if limit == 0 {
		sa, f, list, err := d.SalonAttendees(c, 0)
		return sa, f, list, "", err
	}
	// One more than the page tells whether another page follows.
	sa, f, list, err := d.SalonAttendees(c, limit+1)
	if err != nil || len(list) <= limit {
		return sa, f, list, "", err
	}
	list = list[:limit]
	return sa, f, list, AttendeeCursor(list[limit-1].ID), nil
}

// attendeeCSVHeader is the first row of the attendees CSV: one column per
// question the salon asks now, headed by its label, after the ticket's own;
// answers to questions removed since stay in the API and the export.
func attendeeCSVHeader(sa *events.Salon) []string {
	header := []string{"id", "name", "email", "company", "job_title", "lang", "status", "waitlist_position", "checked_in_at", "created_at", "guests"}
	for _, q := range sa.Questions {
		header = append(header, CSVSafe(q.Label))
	}
	return header
}

// attendeeCSVRow is one ticket's row, its cells made safe for spreadsheets.
func attendeeCSVRow(t *tickets.Ticket, loc *time.Location, qs []events.Question) []string {
	pos, checked := "", ""
	if t.Status == tickets.StatusWaitlisted {
		pos = strconv.Itoa(t.WaitlistPosition)
	}
	if t.CheckedInAt != nil {
		checked = t.CheckedInAt.In(loc).Format(time.RFC3339)
	}
	row := []string{strconv.FormatInt(t.ID, 10), t.Name, t.Email, t.Company, t.JobTitle, t.Lang, t.Status, pos, checked,
		t.CreatedAt.In(loc).Format(time.RFC3339), strconv.Itoa(t.Guests)}
	for _, q := range qs {
		a, ok := t.Answers[q.ID]
		row = append(row, AnswerCell(a, ok))
	}
	for i := range row {
		row[i] = CSVSafe(row[i])
	}
	return row
}

// SendAttendeesCSV answers the tickets the query selects (status, q) as
// CSV: UTF-8 with a BOM, so Excel opens Chinese names correctly, and
// formula-looking cells neutralised. The API's export and the console's
// (behind a session) both answer through it.
//
// The body streams: tickets are read from the store attendeeCSVChunk at a
// time, by id, as the client takes the answer, so an export holds one
// chunk in memory however big the salon. Each chunk is one consistent
// read; a ticket that changes during a long export shows as it was when
// its chunk was read. The first chunk is read before the answer starts, so
// a store that fails at once answers an error; one that fails later cuts
// the answer short without its last chunk, which clients see as an
// incomplete download rather than a shorter list.
func (d *Deps) SendAttendeesCSV(c *fiber.Ctx) error {
	sa, _, err := d.ManagedSalon(c)
	if err != nil {
		return err
	}
	f, err := attendeeFilter(c, sa)
	if err != nil {
		return err
	}
	s := &csvStream{ctx: context.WithoutCancel(c.UserContext()), db: d.DB, f: f, loc: sa.Location(), qs: sa.Questions, log: d.Log}
	s.w = csv.NewWriter(&s.buf)
	s.w.UseCRLF = true
	s.buf.WriteString("\ufeff")
	s.w.Write(attendeeCSVHeader(sa))
	if err := s.fill(); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+sa.Slug+`-attendees.csv"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	if s.done {
		// Small enough for one chunk: a plain answer with its length.
		return c.Send(s.buf.Bytes())
	}
	s.rc = c.Context()
	s.timeout = d.WriteTimeout
	if s.timeout <= 0 {
		s.timeout = DefaultWriteTimeout
	}
	c.Context().SetBodyStream(s, -1)
	return nil
}

// csvStream reads the attendees CSV chunk by chunk as it is sent. fasthttp
// calls Read after it has written what the last Read gave, and
// CloseWithError when the answer is over, with the write's error.
type csvStream struct {
	ctx     context.Context
	db      storage.Tickets
	f       storage.TicketFilter
	loc     *time.Location
	qs      []events.Question
	log     *slog.Logger
	rc      *fasthttp.RequestCtx
	timeout time.Duration
	buf     bytes.Buffer
	w       *csv.Writer
	done    bool
	sent    int64
	// failed is the store's error that cut the answer short, already
	// logged.
	failed error
}

// Read hands out the CSV, reading the next chunk when the last is sent.
//
// The write deadline moves on at every Read, after the store was read: a
// deadline for the whole answer (fasthttp's, set once when the handler
// returns) cut big exports to slow or busy clients short, and one set per
// chunk before the store read counted the store's time, under load
// seconds, against the client. So the deadline bounds only how long the
// client takes over each piece written, and a client that stops reading
// still times out.
func (s *csvStream) Read(p []byte) (int, error) {
	for s.buf.Len() == 0 {
		if s.done {
			return 0, io.EOF
		}
		s.buf.Reset()
		if err := s.fill(); err != nil {
			s.failed = err
			s.log.Error("attendees CSV cut short: the store failed", "salon_id", s.f.SalonID, "sent_bytes", s.sent, "err", err)
			return 0, err
		}
	}
	if s.rc != nil {
		s.rc.SetWriteDeadline(time.Now().Add(s.timeout))
	}
	n, err := s.buf.Read(p)
	s.sent += int64(n)
	return n, err
}

// CloseWithError is called by fasthttp once the answer is over; err is why
// it ended early (the client went away or took too long), nil when it was
// sent whole. A cut-short export is logged, so it is not silent.
func (s *csvStream) CloseWithError(err error) error {
	if err != nil && s.failed == nil {
		s.log.Warn("attendees CSV cut short: the client stopped taking it", "salon_id", s.f.SalonID, "sent_bytes", s.sent, "err", err)
	}
	return nil
}

// fill reads the next chunk of tickets and writes their rows.
func (s *csvStream) fill() error {
	s.f.Limit = attendeeCSVChunk
	list, err := s.db.FindTickets(s.ctx, s.f)
	if err != nil {
		return err
	}
	for _, t := range list {
		s.w.Write(attendeeCSVRow(t, s.loc, s.qs))
	}
	s.w.Flush()
	if len(list) < attendeeCSVChunk {
		s.done = true
	} else {
		s.f.After = list[len(list)-1].ID
	}
	return s.w.Error()
}

// CSVSafe neutralises a cell that a spreadsheet would run as a formula
// (starting with =, +, -, @, tab or CR) by prefixing a quote.
func CSVSafe(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
