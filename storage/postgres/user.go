package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"salon/events"
	"salon/storage"
	"salon/tickets"
)

// CreateUser saves a new account; u gets its id. Email is case-folded.
func (db *DB) CreateUser(ctx context.Context, u *events.User) error {
	u.Email = tickets.NormalizeEmail(u.Email)
	f := events.FieldErrors{}
	if msg := tickets.ValidateEmail(u.Email); msg != "" {
		f.Add("email", msg)
	}
	if !events.ValidRole(u.Role) {
		f.Add("role", "must be admin, organizer or staff")
	}
	if msg := events.CheckLine(u.Name, 0, 200); msg != "" {
		f.Add("name", msg)
	}
	if err := f.Err(); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		var hash any
		if u.PasswordHash != "" {
			hash = u.PasswordHash
		}
		u.CreatedAt = tx.now
		err := tx.QueryRowContext(ctx, `INSERT INTO users (email, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)
			RETURNING id`, u.Email, u.Name, u.Role, hash, tx.now.Unix()).Scan(&u.ID)
		if isUniqueViolation(err) {
			return &events.Error{Code: events.ECONFLICT, Message: "email: an account with this email exists", Fields: map[string]string{"email": "an account with this email exists"}}
		} else if err != nil {
			return fmt.Errorf("storage: unable to create user: %w", err)
		}
		return audit(ctx, tx, storage.ActionUserCreate, 0, u.Email+" "+u.Role)
	})
}

const userColumns = `id, email, name, role, COALESCE(password_hash, ''), created_at, disabled_at`

func scanUser(row scanner) (*events.User, error) {
	var u events.User
	var created int64
	var disabled *int64
	if err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.PasswordHash, &created, &disabled); err != nil {
		return nil, err
	}
	u.CreatedAt = unix(created)
	if disabled != nil {
		d := unix(*disabled)
		u.DisabledAt = &d
	}
	return &u, nil
}

// FindUserByEmail returns the account with this email.
func (db *DB) FindUserByEmail(ctx context.Context, email string) (*events.User, error) {
	u, err := scanUser(db.read.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE email = ?`, tickets.NormalizeEmail(email)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("User")
	} else if err != nil {
		return nil, fmt.Errorf("storage: unable to fetch user: %w", err)
	}
	return u, nil
}

// CreateAPIToken makes a new API token for the user and returns it in clear;
// only its hash is kept.
func (db *DB) CreateAPIToken(ctx context.Context, userID int64, label string) (string, error) {
	if msg := events.CheckLine(label, 0, 100); msg != "" {
		return "", &events.Error{Code: events.EINVALID, Message: "label: " + msg, Fields: map[string]string{"label": msg}}
	}
	token := "slt_" + tickets.NewToken() + tickets.NewToken()
	err := db.update(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO api_tokens (user_id, token_hash, label, created_at) VALUES (?, ?, ?, ?)`,
			userID, tickets.HashToken(token), label, tx.now.Unix()); err != nil {
			return fmt.Errorf("storage: unable to create token: %w", err)
		}
		return audit(ctx, tx, storage.ActionTokenCreate, 0, label)
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// FindUserByAPIToken returns the account an unrevoked API token belongs to.
func (db *DB) FindUserByAPIToken(ctx context.Context, token string) (*events.User, error) {
	u, err := scanUser(db.read.QueryRowContext(ctx, `SELECT u.id, u.email, u.name, u.role, COALESCE(u.password_hash, ''), u.created_at, u.disabled_at
		FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.disabled_at IS NULL`, tickets.HashToken(token)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, events.Errorf(events.EUNAUTHORIZED, "Invalid or revoked token.")
	} else if err != nil {
		return nil, fmt.Errorf("storage: unable to fetch token: %w", err)
	}
	return u, nil
}

// FindUserByID returns the account with this id.
func (db *DB) FindUserByID(ctx context.Context, id int64) (*events.User, error) {
	u, err := scanUser(db.read.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("User")
	} else if err != nil {
		return nil, fmt.Errorf("storage: unable to fetch user: %w", err)
	}
	return u, nil
}
