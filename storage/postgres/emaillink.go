package postgres

import (
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"salon/storage"
	"salon/storage/internal/sqlscan"
	"salon/tickets"
)

// CreateEmailLink makes a one-time link for the address of a ticket and
// queues its mail in the same write; see storage.EmailLinks. The limit is
// checked under an advisory lock on the address, so processes asking at
// once for one address take turns.
func (db *DB) CreateEmailLink(ctx context.Context, r storage.EmailLinkRequest) (string, error) {
	id, err := db.ticketIDByToken(ctx, r.TicketToken)
	if err != nil {
		return "", err
	}
	token := tickets.NewToken() + tickets.NewToken()
	err = db.update(ctx, func(tx *Tx) error {
		var name, email string
		err := tx.QueryRowContext(ctx, `SELECT name, email FROM tickets WHERE id = ?`, id).Scan(&name, &email)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && email == "") {
			return notFound("Ticket")
		} else if err != nil {
			return fmt.Errorf("storage: unable to fetch ticket: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtextextended(?, 2))`, email); err != nil {
			return fmt.Errorf("storage: unable to lock the address: %w", err)
		}
		now := tx.now.Unix()
		day := now - int64(storage.EmailLinkTTL.Seconds())
		var n int
		var last int64
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(MAX(l.created_at), 0) FROM email_links l
			JOIN tickets t ON t.id = l.ticket_id WHERE t.email = ? AND l.created_at > ?`, email, day).Scan(&n, &last); err != nil {
			return fmt.Errorf("storage: unable to count email links: %w", err)
		}
		if n >= storage.EmailLinkDaily || last > now-int64(storage.EmailLinkGap.Seconds()) {
			return storage.ErrEmailLinkLimited
		}
		// Rows past their day count for no limit and open nothing.
		if _, err := tx.ExecContext(ctx, `DELETE FROM email_links WHERE created_at <= ?`, day); err != nil {
			return fmt.Errorf("storage: unable to forget old email links: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE email_links SET spent_at = ? WHERE spent_at IS NULL
			AND ticket_id IN (SELECT id FROM tickets WHERE email = ?)`, now, email); err != nil {
			return fmt.Errorf("storage: unable to replace email links: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET payload = '{}' WHERE kind = ? AND recipient = ? AND payload <> '{}'`,
			tickets.NoticeEmailLink, email); err != nil {
			return fmt.Errorf("storage: unable to clear old email link mail: %w", err)
		}
		expires := tx.now.Add(storage.EmailLinkTTL).Unix()
		if _, err := tx.ExecContext(ctx, `INSERT INTO email_links (token_hash, ticket_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
			tickets.HashToken(token), id, now, expires); err != nil {
			return fmt.Errorf("storage: unable to create email link: %w", err)
		}
		payload, _ := json.Marshal(storage.EmailLinkPayload{URL: r.MailURL + token, Name: name, ExpiresAt: expires})
		if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (kind, ticket_id, recipient, lang, payload, message_id, next_attempt_at, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, tickets.NoticeEmailLink, id, email, r.Lang, string(payload),
			hex.EncodeToString(tickets.RandomBytes(16)), now, now); err != nil {
			return fmt.Errorf("storage: unable to queue email link: %w", err)
		}
		tx.queuedMail()
		return nil
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// linkQuery reads a link by its token's hash with its ticket's address.
const linkQuery = `SELECT l.id, l.created_at, l.expires_at, l.spent_at, t.email FROM email_links l
	JOIN tickets t ON t.id = l.ticket_id WHERE l.token_hash = ?`

// readLink checks a link row: unknown, spent or of an erased address is
// not found, past its time expired.
func readLink(row *sql.Row, now int64) (*storage.EmailLink, error) {
	var id, created, expires int64
	var spent *int64
	l := &storage.EmailLink{}
	err := row.Scan(&id, &created, &expires, &spent, &l.Email)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && (spent != nil || l.Email == "")) {
		return nil, notFound("Link")
	} else if err != nil {
		return nil, fmt.Errorf("storage: unable to check email link: %w", err)
	}
	if expires <= now {
		return nil, storage.ErrLinkExpired
	}
	l.CreatedAt, l.ExpiresAt = unix(created), unix(expires)
	return l, nil
}

// FindEmailLink returns the link a token opens, with its address's tickets.
func (db *DB) FindEmailLink(ctx context.Context, token string) (*storage.EmailLink, error) {
	l, err := readLink(db.read.QueryRowContext(ctx, linkQuery, tickets.HashToken(token)), db.Now().Unix())
	if err != nil {
		return nil, err
	}
	all, err := db.FindTickets(ctx, storage.TicketFilter{Email: l.Email})
	if err != nil {
		return nil, err
	}
	salons := map[int64]*storage.EmailTicket{}
	for _, t := range all {
		et := &storage.EmailTicket{TicketID: t.ID, Status: t.Status}
		if s, ok := salons[t.SalonID]; ok {
			et.Salon = s.Salon
		} else if et.Salon, err = db.FindSalonByID(ctx, t.SalonID); err != nil {
			return nil, err
		}
		salons[t.SalonID] = et
		l.Tickets = append(l.Tickets, et)
	}
	return l, nil
}

// ExportEmail returns the export of every ticket of the link's address.
// The reads are separate, so a write in between may show.
func (db *DB) ExportEmail(ctx context.Context, token string) (*storage.EmailExport, error) {
	l, err := readLink(db.read.QueryRowContext(ctx, linkQuery, tickets.HashToken(token)), db.Now().Unix())
	if err != nil {
		return nil, err
	}
	all, err := db.FindTickets(ctx, storage.TicketFilter{Email: l.Email})
	if err != nil {
		return nil, err
	}
	out := &storage.EmailExport{Email: l.Email}
	for _, t := range all {
		ex, err := db.ExportTicket(ctx, t.Token)
		if err != nil {
			return nil, err
		}
		out.Tickets = append(out.Tickets, ex)
	}
	return out, nil
}

// EraseEmail erases every ticket of the link's address in one write, which
// also ends the link: erasing a ticket drops its links. The link's row is
// locked first, so a second erasure with it waits and then finds it gone;
// then the salons, in id order, as every capacity write locks a salon
// before its tickets.
func (db *DB) EraseEmail(ctx context.Context, token string) (int, error) {
	var n int
	err := db.update(ctx, func(tx *Tx) error {
		n = 0
		l, err := readLink(tx.QueryRowContext(ctx, linkQuery+` FOR UPDATE OF l`, tickets.HashToken(token)), tx.now.Unix())
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `SELECT id FROM salons WHERE id IN (SELECT salon_id FROM tickets WHERE email = ?)
			ORDER BY id FOR UPDATE`, l.Email); err != nil {
			return fmt.Errorf("storage: unable to lock salons: %w", err)
		}
		rows, err := tx.QueryContext(ctx, `SELECT id, salon_id, status FROM tickets WHERE email = ? AND erased_at IS NULL
			ORDER BY id FOR UPDATE`, l.Email)
		if err != nil {
			return fmt.Errorf("storage: unable to find the address's tickets: %w", err)
		}
		type due struct {
			id, salonID int64
			status      string
		}
		all, err := sqlscan.All(rows, func(d *due) []any { return []any{&d.id, &d.salonID, &d.status} })
		if err != nil {
			return fmt.Errorf("storage: unable to read tickets: %w", err)
		}
		for _, d := range all {
			if d.status != tickets.StatusCancelled {
				s, err := releaseSeat(ctx, tx, d.id, d.salonID, d.status)
				if err != nil {
					return err
				}
				if err := promote(ctx, tx, s); err != nil {
					return err
				}
			}
			if err := eraseTicket(ctx, tx, d.id, d.salonID, l.Email, storage.ErasedByEmailLink); err != nil {
				return err
			}
		}
		if n = len(all); n > 0 {
			db.ticketsChanged(tx)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}
