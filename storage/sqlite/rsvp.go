package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"math"
	"time"

	"salon/events"
	"salon/storage"
	"salon/tickets"
)

// rsvpSalonColumns are what an RSVP decision needs of its salon, and no
// more: the full row (description and all) cost more to read than to decide.
const rsvpSalonColumns = `SELECT id, slug, status, capacity, waitlist, confirmed, waitlisted,
	starts_at, rsvp_deadline, timezone, approval, max_guests, pending, questions` + salonsFrom + ` WHERE slug = ?`

func scanRSVPSalon(row scanner) (*events.Salon, error) {
	var s events.Salon
	var starts, deadline int64
	var questions string
	if err := row.Scan(&s.ID, &s.Slug, &s.Status, &s.Capacity, &s.Waitlist, &s.Confirmed, &s.Waitlisted,
		&starts, &deadline, &s.Timezone, &s.Approval, &s.MaxGuests, &s.Pending, &questions); err != nil {
		return nil, err
	}
	var err error
	if s.Questions, err = storage.DecodeQuestions(questions); err != nil {
		return nil, err
	}
	s.StartsAt, s.RSVPDeadline = unix(starts), unix(deadline)
	return &s, nil
}

// CreateRSVP takes an RSVP: confirmed while seats are left, else waitlisted
// in arrival order, else salon_full. The capacity decision, the ticket, its
// notice and the idempotency record are written in one transaction by the
// single writer, so no concurrency can overbook. The input must be
// normalized and valid. For an email that already has an active RSVP,
// already_registered is returned and its confirmation queued again when
// tickets.ResendAllowed says so. The result carries the ticket, the salon's
// zone and the attendee's feed token (no tokens for a replay, see
// RSVPRequest).
//
// A repeated email is found by the unique index on active tickets
// (the INSERT fails, and only that statement is undone), not by a query
// before every INSERT; the first-come decision and the waitlist position
// come from the counts on the salon row, kept in the same transaction.
func (db *DB) CreateRSVP(ctx context.Context, r storage.RSVPRequest) (*storage.RSVPResult, error) {
	var out *storage.RSVPResult
	var refusal error
	var zone string
	// The feed token is derived from feed once the write is done.
	var feed feedRef
	in := r.Input
	// Everything that does not depend on the database (random salts, keyed
	// hashes) is done here, by the caller's goroutine, so that the single
	// writer spends its time only on what must be serial.
	salt := tickets.RandomBytes(tickets.TokenBytes)
	var keyHash, bodyHash string
	if r.IdempotencyKey != "" {
		keyHash = tickets.HashToken(r.Slug + "\x00" + r.IdempotencyKey)
		bodyHash = tickets.HashToken(in.IdempotencyBody())
	}
	// The salon's row, its counts and its webhook subscribers come from the
	// writer's salon cache (see salonCache): read once, written once per batch.
	err := db.updateCached(ctx, func(tx *Tx) error {
		s, err := tx.rsvpSalon(ctx, r.Slug)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !s.Visible()) {
			return notFound("Salon")
		} else if err != nil {
			return fmt.Errorf("storage: unable to fetch salon: %w", err)
		}
		zone = s.Timezone
		if keyHash != "" {
			var prevBody string
			var prevTicket int64
			err := tx.QueryRowContext(ctx, `SELECT body_hash, ticket_id FROM idempotency_keys WHERE key_hash = ?`, keyHash).Scan(&prevBody, &prevTicket)
			if err == nil {
				if prevBody != bodyHash {
					return &events.Error{Code: events.EINVALID, Message: "Idempotency-Key: already used for a different request",
						Fields: map[string]string{"Idempotency-Key": "already used for a different request"}}
				}
				// The salt is read and dropped: no token is derived for a replay.
				t, _, err := scanTicketSalt(tx.QueryRowContext(ctx, ticketByID, prevTicket))
				if err != nil {
					return fmt.Errorf("storage: unable to replay ticket: %w", err)
				}
				out = &storage.RSVPResult{Ticket: t, Replayed: true}
				return nil
			} else if !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("storage: unable to check idempotency key: %w", err)
			}
		}
		answers, err := tickets.CheckRSVP(tx.now, s, in)
		if err != nil {
			return err
		}
		status, err := tickets.DecideNew(s, 1+in.Guests)
		if err != nil {
			// A full salon still tells an attendee who is already in that
			// they are, as when the check came first.
			if resent, rerr := db.resendIfRegistered(ctx, tx, s.ID, in.Email); rerr != nil || resent {
				refusal = alreadyRegistered()
				return rerr
			}
			return err
		}
		// The ticket carries its notice (see notices.go), with the place in
		// line it takes when waitlisted, so it is written once.
		kind, position := tickets.NoticeFor(status), 0
		if status == tickets.StatusWaitlisted {
			if position, err = newWaitlistPosition(ctx, tx, s, in.Guests); err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO tickets (salon_id, name, email, company, job_title, lang, status,
			token_salt, created_at, updated_at, guests, answers, notice_kind, notice_payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			s.ID, in.Name, in.Email, in.Company, in.JobTitle, in.Lang, status, salt,
			tx.now.Unix(), tx.now.Unix(), in.Guests, storage.EncodeAnswers(answers), kind, tickets.NoticePayload(kind, position, 0))
		if isUniqueViolation(err) {
			// Refused, but the owner gets their ticket mailed again (unless
			// throttled, see resendConfirmation); the refusal is returned
			// only after that notice, if any, is safely queued.
			if resent, rerr := db.resendIfRegistered(ctx, tx, s.ID, in.Email); rerr != nil || resent {
				refusal = alreadyRegistered()
				return rerr
			}
			return events.Errorf(events.EALREADYREGISTERED, "This email already has an RSVP for this salon.")
		} else if err != nil {
			return fmt.Errorf("storage: unable to create ticket: %w", err)
		}
		id, _ := res.LastInsertId()
		t := &tickets.Ticket{ID: id, SalonID: s.ID, Salon: s.Slug, Name: in.Name, Email: in.Email, Company: in.Company,
			JobTitle: in.JobTitle, Lang: in.Lang, Status: status, Guests: in.Guests, CreatedAt: tx.now, UpdatedAt: tx.now, Answers: answers,
			WaitlistPosition: position}
		dc, dw, dp := tickets.SeatCounts(status, t.Seats())
		if err := tx.addCachedCounts(s, dc, dw, dp); err != nil {
			return err
		}
		tx.deferNotice()
		// The personal feed needs no row of its own: its token names the
		// email's first ticket (this one, for a new email).
		if feed, err = readFeedRaw(ctx, tx, in.Email); err != nil {
			return err
		}
		if keyHash != "" {
			if _, err := tx.ExecContext(ctx, `INSERT INTO idempotency_keys (key_hash, body_hash, ticket_id, created_at) VALUES (?, ?, ?, ?)`,
				keyHash, bodyHash, id, tx.now.Unix()); err != nil {
				return fmt.Errorf("storage: unable to record idempotency key: %w", err)
			}
		}
		hooks, err := tx.cachedSubscribers(ctx, s.ID, storage.EventRSVPCreated)
		if err != nil {
			return err
		}
		if err := deliverWebhook(ctx, tx, hooks, storage.EventRSVPCreated, func() (any, error) { return storage.TicketEventData(t), nil }); err != nil {
			return err
		}
		db.ticketsChanged(tx)
		out = &storage.RSVPResult{Ticket: t}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if refusal != nil {
		return nil, refusal
	}
	out.Location = events.ZoneOrDefault(zone)
	if out.Replayed {
		return out, nil
	}
	// Made here, once the id is known, rather than in the writer.
	out.Ticket.Token = tickets.ManageToken(db.key, out.Ticket.ID, salt)
	out.FeedToken = db.feedToken(feed)
	return out, nil
}

func alreadyRegistered() error {
	return events.Errorf(events.EALREADYREGISTERED, "This email already has an RSVP for this salon; its confirmation is mailed to that address again, at most once every 10 minutes.")
}

// resendQuery finds the active ticket of an email for a salon, with the
// language its notice is written in.
const resendQuery = `SELECT id, lang FROM tickets WHERE salon_id = ? AND email = ? AND status <> 'cancelled'`

// resendIfRegistered queues the confirmation again (unless throttled, see
// resendConfirmation) when email has an active ticket for the salon, and
// reports whether it has one.
func (db *DB) resendIfRegistered(ctx context.Context, tx *Tx, salonID int64, email string) (bool, error) {
	var existing int64
	var lang string
	err := tx.QueryRowContext(ctx, resendQuery, salonID, email).Scan(&existing, &lang)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("storage: unable to check existing RSVP: %w", err)
	}
	return true, db.resendConfirmation(ctx, tx, salonID, existing, email, lang)
}

// lastResendQuery reads when the ticket's last resend was queued (NULL when
// it has had none).
const lastResendQuery = `SELECT MAX(created_at) FROM outbox WHERE ticket_id = ? AND kind = ?`

// resendConfirmation queues an already_registered notice for the ticket
// when tickets.ResendAllowed says so, asked with the last resend as read in
// this transaction; otherwise nothing is queued, and the resend already
// queued is the one the owner gets.
func (db *DB) resendConfirmation(ctx context.Context, tx *Tx, salonID, ticketID int64, email, lang string) error {
	// An RSVP of this batch may have left its notice in its ticket.
	if err := db.copyNotices(ctx, tx); err != nil {
		return err
	}
	var last sql.NullInt64
	if err := tx.QueryRowContext(ctx, lastResendQuery, ticketID, tickets.NoticeAlreadyRegistered).Scan(&last); err != nil {
		return fmt.Errorf("storage: unable to check resends: %w", err)
	}
	var lastResend time.Time
	if last.Valid {
		lastResend = unix(last.Int64)
	}
	if !tickets.ResendAllowed(lastResend, tx.now) {
		return nil
	}
	return enqueue(ctx, tx, tickets.NoticeAlreadyRegistered, salonID, ticketID, email, lang, 0, 0)
}

// waitingPartyQuery finds a waitlisted party of a salon, if any, by the
// partial index of migration 0020.
const waitingPartyQuery = `SELECT 1 FROM tickets WHERE salon_id = ? AND status = 'waitlisted' AND guests > 0 LIMIT 1`

// newWaitlistPosition is the place in line of a ticket with guests about
// to be waitlisted as the salon's newest: behind every waitlisted ticket
// of the salon. While every waitlisted ticket is a single guest (the new
// one too, and no party waits: one probe of tickets_waitlisted_parties),
// seats and tickets are the same number, so the place follows the
// waitlisted seat count s holds; otherwise the waitlist is counted.
func newWaitlistPosition(ctx context.Context, tx *Tx, s *events.Salon, guests int) (int, error) {
	if guests == 0 {
		var party [1]driver.Value
		found, err := tx.rawRow(ctx, waitingPartyQuery, party[:], s.ID)
		if err != nil {
			return 0, fmt.Errorf("storage: unable to look for waiting parties: %w", err)
		} else if !found {
			return s.Waitlisted + 1, nil
		}
	}
	n, err := waitlistPosition(ctx, tx, s.ID, math.MaxInt64)
	return n + 1, err
}

// waitlistPosition is a waitlisted ticket's place in line: how many
// waitlisted tickets (parties, whatever their size) of the salon came
// before it, and itself.
func waitlistPosition(ctx context.Context, tx *Tx, salonID, id int64) (int, error) {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM tickets WHERE salon_id = ? AND status = 'waitlisted' AND id <= ?`,
		salonID, id).Scan(&n); err != nil {
		return 0, fmt.Errorf("storage: unable to count waitlist: %w", err)
	}
	return n, nil
}
