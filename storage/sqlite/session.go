package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"salon/events"
	"salon/storage"
	"salon/tickets"
)

// maxUserAgent bounds what is kept of a browser's User-Agent: enough to
// recognise a session in a list, not a place to store arbitrary input.
const maxUserAgent = 200

// CreateSession starts a session for the user, valid for ttl, and returns
// its id in clear. The id is always new: a session id is never chosen by the
// client, which is what keeps a planted cookie from becoming a session.
// Expired sessions are removed in the same write.
func (db *DB) CreateSession(ctx context.Context, userID int64, ttl time.Duration, ip, userAgent string) (string, error) {
	id := tickets.NewToken() + tickets.NewToken()
	userAgent = storage.Truncate(userAgent, maxUserAgent)
	err := db.updateApart(ctx, func(tx *Tx) error {
		now := tx.now.Unix()
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= ?`, now); err != nil {
			return fmt.Errorf("storage: unable to prune sessions: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sessions (id_hash, user_id, created_at, expires_at, last_seen_at, ip, user_agent)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, tickets.HashToken(id), userID, now, tx.now.Add(ttl).Unix(), now, ip, userAgent); err != nil {
			return fmt.Errorf("storage: unable to create session: %w", err)
		}
		return audit(ctx, tx, storage.ActionLogin, 0, "")
	})
	if err != nil {
		return "", err
	}
	return id, nil
}

// FindSession returns the unexpired session whose id is id, with its
// account. Unknown and expired ids give the same not-found error.
func (db *DB) FindSession(ctx context.Context, id string) (*storage.Session, error) {
	if id == "" || len(id) > 128 {
		return nil, notFound("Session")
	}
	var s storage.Session
	var created, expires, seen int64
	var u events.User
	var userCreated int64
	err := db.read.QueryRowContext(ctx, `SELECT s.user_id, s.created_at, s.expires_at, s.last_seen_at,
		u.id, u.email, u.name, u.role, COALESCE(u.password_hash, ''), u.created_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ? AND s.expires_at > ? AND u.disabled_at IS NULL`,
		tickets.HashToken(id), db.Now().Unix()).Scan(&s.UserID, &created, &expires, &seen,
		&u.ID, &u.Email, &u.Name, &u.Role, &u.PasswordHash, &userCreated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Session")
	} else if err != nil {
		return nil, fmt.Errorf("storage: unable to fetch session: %w", err)
	}
	s.CreatedAt, s.ExpiresAt, s.LastSeenAt = unix(created), unix(expires), unix(seen)
	u.CreatedAt = unix(userCreated)
	s.User = &u
	return &s, nil
}

// TouchSession records that the session was used now, for the idle timeout.
func (db *DB) TouchSession(ctx context.Context, id string) error {
	return db.updateApart(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?`, tx.now.Unix(), tickets.HashToken(id)); err != nil {
			return fmt.Errorf("storage: unable to touch session: %w", err)
		}
		return nil
	})
}

// DeleteSession ends a session; ending an unknown one is not an error.
func (db *DB) DeleteSession(ctx context.Context, id string) error {
	return db.updateApart(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = ?`, tickets.HashToken(id)); err != nil {
			return fmt.Errorf("storage: unable to delete session: %w", err)
		}
		return nil
	})
}

// HasAdmin reports whether any admin account exists.
func (db *DB) HasAdmin(ctx context.Context) (bool, error) {
	var n int
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE role = 'admin'`).Scan(&n); err != nil {
		return false, fmt.Errorf("storage: unable to count admins: %w", err)
	}
	return n > 0, nil
}

// CreateSetupToken makes the one-time token that creates the first admin,
// valid for ttl, and returns it in clear. Unused older tokens are dropped, so
// only the link printed last works.
func (db *DB) CreateSetupToken(ctx context.Context, ttl time.Duration) (string, error) {
	token := tickets.NewToken() + tickets.NewToken()
	err := db.update(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM setup_tokens WHERE used_at IS NULL`); err != nil {
			return fmt.Errorf("storage: unable to drop setup tokens: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO setup_tokens (token_hash, created_at, expires_at) VALUES (?, ?, ?)`,
			tickets.HashToken(token), tx.now.Unix(), tx.now.Add(ttl).Unix()); err != nil {
			return fmt.Errorf("storage: unable to create setup token: %w", err)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// CheckSetupToken reports whether token may still create the first admin:
// known, unused, unexpired, and no admin exists yet.
func (db *DB) CheckSetupToken(ctx context.Context, token string) error {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM setup_tokens WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?
		AND NOT EXISTS (SELECT 1 FROM users WHERE role = 'admin')`, tickets.HashToken(token), db.Now().Unix()).Scan(&n)
	if err != nil {
		return fmt.Errorf("storage: unable to check setup token: %w", err)
	}
	if n == 0 {
		return notFound("Setup link")
	}
	return nil
}

// UseSetupToken creates u as the first admin and spends the token, in one
// transaction, so two people racing with the same link get one admin.
func (db *DB) UseSetupToken(ctx context.Context, token string, u *events.User) error {
	u.Email = tickets.NormalizeEmail(u.Email)
	u.Role = events.RoleAdmin
	f := events.FieldErrors{}
	if msg := tickets.ValidateEmail(u.Email); msg != "" {
		f.Add("email", msg)
	}
	if msg := events.CheckLine(u.Name, 0, 200); msg != "" {
		f.Add("name", msg)
	}
	if u.PasswordHash == "" {
		f.Add("password", "required")
	}
	if err := f.Err(); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE setup_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?
			AND NOT EXISTS (SELECT 1 FROM users WHERE role = 'admin')`, tx.now.Unix(), tickets.HashToken(token), tx.now.Unix())
		if err != nil {
			return fmt.Errorf("storage: unable to spend setup token: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("Setup link")
		}
		u.CreatedAt = tx.now
		res, err = tx.ExecContext(ctx, `INSERT INTO users (email, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)`,
			u.Email, u.Name, u.Role, u.PasswordHash, tx.now.Unix())
		if isUniqueViolation(err) {
			return &events.Error{Code: events.ECONFLICT, Message: "email: an account with this email exists", Fields: map[string]string{"email": "an account with this email exists"}}
		} else if err != nil {
			return fmt.Errorf("storage: unable to create admin: %w", err)
		}
		u.ID, _ = res.LastInsertId()
		// The actor is the account just made; the context gives the address.
		a, _ := storage.ActorFrom(ctx)
		return insertAudit(ctx, tx, &storage.AuditEntry{UserID: u.ID, Actor: u.Email, IP: a.IP, Action: storage.ActionSetup, Detail: u.Email})
	})
}
