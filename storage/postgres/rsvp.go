package postgres

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"salon/events"
	"salon/storage"
	"salon/tickets"
)

// rsvpSalonSelect is what an RSVP decision needs of its salon, and no
// more: the full row (description and all) cost more to read than to decide.
const rsvpSalonSelect = `SELECT id, slug, status, capacity, waitlist, confirmed, waitlisted,
	starts_at, rsvp_deadline, timezone, approval, max_guests, pending, questions FROM salons`

// lockRSVPSalons locks the salons of a batch of RSVPs, named by slug, in
// one statement. The rows are locked in id order (the lock is taken above
// the sort), the order every write that locks several salons keeps, so two
// batches, in this process or another, never deadlock.
const lockRSVPSalons = rsvpSalonSelect + ` WHERE slug = ANY(?) ORDER BY id FOR UPDATE`

// scanRSVPSalon reads a salon of rsvpSalonSelect. A salon whose questions
// cannot be decoded is returned too (with its slug), with the error.
func scanRSVPSalon(row scanner) (*events.Salon, error) {
	var s events.Salon
	var starts, deadline int64
	var questions string
	if err := row.Scan(&s.ID, &s.Slug, &s.Status, &s.Capacity, &s.Waitlist, &s.Confirmed, &s.Waitlisted,
		&starts, &deadline, &s.Timezone, &s.Approval, &s.MaxGuests, &s.Pending, &questions); err != nil {
		return nil, err
	}
	s.StartsAt, s.RSVPDeadline = unix(starts), unix(deadline)
	var err error
	s.Questions, err = storage.DecodeQuestions(questions)
	return &s, err
}

// CreateRSVP takes an RSVP: confirmed while seats are left, else waitlisted
// in arrival order, else salon_full. The capacity decision, the ticket, its
// notice and the idempotency record are written in one transaction under
// the salon's row lock, so no concurrency, in any process, can overbook. The input must be
// normalized and valid. For an email that already has an active RSVP,
// already_registered is returned and its confirmation queued again when
// tickets.ResendAllowed says so. The result carries the ticket, the salon's
// zone and the attendee's feed token (no tokens for a replay, see
// RSVPRequest).
//
// The RSVPs waiting at one moment in this process are combined into one
// transaction (see rsvpBatcher): each is decided on its own, in arrival
// order, and answered only once that transaction committed.
//
// A repeated email is found by the unique index on active tickets (the
// INSERT ... ON CONFLICT DO NOTHING returns no row), not by a query before
// every INSERT; a batch written in one statement asks that index once for
// all its RSVPs (see bulkRSVPs). The first-come decision comes from the
// counts on the salon row, kept in the same transaction, and the waitlist
// position from one count per salon per batch (see batchSalon.position).
func (db *DB) CreateRSVP(ctx context.Context, r storage.RSVPRequest) (*storage.RSVPResult, error) {
	// Everything that does not depend on the database (random salts, keyed
	// hashes) is done here, by the caller's goroutine, so that the batch
	// spends its time only on what must be serial.
	j := &rsvpJob{r: r, ctx: ctx, start: time.Now(), done: make(chan struct{}),
		salt: tickets.RandomBytes(tickets.TokenBytes), messageID: hex.EncodeToString(tickets.RandomBytes(16))}
	if r.IdempotencyKey != "" {
		j.keyHash = tickets.HashToken(r.Slug + "\x00" + r.IdempotencyKey)
		j.bodyHash = tickets.HashToken(r.Input.IdempotencyBody())
	}
	if err := db.submitRSVP(ctx, j); err != nil {
		return nil, err
	}
	if j.refusal != nil {
		return nil, j.refusal
	}
	out := j.out
	out.Location = events.ZoneOrDefault(j.zone)
	if out.Replayed {
		return out, nil
	}
	// Made here, once the id is known, rather than inside the transaction.
	out.Ticket.Token = tickets.ManageToken(db.key, out.Ticket.ID, j.salt)
	out.FeedToken = db.feedToken(j.feed)
	return out, nil
}

// decideRSVP decides and writes one RSVP of a batch in tx, with bs its
// salon as locked and counted by this transaction (nil when there is no
// such salon). It sets j's outcome rather than adding to it, so that it
// may run again when its batch is run again. It keeps bs in step with
// what it writes.
func (db *DB) decideRSVP(ctx context.Context, tx *Tx, bs *batchSalon, j *rsvpJob) error {
	j.out, j.refusal, j.zone, j.feed = nil, nil, "", feedRef{}
	in := j.r.Input
	// The salon's row lock is the capacity guarantee across processes:
	// every RSVP, cancellation, promotion and capacity edit of this
	// salon waits for it, and the counts are read under it, so the
	// decision below sees every seat taken before it. Arrival order is
	// the order in which RSVPs get the lock, and within a batch the order
	// in which they reached the batcher.
	if bs == nil || !bs.s.Visible() {
		return notFound("Salon")
	}
	s := bs.s
	j.zone = s.Timezone
	keyHash, bodyHash := j.keyHash, j.bodyHash
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
			j.out = &storage.RSVPResult{Ticket: t, Replayed: true}
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
			j.refusal = alreadyRegistered()
			return rerr
		}
		return err
	}
	seats := 1 + in.Guests
	position, err := bs.position(ctx, tx, status)
	if err != nil {
		return err
	}
	kind := tickets.NoticeFor(status)
	answersJSON := storage.EncodeAnswers(answers)
	// The ticket, its notice and what its feed token is made of, in one
	// round trip. A repeated email meets the unique index on active
	// tickets; ON CONFLICT answers it with no row (and so no notice)
	// instead of an error, which in PostgreSQL would abort the whole
	// transaction.
	var id int64
	j.feed = feedRef{email: in.Email}
	err = tx.QueryRowContext(ctx, createTicketQuery,
		s.ID, in.Name, in.Email, in.Company, in.JobTitle, in.Lang, status, j.salt, tx.now.Unix(), tx.now.Unix(), in.Guests, answersJSON,
		kind, s.ID, in.Email, in.Lang, tickets.NoticePayload(kind, position, 0), j.messageID, tx.now.Unix(), tx.now.Unix(),
		in.Email, in.Email).Scan(&id, &j.feed.first, &j.feed.version)
	if errors.Is(err, sql.ErrNoRows) {
		// Refused, but the owner gets their ticket mailed again (unless
		// throttled, see resendConfirmation); the refusal is returned
		// only after that notice, if any, is safely queued.
		j.feed = feedRef{}
		if resent, rerr := db.resendIfRegistered(ctx, tx, s.ID, in.Email); rerr != nil || resent {
			j.refusal = alreadyRegistered()
			return rerr
		}
		return events.Errorf(events.EALREADYREGISTERED, "This email already has an RSVP for this salon.")
	} else if err != nil {
		return fmt.Errorf("storage: unable to create ticket: %w", err)
	}
	tx.queuedMail()
	if err := bs.took(ctx, tx, status, seats, position); err != nil {
		return err
	}
	if keyHash != "" {
		res, err := tx.ExecContext(ctx, `INSERT INTO idempotency_keys (key_hash, body_hash, ticket_id, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (key_hash) DO NOTHING`, keyHash, bodyHash, id, tx.now.Unix())
		if err != nil {
			return fmt.Errorf("storage: unable to record idempotency key: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			// The same key committed by another process meanwhile: run
			// again, and the lookup above replays its answer.
			return errRetry
		}
	}
	t, err := rsvpCreated(ctx, tx, id, s, in, status, answers, position)
	if err != nil {
		return err
	}
	db.ticketsChanged(tx)
	j.out = &storage.RSVPResult{Ticket: t}
	return nil
}

// rsvpCreated is the ticket id of salon s, written now for in with status,
// answers and waitlist position, as the RSVP's answer; it queues the
// ticket's rsvp.created deliveries.
func rsvpCreated(ctx context.Context, tx *Tx, id int64, s *events.Salon, in tickets.RSVPInput, status string,
	answers tickets.Answers, position int) (*tickets.Ticket, error) {
	t := &tickets.Ticket{ID: id, SalonID: s.ID, Salon: s.Slug, Name: in.Name, Email: in.Email, Company: in.Company,
		JobTitle: in.JobTitle, Lang: in.Lang, Status: status, Guests: in.Guests, CreatedAt: tx.now, UpdatedAt: tx.now,
		Answers: answers, WaitlistPosition: position}
	err := emitWebhook(ctx, tx, s.ID, storage.EventRSVPCreated, func() (any, error) { return storage.TicketEventData(t), nil })
	return t, err
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
	return true, resendConfirmation(ctx, tx, salonID, existing, email, lang)
}

// lastResendQuery reads when the ticket's last resend was queued (NULL when
// it has had none).
const lastResendQuery = `SELECT MAX(created_at) FROM outbox WHERE ticket_id = ? AND kind = ?`

// resendConfirmation queues an already_registered notice for the ticket
// when tickets.ResendAllowed says so, asked with the last resend as read in
// this transaction; otherwise nothing is queued, and the resend already
// queued is the one the owner gets.
func resendConfirmation(ctx context.Context, tx *Tx, salonID, ticketID int64, email, lang string) error {
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

// position is the waitlist position of a ticket of status written now: 0
// unless it is waitlisted. The new ticket will have the highest id of the
// salon's, so its place is behind every waitlisted ticket there is. Under
// the batch's lock nobody else adds or moves a waitlisted ticket of the
// salon, and each RSVP adds one, so after the batch's first waitlisted
// RSVP of the salon the next is one behind the last, without a count.
// took records it once the ticket is written.
func (bs *batchSalon) position(ctx context.Context, tx *Tx, status string) (int, error) {
	if status != tickets.StatusWaitlisted {
		return 0, nil
	}
	if bs.lastPosition > 0 {
		return bs.lastPosition + 1, nil
	}
	n, err := waitlistAhead(ctx, tx, bs.s.ID)
	return n + 1, err
}

// took keeps bs in step with an RSVP's ticket written with status, seats
// and position: the salon's counts, and its last waitlist position.
func (bs *batchSalon) took(ctx context.Context, tx *Tx, status string, seats, position int) error {
	dc, dw, dp := tickets.SeatCounts(status, seats)
	if err := bs.addCounts(ctx, tx, dc, dw, dp); err != nil {
		return err
	}
	if status == tickets.StatusWaitlisted {
		bs.lastPosition = position
	}
	return nil
}

// createTicketQuery inserts an RSVP's ticket and, when it was inserted,
// its notice (the same row insertNotice writes), and returns its id with
// what the email's feed token is made of (see feedQuery): the sub-queries
// read the tickets as they were before this statement, so the email's
// first ticket is this one unless it had one before.
const createTicketQuery = `WITH t AS (
	INSERT INTO tickets (salon_id, name, email, company, job_title, lang, status,
		token_salt, created_at, updated_at, guests, answers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (salon_id, email) WHERE status <> 'cancelled' AND erased_at IS NULL DO NOTHING RETURNING id
), notice AS (
	INSERT INTO outbox (kind, salon_id, ticket_id, recipient, lang, payload, message_id, next_attempt_at, created_at)
		SELECT ?, ?, t.id, ?, ?, ?, ?, ?, ? FROM t
)
SELECT t.id, LEAST(t.id, ` + firstTicketOf + `),
	COALESCE((SELECT version FROM feeds WHERE email = ?), 1) FROM t`

// waitlistAhead counts a salon's waitlisted tickets (parties, whatever
// their size): a new RSVP waitlisted now comes after all of them.
func waitlistAhead(ctx context.Context, tx *Tx, salonID int64) (int, error) {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM tickets WHERE salon_id = ? AND status = 'waitlisted'`,
		salonID).Scan(&n); err != nil {
		return 0, fmt.Errorf("storage: unable to count waitlist: %w", err)
	}
	return n, nil
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
