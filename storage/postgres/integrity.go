package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// CheckIntegrity reads every table of the schema in full, so a page that
// cannot be read (a checksum failure, when the cluster has data checksums
// on, or a damaged file) is found. PostgreSQL keeps its own files whole, so
// this is the weaker check: unless quick, it also checks every B-tree index
// against its rules with amcheck's bt_index_check when the amcheck
// extension is installed in the database, and says so when it is not.
func (db *DB) CheckIntegrity(ctx context.Context, quick bool) ([]string, error) {
	tables, err := db.names(ctx, `SELECT c.relname FROM pg_class c
		WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' ORDER BY c.relname`)
	if err != nil {
		return nil, fmt.Errorf("storage: integrity check: %w", err)
	}
	var problems []string
	for _, t := range tables {
		var n int64
		if err := db.pool.QueryRowContext(ctx, `SELECT count(*) FROM `+pgx.Identifier{t}.Sanitize()).Scan(&n); err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			problems = append(problems, fmt.Sprintf("table %s cannot be read: %v", t, err))
		}
	}
	if quick {
		return problems, nil
	}
	var amcheck bool
	if err := db.pool.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'amcheck')`).Scan(&amcheck); err != nil {
		return nil, fmt.Errorf("storage: integrity check: %w", err)
	}
	if !amcheck {
		return problems, nil
	}
	indexes, err := db.names(ctx, `SELECT c.relname FROM pg_class c JOIN pg_am a ON a.oid = c.relam
		WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'i' AND a.amname = 'btree' ORDER BY c.relname`)
	if err != nil {
		return nil, fmt.Errorf("storage: integrity check: %w", err)
	}
	for _, ix := range indexes {
		if _, err := db.pool.ExecContext(ctx, `SELECT bt_index_check($1::regclass)`, pgx.Identifier{ix}.Sanitize()); err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			problems = append(problems, fmt.Sprintf("index %s: %v", ix, err))
		}
	}
	return problems, nil
}

// names runs a query of one text column and returns its values.
func (db *DB) names(ctx context.Context, q string) ([]string, error) {
	rows, err := db.pool.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, strings.Clone(n))
	}
	return out, rows.Err()
}
