package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"salon/events"
	"salon/storage"
)

// industryConstraints names the field each unique index of industries
// guards, for an add that lost a race to another process's.
var industryConstraints = map[string]string{
	"industries_pkey":            "slug",
	"industries_name_folded_key": "name",
	"industries_name_zh_key":     "name_zh",
}

// CreateIndustry adds an industry beside the fixed list. Duplicates are
// checked in the transaction against the fixed list and every added one;
// two adds racing from different processes both pass that check, and the
// unique indexes refuse the second, on the field its index guards.
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
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code == "23505" {
			field := industryConstraints[pe.ConstraintName]
			if field == "" {
				field = "slug"
			}
			return events.DuplicateIndustry(field)
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
