package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"salon/storage"
	"salon/tickets"
)

// anyActiveQuery says whether any of the (salon, email) pairs given
// already has an active ticket. Each pair is looked up on its own in the
// unique index of active tickets (the LIMIT keeps the sub-query from being
// made a join, which would read every ticket as the table grows).
const anyActiveQuery = `SELECT EXISTS (SELECT 1 FROM unnest(?::bigint[], ?::text[]) AS p(salon_id, email)
	CROSS JOIN LATERAL (SELECT 1 FROM tickets t WHERE t.salon_id = p.salon_id AND t.email = p.email
		AND t.status <> 'cancelled' AND t.erased_at IS NULL LIMIT 1) AS active)`

// bulkInsertQuery inserts a batch's tickets in arrival order (ord), so
// that their ids rise in that order, and a notice for each ticket
// inserted, and returns each ticket's id by ord with what the email's feed
// token is made of before this statement (its first ticket, if any, and
// the feed's version). The same rows as createTicketQuery's, one statement
// for the whole batch. The first ticket is found as firstTicketOf does
// (MIN(id + 0); see feedQuery for why).
const bulkInsertQuery = `WITH input AS (
	SELECT * FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bytea[],
		?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[]) WITH ORDINALITY
		AS i(salon_id, name, email, company, job_title, lang, status, salt, guests, answers, kind, payload, message_id, ord)
), t AS (
	INSERT INTO tickets (salon_id, name, email, company, job_title, lang, status, token_salt, created_at, updated_at, guests, answers)
		SELECT salon_id, name, email, company, job_title, lang, status, salt, ?, ?, guests, answers FROM input ORDER BY ord
		ON CONFLICT (salon_id, email) WHERE status <> 'cancelled' AND erased_at IS NULL DO NOTHING
		RETURNING id, salon_id, email
), notice AS (
	INSERT INTO outbox (kind, salon_id, ticket_id, recipient, lang, payload, message_id, next_attempt_at, created_at)
		SELECT i.kind, i.salon_id, t.id, i.email, i.lang, i.payload, i.message_id, ?, ? FROM t JOIN input i USING (salon_id, email)
		ORDER BY t.id
)
SELECT i.ord, t.id, (SELECT MIN(id + 0) FROM tickets WHERE email = i.email),
	COALESCE((SELECT version FROM feeds WHERE email = i.email), 1) FROM t JOIN input i USING (salon_id, email)`

// errNoBulk asks for a batch to be run again one RSVP at a time: its one
// statement failed or did not insert what it was to.
var errNoBulk = errors.New("storage: run the batch one RSVP at a time")

// bulkRSVPs decides the batch's RSVPs in arrival order with the same checks
// and decisions as decideRSVP, and writes every ticket and its notice in
// one statement instead of a round trip per RSVP. It applies only to a
// batch none of whose RSVPs can take decideRSVP's other paths: none has an
// Idempotency-Key, and none is for an email that already has an active
// ticket for its salon, in the database or earlier in the batch. For any
// other batch it reports false, having written nothing and changed
// nothing in salons. Once it wrote, any failure is an error, and the
// batch's transaction is not to be committed.
func (db *DB) bulkRSVPs(ctx context.Context, tx *Tx, salons map[string]*batchSalon, jobs []*rsvpJob) (bool, error) {
	type pair struct {
		salonID int64
		email   string
	}
	seen := make(map[pair]bool, len(jobs))
	var ps []int64
	var pe []string
	for _, j := range jobs {
		if j.keyHash != "" {
			return false, nil
		}
		bs := salons[j.r.Slug]
		if bs == nil || bs.err != nil {
			continue
		}
		p := pair{bs.s.ID, j.r.Input.Email}
		if seen[p] {
			return false, nil
		}
		seen[p] = true
		ps, pe = append(ps, p.salonID), append(pe, p.email)
	}
	if len(ps) > 0 {
		var registered bool
		if err := tx.QueryRowContext(ctx, anyActiveQuery, ps, pe).Scan(&registered); err != nil {
			return false, fmt.Errorf("storage: unable to check existing RSVPs: %w", err)
		} else if registered {
			return false, nil
		}
	}

	type planned struct {
		j        *rsvpJob
		bs       *batchSalon
		status   string
		position int
		answers  tickets.Answers
	}
	var plans []planned
	var salonIDs, guests []int64
	var names, emails, companies, jobTitles, langs, statuses, answers, kinds, payloads, messageIDs []string
	var salts [][]byte
	for _, j := range jobs {
		j.out, j.refusal, j.zone, j.feed, j.err = nil, nil, "", feedRef{}, nil
		bs := salons[j.r.Slug]
		if bs != nil && bs.err != nil {
			j.err = bs.err
			continue
		}
		if bs == nil || !bs.s.Visible() {
			j.err = notFound("Salon")
			continue
		}
		s, in := bs.s, j.r.Input
		j.zone = s.Timezone
		a, err := tickets.CheckRSVP(tx.now, s, in)
		if err != nil {
			j.err = err
			continue
		}
		// The email has no active ticket for the salon (checked above),
		// so a refusal here is the refusal as it is.
		seats := 1 + in.Guests
		status, err := tickets.DecideNew(s, seats)
		if err != nil {
			j.err = err
			continue
		}
		position, err := bs.position(ctx, tx, status)
		if err != nil {
			return false, err
		}
		// Counted before the ticket is written: should the statement
		// fail, the batch's transaction is rolled back, salons and all.
		if err := bs.took(ctx, tx, status, seats, position); err != nil {
			return false, err
		}
		kind := tickets.NoticeFor(status)
		plans = append(plans, planned{j, bs, status, position, a})
		salonIDs, names, emails = append(salonIDs, s.ID), append(names, in.Name), append(emails, in.Email)
		companies, jobTitles, langs = append(companies, in.Company), append(jobTitles, in.JobTitle), append(langs, in.Lang)
		statuses, salts, guests = append(statuses, status), append(salts, j.salt), append(guests, int64(in.Guests))
		answers, kinds = append(answers, storage.EncodeAnswers(a)), append(kinds, kind)
		payloads, messageIDs = append(payloads, tickets.NoticePayload(kind, position, 0)), append(messageIDs, j.messageID)
	}
	if len(plans) == 0 {
		return true, nil
	}

	rows, err := tx.QueryContext(ctx, bulkInsertQuery, salonIDs, names, emails, companies, jobTitles, langs, statuses, salts,
		guests, answers, kinds, payloads, messageIDs, tx.now.Unix(), tx.now.Unix(), tx.now.Unix(), tx.now.Unix())
	if err != nil {
		return false, fmt.Errorf("storage: unable to create tickets: %w", err)
	}
	defer rows.Close()
	ids := make([]int64, len(plans))
	before := make([]sql.NullInt64, len(plans))
	versions := make([]int, len(plans))
	n := 0
	for rows.Next() {
		var ord, id int64
		var first sql.NullInt64
		var version int
		if err := rows.Scan(&ord, &id, &first, &version); err != nil {
			return false, fmt.Errorf("storage: unable to create tickets: %w", err)
		}
		if ord < 1 || ord > int64(len(plans)) || ids[ord-1] != 0 {
			return false, fmt.Errorf("storage: bulk insert returned ticket %d at %d", id, ord)
		}
		ids[ord-1], before[ord-1], versions[ord-1] = id, first, version
		n++
	}
	if err := rows.Err(); err != nil {
		return false, fmt.Errorf("storage: unable to create tickets: %w", err)
	}
	rows.Close()
	if n != len(plans) {
		return false, fmt.Errorf("storage: bulk insert wrote %d of %d tickets", n, len(plans))
	}
	// Waitlist positions are arrival order, which is ticket order.
	for k := 1; k < len(ids); k++ {
		if ids[k] <= ids[k-1] {
			return false, fmt.Errorf("storage: bulk insert gave ids out of arrival order")
		}
	}
	tx.queuedMail()
	// An email's feed token names its first ticket: one from before the
	// batch, else its first in the batch.
	firstInBatch := map[string]int64{}
	for k, p := range plans {
		in := p.j.r.Input
		if _, ok := firstInBatch[in.Email]; !ok {
			firstInBatch[in.Email] = ids[k]
		}
		first := before[k]
		if !first.Valid {
			first = sql.NullInt64{Int64: firstInBatch[in.Email], Valid: true}
		}
		p.j.feed = feedRef{email: in.Email, first: first, version: versions[k]}
		t, err := rsvpCreated(ctx, tx, ids[k], p.bs.s, in, p.status, p.answers, p.position)
		if err != nil {
			return false, err
		}
		p.j.out = &storage.RSVPResult{Ticket: t}
	}
	db.ticketsChanged(tx)
	return true, nil
}
