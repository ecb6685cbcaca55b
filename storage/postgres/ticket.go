package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"salon/storage"
	"salon/tickets"
)

// ticketBaseColumns are a ticket's columns up to its waitlist position,
// which each query derives in its own way.
const ticketBaseColumns = `t.id, t.salon_id, s.slug, t.name, t.email, t.company, t.job_title, t.lang, t.status,
	t.token_salt, t.checked_in_at, t.created_at, t.updated_at`

const ticketColumns = ticketBaseColumns + `,
	CASE WHEN t.status = 'waitlisted' THEN (SELECT COUNT(*) FROM tickets w
		WHERE w.salon_id = t.salon_id AND w.status = 'waitlisted' AND w.id <= t.id) ELSE 0 END, t.erased_at, t.guests, t.answers`

const ticketFrom = ` FROM tickets t JOIN salons s ON s.id = t.salon_id`

// ticketByID selects one ticket by id, for scanTicket, whatever its salon:
// only for ids that come from a verified ticket code or from the store itself.
const ticketByID = `SELECT ` + ticketColumns + ticketFrom + ` WHERE t.id = ?`

// ticketInSalon selects one ticket by id within one salon, for scanTicket.
// Every lookup by an id a caller sent goes through it.
const ticketInSalon = `SELECT ` + ticketColumns + ticketFrom + ` WHERE t.id = ? AND t.salon_id = ?`

// scanTicket reads a ticket and derives its manage token from the key.
func scanTicket(row scanner, key []byte) (*tickets.Ticket, error) {
	t, salt, err := scanTicketSalt(row)
	if err != nil {
		return nil, err
	}
	t.Token = tickets.ManageToken(key, t.ID, salt)
	return t, nil
}

// scanTicketSalt reads a ticket without its manage token, and the salt the
// token is derived from: writes read it so, and derive the token (an HMAC)
// after the transaction is done with them.
func scanTicketSalt(row scanner) (*tickets.Ticket, []byte, error) {
	var t tickets.Ticket
	var salt []byte
	var checked, erased *int64
	var created, updated int64
	var answers string
	if err := row.Scan(&t.ID, &t.SalonID, &t.Salon, &t.Name, &t.Email, &t.Company, &t.JobTitle, &t.Lang,
		&t.Status, &salt, &checked, &created, &updated, &t.WaitlistPosition, &erased, &t.Guests, &answers); err != nil {
		return nil, nil, err
	}
	var err error
	if t.Answers, err = storage.DecodeAnswers(answers); err != nil {
		return nil, nil, err
	}
	if checked != nil {
		c := unix(*checked)
		t.CheckedInAt = &c
	}
	if erased != nil {
		e := unix(*erased)
		t.ErasedAt = &e
	}
	t.CreatedAt, t.UpdatedAt = unix(created), unix(updated)
	return &t, salt, nil
}

// FindTicketByToken returns the ticket whose manage token is token.
func (db *DB) FindTicketByToken(ctx context.Context, token string) (*tickets.Ticket, error) {
	where, arg, ok := tokenLookup(token)
	if !ok {
		return nil, notFound("Ticket")
	}
	t, err := scanTicket(db.read.QueryRowContext(ctx, `SELECT `+ticketColumns+ticketFrom+` WHERE `+where, arg), db.key)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !tokenMatches(t, token)) {
		return nil, notFound("Ticket")
	} else if err != nil {
		return nil, fmt.Errorf("storage: unable to fetch ticket: %w", err)
	}
	return t, nil
}

// tokenLookup is how a manage token finds its ticket: by the id it starts
// with, or, for a legacy token, by the hash kept for it.
func tokenLookup(token string) (where string, arg any, ok bool) {
	if id := tickets.TokenTicketID(token); id != 0 {
		return `t.id = ?`, id, true
	}
	if tickets.IsLegacyManageToken(token) {
		return `t.token_hash = ?`, tickets.HashToken(token), true
	}
	return "", nil, false
}

// tokenMatches checks a token found by its id against the one derived from
// the ticket's salt, in constant time; a legacy token was found by its hash.
func tokenMatches(t *tickets.Ticket, token string) bool {
	return tickets.IsLegacyManageToken(token) || tickets.SameToken(t.Token, token)
}

// FindTicketByID returns ticket id of salon salonID. A ticket of another
// salon is not found, exactly as an id that does not exist: ids are small
// sequential numbers, so a lookup that crossed salons would let anyone who
// may see one salon walk through every other salon's attendees.
func (db *DB) FindTicketByID(ctx context.Context, salonID, id int64) (*tickets.Ticket, error) {
	t, err := scanTicket(db.read.QueryRowContext(ctx, ticketInSalon, id, salonID), db.key)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Ticket")
	} else if err != nil {
		return nil, fmt.Errorf("storage: unable to fetch ticket: %w", err)
	}
	return t, nil
}

// FindTickets lists tickets in arrival order.
func (db *DB) FindTickets(ctx context.Context, f storage.TicketFilter) ([]*tickets.Ticket, error) {
	q, args := ticketsQuery(f)
	rows, err := db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("storage: unable to list tickets: %w", err)
	}
	defer rows.Close()
	var out []*tickets.Ticket
	for rows.Next() {
		t, err := scanTicket(rows, db.key)
		if err != nil {
			return nil, fmt.Errorf("storage: unable to read ticket: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// ticketsQuery is FindTickets' query and its arguments.
func ticketsQuery(f storage.TicketFilter) (string, []any) {
	if f.SalonID != 0 && f.Email == "" && f.Q == "" {
		return salonTicketsQuery(f)
	}
	q := `SELECT ` + ticketColumns + ticketFrom + ` WHERE t.id > ?`
	args := []any{f.After}
	if f.SalonID != 0 {
		q, args = q+` AND t.salon_id = ?`, append(args, f.SalonID)
	}
	if f.Email != "" {
		q, args = q+` AND t.email = ?`, append(args, f.Email)
	}
	if f.Status != "" {
		q, args = q+` AND t.status = ?`, append(args, f.Status)
	}
	if f.Q != "" {
		pat := "%" + escapeLike(f.Q) + "%"
		q += ` AND (t.name LIKE ? ESCAPE '\' OR t.company LIKE ? ESCAPE '\' OR t.email LIKE ? ESCAPE '\')`
		args = append(args, pat, pat, pat)
	}
	return q + ` ORDER BY t.id LIMIT ? OFFSET ?`, append(args, limitArg(f.Limit), f.Offset)
}

// salonTicketsQuery lists one salon's tickets in id order, a page at a
// time: the attendee list, its pages and the CSV's chunks. Every waitlisted
// ticket of the salon in the id range is on the page (no search leaves one
// out), so positions are one count of the waitlist before the page plus a
// running count within it, all in one statement (one snapshot), instead of
// a count of the waitlist for every row, which made a 20,000-ticket list
// quadratic.
func salonTicketsQuery(f storage.TicketFilter) (string, []any) {
	q := `WITH page (id, salon_id, slug, name, email, company, job_title, lang, status, token_salt, checked_in_at,
		created_at, updated_at, erased_at, guests, answers) AS (SELECT ` + ticketBaseColumns + `, t.erased_at, t.guests, t.answers` + ticketFrom + `
		WHERE t.salon_id = ? AND t.id > ?`
	args := []any{f.SalonID, f.After}
	if f.Status != "" {
		q, args = q+` AND t.status = ?`, append(args, f.Status)
	}
	q += ` ORDER BY t.id LIMIT ? OFFSET ?)
	SELECT id, salon_id, slug, name, email, company, job_title, lang, status, token_salt, checked_in_at, created_at, updated_at,
		CASE WHEN status = 'waitlisted' THEN
			(SELECT COUNT(*) FROM tickets w WHERE w.salon_id = ? AND w.status = 'waitlisted' AND w.id < (SELECT MIN(id) FROM page))
			+ SUM(CASE WHEN status = 'waitlisted' THEN 1 ELSE 0 END) OVER (ORDER BY id ROWS UNBOUNDED PRECEDING)
		ELSE 0 END, erased_at, guests, answers
	FROM page ORDER BY id`
	return q, append(args, limitArg(f.Limit), f.Offset, f.SalonID)
}
