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

// CreateDoorLink makes a door link for a salon and returns its token in
// clear; only the token's hash is kept.
func (db *DB) CreateDoorLink(ctx context.Context, salonID int64, label string, by int64) (*storage.DoorLink, string, error) {
	if msg := events.CheckLine(label, 0, 100); msg != "" {
		return nil, "", &events.Error{Code: events.EINVALID, Message: "label: " + msg, Fields: map[string]string{"label": msg}}
	}
	token := "sld_" + tickets.NewToken() + tickets.NewToken()
	l := &storage.DoorLink{SalonID: salonID, Label: label, CreatedBy: by}
	err := db.update(ctx, func(tx *Tx) error {
		var creator any
		if by != 0 {
			creator = by
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO door_links (salon_id, token_hash, label, created_by, created_at) VALUES (?, ?, ?, ?, ?)
			RETURNING id`, salonID, tickets.HashToken(token), label, creator, tx.now.Unix()).Scan(&l.ID)
		if err != nil {
			return fmt.Errorf("storage: unable to create door link: %w", err)
		}
		l.CreatedAt = tx.now
		return audit(ctx, tx, storage.ActionDoorLinkMake, salonID, label)
	})
	if err != nil {
		return nil, "", err
	}
	return l, token, nil
}

// RevokeDoorLink stops a door link from working. Revoking twice is fine.
func (db *DB) RevokeDoorLink(ctx context.Context, salonID, id int64) error {
	return db.update(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE door_links SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ? AND salon_id = ?`, tx.now.Unix(), id, salonID)
		if err != nil {
			return fmt.Errorf("storage: unable to revoke door link: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("Door link")
		}
		return audit(ctx, tx, storage.ActionDoorLinkStop, salonID, strconv.FormatInt(id, 10))
	})
}

func scanDoorLink(row scanner) (*storage.DoorLink, error) {
	var l storage.DoorLink
	var created int64
	var revoked *int64
	if err := row.Scan(&l.ID, &l.SalonID, &l.Label, &l.CreatedBy, &created, &revoked); err != nil {
		return nil, err
	}
	l.CreatedAt = unix(created)
	if revoked != nil {
		r := unix(*revoked)
		l.RevokedAt = &r
	}
	return &l, nil
}

const doorLinkColumns = `id, salon_id, label, COALESCE(created_by, 0), created_at, revoked_at`

// FindDoorLink returns the unrevoked door link whose token is token.
func (db *DB) FindDoorLink(ctx context.Context, token string) (*storage.DoorLink, error) {
	l, err := scanDoorLink(db.read.QueryRowContext(ctx, `SELECT `+doorLinkColumns+` FROM door_links WHERE token_hash = ? AND revoked_at IS NULL`,
		tickets.HashToken(token)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, events.Errorf(events.EUNAUTHORIZED, "This door link is not valid or was revoked.")
	} else if err != nil {
		return nil, fmt.Errorf("storage: unable to fetch door link: %w", err)
	}
	return l, nil
}

// FindDoorLinks lists a salon's door links, newest first.
func (db *DB) FindDoorLinks(ctx context.Context, salonID int64) ([]*storage.DoorLink, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+doorLinkColumns+` FROM door_links WHERE salon_id = ? ORDER BY id DESC`, salonID)
	if err != nil {
		return nil, fmt.Errorf("storage: unable to list door links: %w", err)
	}
	defer rows.Close()
	var out []*storage.DoorLink
	for rows.Next() {
		l, err := scanDoorLink(rows)
		if err != nil {
			return nil, fmt.Errorf("storage: unable to read door link: %w", err)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}
