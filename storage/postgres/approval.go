package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"salon/storage"
	"salon/tickets"
)

// pendingTicket is what a decision needs of the ticket it decides.
type pendingTicket struct {
	status, email, lang string
	guests              int
}

// readPending locks salon salonID and its ticket id, in the order every
// capacity write takes its locks, reads the ticket for a decision and
// refuses it unless it is pending. Under the salon's lock the decision
// sees every seat taken before it, in any process.
func readPending(ctx context.Context, tx *Tx, salonID, id int64) (*pendingTicket, error) {
	var p pendingTicket
	if _, err := tx.ExecContext(ctx, `SELECT 1 FROM salons WHERE id = ? FOR UPDATE`, salonID); err != nil {
		return nil, fmt.Errorf("storage: unable to lock salon: %w", err)
	}
	err := tx.QueryRowContext(ctx, `SELECT status, email, lang, guests FROM tickets WHERE id = ? AND salon_id = ? FOR UPDATE`, id, salonID).
		Scan(&p.status, &p.email, &p.lang, &p.guests)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Ticket")
	} else if err != nil {
		return nil, fmt.Errorf("storage: unable to fetch ticket: %w", err)
	}
	return &p, tickets.CheckPending(p.status)
}

// waitingAheadQuery tells whether a waitlisted ticket of the salon came
// before the given one.
const waitingAheadQuery = `SELECT EXISTS (SELECT 1 FROM tickets WHERE salon_id = ? AND status = 'waitlisted' AND id < ?)`

// ApproveTicket decides a pending ticket as an RSVP would be decided at
// its place in line: confirmed when its party fits and nobody who came
// before it waits, else waitlisted (its position by arrival), else
// salon_full with the ticket left pending. The decision, the counts, the
// notice, the webhook and the audit row are one transaction.
func (db *DB) ApproveTicket(ctx context.Context, salonID, ticketID int64) (*tickets.Ticket, error) {
	err := db.update(ctx, func(tx *Tx) error {
		p, err := readPending(ctx, tx, salonID, ticketID)
		if err != nil {
			return err
		}
		s, err := scanSalon(tx.QueryRowContext(ctx, salonByID, salonID))
		if err != nil {
			return fmt.Errorf("storage: unable to fetch salon: %w", err)
		}
		if err := tickets.CheckDecidable(s); err != nil {
			return err
		}
		var ahead bool
		if err := tx.QueryRowContext(ctx, waitingAheadQuery, salonID, ticketID).Scan(&ahead); err != nil {
			return fmt.Errorf("storage: unable to read waitlist: %w", err)
		}
		status, err := tickets.Decide(s.Capacity, s.Confirmed, 1+p.guests, ahead, s.Waitlist)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE tickets SET status = ?, updated_at = ? WHERE id = ?`, status, tx.now.Unix(), ticketID); err != nil {
			return fmt.Errorf("storage: unable to approve ticket: %w", err)
		}
		if err := moveCounts(ctx, tx, s, tickets.StatusPending, status, 1+p.guests); err != nil {
			return err
		}
		position := 0
		if status == tickets.StatusWaitlisted {
			if position, err = waitlistPosition(ctx, tx, salonID, ticketID); err != nil {
				return err
			}
		}
		if err := enqueue(ctx, tx, tickets.NoticeFor(status), salonID, ticketID, p.email, p.lang, position, s.Sequence); err != nil {
			return err
		}
		if err := ticketEvent(ctx, tx, salonID, ticketID, storage.EventTicketApproved); err != nil {
			return err
		}
		db.ticketsChanged(tx)
		return audit(ctx, tx, storage.ActionTicketApprove, salonID, strconv.FormatInt(ticketID, 10)+" "+p.email+" "+status)
	})
	if err != nil {
		return nil, err
	}
	return db.FindTicketByID(ctx, salonID, ticketID)
}

// DeclineTicket turns a pending ticket down and queues its notice. A
// pending ticket holds no seat, so nobody moves up.
func (db *DB) DeclineTicket(ctx context.Context, salonID, ticketID int64) (*tickets.Ticket, error) {
	err := db.update(ctx, func(tx *Tx) error {
		p, err := readPending(ctx, tx, salonID, ticketID)
		if err != nil {
			return err
		}
		s, err := scanSalon(tx.QueryRowContext(ctx, salonByID, salonID))
		if err != nil {
			return fmt.Errorf("storage: unable to fetch salon: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE tickets SET status = 'declined', updated_at = ? WHERE id = ?`, tx.now.Unix(), ticketID); err != nil {
			return fmt.Errorf("storage: unable to decline ticket: %w", err)
		}
		if err := moveCounts(ctx, tx, s, tickets.StatusPending, tickets.StatusDeclined, 1+p.guests); err != nil {
			return err
		}
		if err := enqueue(ctx, tx, tickets.NoticeDeclined, salonID, ticketID, p.email, p.lang, 0, s.Sequence); err != nil {
			return err
		}
		db.ticketsChanged(tx)
		return audit(ctx, tx, storage.ActionTicketDecline, salonID, strconv.FormatInt(ticketID, 10)+" "+p.email)
	})
	if err != nil {
		return nil, err
	}
	return db.FindTicketByID(ctx, salonID, ticketID)
}
