package postgres

import (
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"salon/events"
	"salon/storage"
	"salon/tickets"
)

// SetPassword replaces the account's password hash.
func (db *DB) SetPassword(ctx context.Context, userID int64, hash string) error {
	if hash == "" {
		return &events.Error{Code: events.EINVALID, Message: "password: required", Fields: map[string]string{"password": "required"}}
	}
	return db.update(ctx, func(tx *Tx) error {
		email, err := setPassword(ctx, tx, userID, hash)
		if err != nil {
			return err
		}
		return audit(ctx, tx, storage.ActionUserPassword, 0, email)
	})
}

// setPassword writes the hash and returns the account's email.
func setPassword(ctx context.Context, tx *Tx, userID int64, hash string) (string, error) {
	var email string
	err := tx.QueryRowContext(ctx, `UPDATE users SET password_hash = ? WHERE id = ? RETURNING email`, hash, userID).Scan(&email)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound("User")
	} else if err != nil {
		return "", fmt.Errorf("storage: unable to set password: %w", err)
	}
	return email, nil
}

// SetUserName changes the account's display name.
func (db *DB) SetUserName(ctx context.Context, userID int64, name string) error {
	if msg := events.CheckLine(name, 0, 200); msg != "" {
		return &events.Error{Code: events.EINVALID, Message: "name: " + msg, Fields: map[string]string{"name": msg}}
	}
	return db.update(ctx, func(tx *Tx) error {
		var email string
		err := tx.QueryRowContext(ctx, `UPDATE users SET name = ? WHERE id = ? RETURNING email`, name, userID).Scan(&email)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("User")
		} else if err != nil {
			return fmt.Errorf("storage: unable to rename user: %w", err)
		}
		return audit(ctx, tx, storage.ActionUserUpdate, 0, email+" name")
	})
}

// DisableUser ends the account's sessions, revokes its API tokens and its
// unused password links, and marks it disabled, in one write.
func (db *DB) DisableUser(ctx context.Context, userID int64) error {
	return db.update(ctx, func(tx *Tx) error {
		var email string
		err := tx.QueryRowContext(ctx, `UPDATE users SET disabled_at = COALESCE(disabled_at, ?) WHERE id = ? RETURNING email`,
			tx.now.Unix(), userID).Scan(&email)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("User")
		} else if err != nil {
			return fmt.Errorf("storage: unable to disable user: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID); err != nil {
			return fmt.Errorf("storage: unable to end sessions: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`, tx.now.Unix(), userID); err != nil {
			return fmt.Errorf("storage: unable to revoke tokens: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM invite_tokens WHERE user_id = ? AND used_at IS NULL`, userID); err != nil {
			return fmt.Errorf("storage: unable to drop links: %w", err)
		}
		if err := forgetInvitationMail(ctx, tx, email); err != nil {
			return err
		}
		return audit(ctx, tx, storage.ActionUserDisable, 0, email)
	})
}

// EnableUser lets a disabled account sign in again.
func (db *DB) EnableUser(ctx context.Context, userID int64) error {
	return db.update(ctx, func(tx *Tx) error {
		var email string
		err := tx.QueryRowContext(ctx, `UPDATE users SET disabled_at = NULL WHERE id = ? RETURNING email`, userID).Scan(&email)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("User")
		} else if err != nil {
			return fmt.Errorf("storage: unable to enable user: %w", err)
		}
		return audit(ctx, tx, storage.ActionUserEnable, 0, email)
	})
}

// CreateInvite makes a one-time password link; see storage.AccountChanges.
func (db *DB) CreateInvite(ctx context.Context, r storage.InviteRequest) (string, error) {
	action, err := storage.InviteAction(r.Purpose)
	if err != nil {
		return "", err
	}
	ttl := r.TTL
	if ttl <= 0 {
		ttl = storage.InviteTTL
	}
	token := tickets.NewToken() + tickets.NewToken()
	err = db.update(ctx, func(tx *Tx) error {
		u, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, r.UserID))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("User")
		} else if err != nil {
			return fmt.Errorf("storage: unable to fetch user: %w", err)
		}
		if u.Disabled() {
			return events.Errorf(events.ECONFLICT, "The account is disabled; enable it first.")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM invite_tokens WHERE user_id = ? AND used_at IS NULL`, u.ID); err != nil {
			return fmt.Errorf("storage: unable to drop old links: %w", err)
		}
		if err := forgetInvitationMail(ctx, tx, u.Email); err != nil {
			return err
		}
		expires := tx.now.Add(ttl)
		if _, err := tx.ExecContext(ctx, `INSERT INTO invite_tokens (token_hash, user_id, purpose, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
			tickets.HashToken(token), u.ID, r.Purpose, tx.now.Unix(), expires.Unix()); err != nil {
			return fmt.Errorf("storage: unable to create link: %w", err)
		}
		if r.MailURL != "" {
			payload, _ := json.Marshal(storage.InvitationPayload{URL: r.MailURL + token, Purpose: r.Purpose, Name: u.Name, ExpiresAt: expires.Unix()})
			if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (kind, recipient, lang, payload, message_id, next_attempt_at, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, tickets.NoticeInvitation, u.Email, r.Lang, string(payload),
				hex.EncodeToString(tickets.RandomBytes(16)), tx.now.Unix(), tx.now.Unix()); err != nil {
				return fmt.Errorf("storage: unable to queue invitation: %w", err)
			}
			tx.queuedMail()
		}
		return audit(ctx, tx, action, 0, u.Email)
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// forgetInvitationMail blanks the links kept in the account's invitation
// mail once they can no longer be used, so the outbox does not keep live
// links after their time; an unsent one then fails as unbuildable.
func forgetInvitationMail(ctx context.Context, tx *Tx, email string) error {
	if _, err := tx.ExecContext(ctx, `UPDATE outbox SET payload = '{}' WHERE kind = ? AND recipient = ? AND payload <> '{}'`,
		tickets.NoticeInvitation, email); err != nil {
		return fmt.Errorf("storage: unable to clear invitation mail: %w", err)
	}
	return nil
}

// CheckInvite returns the account an unused, unexpired link is for.
func (db *DB) CheckInvite(ctx context.Context, token string) (*events.User, error) {
	var userID, expires int64
	var used *int64
	err := db.read.QueryRowContext(ctx, `SELECT i.user_id, i.expires_at, i.used_at FROM invite_tokens i
		JOIN users u ON u.id = i.user_id WHERE i.token_hash = ? AND u.disabled_at IS NULL`, tickets.HashToken(token)).Scan(&userID, &expires, &used)
	if errors.Is(err, sql.ErrNoRows) || used != nil {
		return nil, notFound("Link")
	} else if err != nil {
		return nil, fmt.Errorf("storage: unable to check link: %w", err)
	}
	if expires <= db.Now().Unix() {
		return nil, storage.ErrLinkExpired
	}
	return db.FindUserByID(ctx, userID)
}

// UseInvite sets the password and spends the link in one write.
func (db *DB) UseInvite(ctx context.Context, token, hash string) (*events.User, error) {
	if hash == "" {
		return nil, &events.Error{Code: events.EINVALID, Message: "password: required", Fields: map[string]string{"password": "required"}}
	}
	var userID int64
	err := db.update(ctx, func(tx *Tx) error {
		err := tx.QueryRowContext(ctx, `UPDATE invite_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?
			AND user_id IN (SELECT id FROM users WHERE disabled_at IS NULL) RETURNING user_id`,
			tx.now.Unix(), tickets.HashToken(token), tx.now.Unix()).Scan(&userID)
		if errors.Is(err, sql.ErrNoRows) {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM invite_tokens WHERE token_hash = ? AND used_at IS NULL`,
				tickets.HashToken(token)).Scan(&n); err != nil {
				return fmt.Errorf("storage: unable to check link: %w", err)
			}
			if n > 0 {
				return storage.ErrLinkExpired
			}
			return notFound("Link")
		} else if err != nil {
			return fmt.Errorf("storage: unable to spend link: %w", err)
		}
		email, err := setPassword(ctx, tx, userID, hash)
		if err != nil {
			return err
		}
		if err := forgetInvitationMail(ctx, tx, email); err != nil {
			return err
		}
		// The actor is the link's owner; the context gives the address.
		a, _ := storage.ActorFrom(ctx)
		return insertAudit(ctx, tx, &storage.AuditEntry{UserID: userID, Actor: email, IP: a.IP, Action: storage.ActionUserPassword, Detail: email + " link"})
	})
	if err != nil {
		return nil, err
	}
	return db.FindUserByID(ctx, userID)
}
