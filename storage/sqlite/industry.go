package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"salon/events"
	"salon/storage"
)

// CreateIndustry adds an industry beside the fixed list. Duplicates are
// checked inside the write, against the fixed list and every added one,
// and the unique indexes keep the same rule as a last line.
func (db *DB) CreateIndustry(ctx context.Context, ind *events.Industry) error {
	ind.Normalize()
	if err := ind.Validate(); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		added, err := findAddedIndustries(ctx, tx)
		if err != nil {
			return err
		}
		if err := events.CheckNewIndustry(ind, added); err != nil {
			return err
		}
		var by any
		if a, ok := storage.ActorFrom(ctx); ok && a.UserID != 0 {
			by, ind.CreatedBy = a.UserID, a.UserID
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO industries (slug, name, name_folded, name_zh, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`, ind.Slug, ind.Name, strings.ToLower(ind.Name), ind.NameZh, by, tx.now.Unix())
		if isUniqueViolation(err) {
			return events.DuplicateIndustry("slug")
		} else if err != nil {
			return fmt.Errorf("storage: unable to create industry: %w", err)
		}
		ind.Added, ind.CreatedAt = true, tx.now
		// Pages that show industry names are rendered again.
		db.salonsChanged(tx)
		return audit(ctx, tx, storage.ActionIndustryCreate, 0, ind.Slug)
	})
}

// FindAddedIndustries lists the added industries, oldest first.
func (db *DB) FindAddedIndustries(ctx context.Context) ([]*events.Industry, error) {
	return findAddedIndustries(ctx, db.read)
}

type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

func findAddedIndustries(ctx context.Context, q querier) ([]*events.Industry, error) {
	rows, err := q.QueryContext(ctx, `SELECT slug, name, name_zh, COALESCE(created_by, 0), created_at
		FROM industries ORDER BY created_at, slug`)
	if err != nil {
		return nil, fmt.Errorf("storage: unable to list industries: %w", err)
	}
	defer rows.Close()
	var out []*events.Industry
	for rows.Next() {
		ind := &events.Industry{Added: true}
		var created int64
		if err := rows.Scan(&ind.Slug, &ind.Name, &ind.NameZh, &ind.CreatedBy, &created); err != nil {
			return nil, fmt.Errorf("storage: unable to read industry: %w", err)
		}
		ind.CreatedAt = unix(created)
		out = append(out, ind)
	}
	return out, rows.Err()
}
