package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"salon/events"
	"salon/storage"
	"salon/tickets"
)

// maxNonce bounds a scan nonce.
const maxNonce = 100

// scanTimeError refuses a scan time outside what tickets.ScanTime accepts
// (tickets.MaxOfflineAge back, tickets.MaxClockSkew ahead).
func scanTimeError() error {
	return &events.Error{Code: events.EINVALID,
		Message: "scanned_at: an offline scan may be at most 24 hours old and at most 5 minutes ahead of the server",
		Fields:  map[string]string{"scanned_at": "at most 24 hours old and at most 5 minutes ahead"}}
}

// CheckIn records a scan and checks the ticket in when it may enter. The
// signature is verified by the caller, before the writer is involved (see
// CheckinRequest.Claims); a check-in by hand names the ticket instead, and
// is audited. Inside the writer, the single-writer rule makes
// two devices scanning one ticket at the same instant get exactly one ok.
func (db *DB) CheckIn(ctx context.Context, r storage.CheckinRequest) (*storage.CheckinResult, error) {
	if len(r.Nonce) > maxNonce || events.CheckLine(r.Nonce, 0, maxNonce) != "" {
		return nil, &events.Error{Code: events.EINVALID, Message: "nonce: at most 100 printable characters", Fields: map[string]string{"nonce": "at most 100 printable characters"}}
	}
	r.Device = storage.Truncate(strings.ToValidUTF8(r.Device, ""), 100)
	var out *storage.CheckinResult
	// salt is the answered ticket's, for its manage token, derived after the
	// write.
	var salt []byte
	err := db.update(ctx, func(tx *Tx) error {
		if r.Nonce != "" {
			res, s, err := replayScan(ctx, tx, r.SalonID, r.Nonce)
			if err != nil || res != nil {
				out, salt = res, s
				return err
			}
		}
		// After the nonce: a retried upload answers as the first one did,
		// even once its scan time has left the bound.
		scanned, ok := tickets.ScanTime(r.ScannedAt, tx.now, r.Offline)
		if !ok {
			return scanTimeError()
		}
		res := &storage.CheckinResult{Result: tickets.CheckinInvalid}
		var ticketID any
		if r.TicketID != 0 {
			t, s, err := scanTicketSalt(tx.QueryRowContext(ctx, ticketInSalon, r.TicketID, r.SalonID))
			if errors.Is(err, sql.ErrNoRows) {
				return notFound("Ticket")
			} else if err != nil {
				return fmt.Errorf("storage: unable to fetch ticket: %w", err)
			}
			res.Ticket, ticketID, salt = t, t.ID, s
			res.Result = tickets.DecideCheckin(t, r.SalonID)
		} else if claims := r.Claims; claims != nil {
			t, s, err := scanTicketSalt(tx.QueryRowContext(ctx, ticketByID, claims.TicketID))
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("storage: unable to fetch ticket: %w", err)
			}
			if err == nil && t.SalonID == claims.SalonID {
				res.Ticket, ticketID, salt = t, t.ID, s
				res.Result = tickets.DecideCheckin(t, r.SalonID)
			}
		}
		switch res.Result {
		case tickets.CheckinOK:
			if _, err := tx.ExecContext(ctx, `UPDATE tickets SET checked_in_at = ?, updated_at = ? WHERE id = ? AND checked_in_at IS NULL`,
				scanned.Unix(), tx.now.Unix(), res.Ticket.ID); err != nil {
				return fmt.Errorf("storage: unable to check in: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `UPDATE salon_counts SET checked_in = checked_in + ? WHERE salon_id = ?`, res.Ticket.Seats(), r.SalonID); err != nil {
				return fmt.Errorf("storage: unable to count check-in: %w", err)
			}
			res.Ticket.CheckedInAt = &scanned
			db.ticketsChanged(tx)
			t := res.Ticket
			if err := emitWebhook(ctx, tx, r.SalonID, storage.EventCheckinCreated, func() (any, error) { return storage.TicketEventData(t), nil }); err != nil {
				return err
			}
		case tickets.CheckinAlready:
			res.Flagged = r.Offline
		}
		// A ticket of another salon was checked in (or not) at that salon's
		// door, which is no business of this salon's log.
		if res.Ticket != nil && res.Result != tickets.CheckinWrongSalon {
			res.CheckedInAt = res.Ticket.CheckedInAt
		}
		if err := insertScan(ctx, tx, r, ticketID, res, scanned); err != nil {
			return err
		}
		out = res
		if r.TicketID == 0 {
			return nil
		}
		return audit(ctx, tx, storage.ActionCheckin, r.SalonID, strconv.FormatInt(res.Ticket.ID, 10)+" "+res.Result)
	})
	if err != nil {
		return nil, err
	}
	if out.Ticket != nil {
		out.Ticket.Token = tickets.ManageToken(db.key, out.Ticket.ID, salt)
	}
	return out, nil
}

func insertScan(ctx context.Context, tx *Tx, r storage.CheckinRequest, ticketID any, res *storage.CheckinResult, scanned time.Time) error {
	var nonce, user, link, checked any
	if r.Nonce != "" {
		nonce = r.Nonce
	}
	if r.UserID != 0 {
		user = r.UserID
	}
	if r.DoorLinkID != 0 {
		link = r.DoorLinkID
	}
	if res.CheckedInAt != nil {
		checked = res.CheckedInAt.Unix()
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO scans (salon_id, ticket_id, result, nonce, device, user_id, door_link_id,
		scanned_at, recorded_at, checked_in_at, flagged) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.SalonID, ticketID, res.Result, nonce, r.Device, user, link, scanned.Unix(), tx.now.Unix(), checked, res.Flagged); err != nil {
		return fmt.Errorf("storage: unable to log scan: %w", err)
	}
	return nil
}

// replayScan returns the first answer for a nonce already recorded, or nil,
// and the salt of its ticket's manage token (which is left for the caller to
// derive).
func replayScan(ctx context.Context, tx *Tx, salonID int64, nonce string) (*storage.CheckinResult, []byte, error) {
	var result string
	var ticketID, checked *int64
	var flagged bool
	err := tx.QueryRowContext(ctx, `SELECT result, ticket_id, checked_in_at, flagged FROM scans WHERE salon_id = ? AND nonce = ?`,
		salonID, nonce).Scan(&result, &ticketID, &checked, &flagged)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, nil
	} else if err != nil {
		return nil, nil, fmt.Errorf("storage: unable to look up nonce: %w", err)
	}
	res := &storage.CheckinResult{Result: result, Flagged: flagged, Replayed: true}
	var salt []byte
	if ticketID != nil {
		t, s, err := scanTicketSalt(tx.QueryRowContext(ctx, ticketByID, *ticketID))
		if err != nil {
			return nil, nil, fmt.Errorf("storage: unable to fetch ticket: %w", err)
		}
		res.Ticket, salt = t, s
	}
	if checked != nil {
		c := unix(*checked)
		res.CheckedInAt = &c
	}
	return res, salt, nil
}

// UndoCheckIn clears the check-in of ticket ticketID of salon salonID (an
// organizer's correction) and logs it as a scan with result "undone". A
// ticket of another salon is not found.
func (db *DB) UndoCheckIn(ctx context.Context, salonID, ticketID, userID int64) (*tickets.Ticket, error) {
	err := db.update(ctx, func(tx *Tx) error {
		var checked *int64
		var guests int
		err := tx.QueryRowContext(ctx, `SELECT checked_in_at, guests FROM tickets WHERE id = ? AND salon_id = ?`, ticketID, salonID).Scan(&checked, &guests)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("Ticket")
		} else if err != nil {
			return fmt.Errorf("storage: unable to fetch ticket: %w", err)
		}
		if checked == nil {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE tickets SET checked_in_at = NULL, updated_at = ? WHERE id = ?`, tx.now.Unix(), ticketID); err != nil {
			return fmt.Errorf("storage: unable to undo check-in: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE salon_counts SET checked_in = checked_in - ? WHERE salon_id = ?`, 1+guests, salonID); err != nil {
			return fmt.Errorf("storage: unable to count check-in: %w", err)
		}
		db.ticketsChanged(tx)
		if err := insertScan(ctx, tx, storage.CheckinRequest{SalonID: salonID, UserID: userID, Device: "console"}, ticketID,
			&storage.CheckinResult{Result: "undone"}, tx.now); err != nil {
			return err
		}
		return audit(ctx, tx, storage.ActionUndoCheckin, salonID, strconv.FormatInt(ticketID, 10))
	})
	if err != nil {
		return nil, err
	}
	return db.FindTicketByID(ctx, salonID, ticketID)
}

// FindScans lists a salon's scan log, oldest first.
func (db *DB) FindScans(ctx context.Context, salonID int64) ([]*storage.Scan, error) {
	return db.findScans(ctx, `salon_id = ?`, salonID)
}

// findScans lists the scans cond selects, oldest first.
func (db *DB) findScans(ctx context.Context, cond string, arg any) ([]*storage.Scan, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, COALESCE(ticket_id, 0), result, COALESCE(nonce, ''), device,
		COALESCE(user_id, 0), COALESCE(door_link_id, 0), scanned_at, recorded_at, checked_in_at, flagged
		FROM scans WHERE `+cond+` ORDER BY id`, arg)
	if err != nil {
		return nil, fmt.Errorf("storage: unable to list scans: %w", err)
	}
	defer rows.Close()
	var out []*storage.Scan
	for rows.Next() {
		var s storage.Scan
		var scanned, recorded int64
		var checked *int64
		if err := rows.Scan(&s.ID, &s.TicketID, &s.Result, &s.Nonce, &s.Device, &s.UserID, &s.DoorLinkID,
			&scanned, &recorded, &checked, &s.Flagged); err != nil {
			return nil, fmt.Errorf("storage: unable to read scan: %w", err)
		}
		s.ScannedAt, s.RecordedAt = unix(scanned), unix(recorded)
		if checked != nil {
			c := unix(*checked)
			s.CheckedInAt = &c
		}
		out = append(out, &s)
	}
	return out, rows.Err()
}
