package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"salon/events"
	"salon/storage"
	"salon/tickets"
)

// CancelRSVP cancels the ticket whose manage token is token. Cancelling again
// answers the same. A freed seat goes to the first on the waitlist in the same
// transaction.
func (db *DB) CancelRSVP(ctx context.Context, token string) (*tickets.Ticket, error) {
	// A token never changes, so it is resolved to its ticket before the
	// write, on a reader.
	id, err := db.ticketIDByToken(ctx, token)
	if err != nil {
		return nil, err
	}
	return db.cancelWhere(ctx, false, `id = ?`, id)
}

// ticketIDByToken is FindTicketByToken reading only what the check needs:
// the same lookup and the same comparison, without the rest of the ticket.
func (db *DB) ticketIDByToken(ctx context.Context, token string) (int64, error) {
	where, arg, ok := tokenLookup(token)
	if !ok {
		return 0, notFound("Ticket")
	}
	var t tickets.Ticket
	var salt []byte
	err := db.read.QueryRowContext(ctx, `SELECT t.id, t.token_salt FROM tickets t WHERE `+where, arg).Scan(&t.ID, &salt)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, notFound("Ticket")
	} else if err != nil {
		return 0, fmt.Errorf("storage: unable to fetch ticket: %w", err)
	}
	t.Token = tickets.ManageToken(db.key, t.ID, salt)
	if !tokenMatches(&t, token) {
		return 0, notFound("Ticket")
	}
	return t.ID, nil
}

// CancelTicket cancels a ticket of the given salon by id, as an organizer
// does from the console: the attendee is mailed and the seat goes to the
// first on the waitlist, as when attendees cancel themselves. A ticket of
// another salon is not found; cancelling again answers the same.
func (db *DB) CancelTicket(ctx context.Context, salonID, ticketID int64) (*tickets.Ticket, error) {
	return db.cancelWhere(ctx, true, `id = ? AND salon_id = ?`, ticketID, salonID)
}

// cancelWhere cancels the one ticket the condition names, if it is active,
// and returns it as it is afterwards. audited records the cancellation as
// an organizer's action.
func (db *DB) cancelWhere(ctx context.Context, audited bool, cond string, args ...any) (*tickets.Ticket, error) {
	var id, salonID int64
	err := db.update(ctx, func(tx *Tx) error {
		var status, email, lang string
		// The salon's row is locked before the ticket is read for the
		// decision, in the order every capacity write takes its locks, so
		// concurrent cancels promote one waiting ticket per freed seat.
		err := tx.QueryRowContext(ctx, `SELECT id FROM salons WHERE id = (SELECT salon_id FROM tickets WHERE `+cond+`) FOR UPDATE`,
			args...).Scan(&salonID)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("Ticket")
		} else if err != nil {
			return fmt.Errorf("storage: unable to lock salon: %w", err)
		}
		err = tx.QueryRowContext(ctx, `SELECT id, salon_id, status, email, lang FROM tickets WHERE `+cond+` FOR UPDATE`, args...).Scan(&id, &salonID, &status, &email, &lang)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("Ticket")
		} else if err != nil {
			return fmt.Errorf("storage: unable to fetch ticket: %w", err)
		}
		// A declined ticket holds nothing to give up, and cancelling it
		// would free its email for another request.
		if status == tickets.StatusCancelled || status == tickets.StatusDeclined {
			return nil
		}
		db.ticketsChanged(tx)
		if err := cancelTicket(ctx, tx, id, salonID, status, email, lang); err != nil || !audited {
			return err
		}
		return audit(ctx, tx, storage.ActionTicketCancel, salonID, strconv.FormatInt(id, 10)+" "+email)
	})
	if err != nil {
		return nil, err
	}
	return db.FindTicketByID(ctx, salonID, id)
}

// cancelTicket cancels one active ticket, queues its notice (to email, in
// lang) and promotes.
func cancelTicket(ctx context.Context, tx *Tx, id, salonID int64, status, email, lang string) error {
	s, err := releaseSeat(ctx, tx, id, salonID, status)
	if err != nil {
		return err
	}
	if err := enqueue(ctx, tx, tickets.NoticeTicketCancelled, salonID, id, email, lang, 0, s.Sequence); err != nil {
		return err
	}
	if err := ticketEvent(ctx, tx, salonID, id, storage.EventRSVPCancelled); err != nil {
		return err
	}
	if s.Status == events.StatusCancelled {
		return nil
	}
	return promote(ctx, tx, s)
}

// releaseSeat marks one active ticket cancelled and takes its party's
// seats off its salon's counts, and returns the salon as it is then; promoting into the
// freed seat is the caller's next step.
func releaseSeat(ctx context.Context, tx *Tx, id, salonID int64, status string) (*events.Salon, error) {
	var guests int
	if err := tx.QueryRowContext(ctx, `UPDATE tickets SET status = 'cancelled', updated_at = ? WHERE id = ? RETURNING guests`,
		tx.now.Unix(), id).Scan(&guests); err != nil {
		return nil, fmt.Errorf("storage: unable to cancel ticket: %w", err)
	}
	s, err := scanSalon(tx.QueryRowContext(ctx, salonByID, salonID))
	if err != nil {
		return nil, fmt.Errorf("storage: unable to fetch salon: %w", err)
	}
	if err := moveCounts(ctx, tx, s, status, tickets.StatusCancelled, 1+guests); err != nil {
		return nil, err
	}
	return s, nil
}
