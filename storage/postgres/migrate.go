package postgres

import (
	"context"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"
)

// migrationLock is the advisory lock key held while migrating, so that two
// processes starting together cannot both apply a migration.
const migrationLock = 0x73616c6f6e // "salon"

// migration is one numbered file of migrations/: 0001_init.sql is 1.
type migration struct {
	version int
	name    string
}

func migrations() ([]migration, error) {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, n := range names {
		base := strings.TrimPrefix(n, "migrations/")
		num, _, _ := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if err != nil {
			return nil, fmt.Errorf("storage: migration %s has no number", base)
		}
		out = append(out, migration{v, n})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

// migrate applies the migrations not yet applied, each in a transaction of
// its own, on one connection holding the advisory lock.
func (db *DB) migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	conn, err := db.pool.Conn(ctx)
	if err != nil {
		return fmt.Errorf("storage: migrations: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, migrationLock); err != nil {
		return fmt.Errorf("storage: migrations: take lock: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrationLock)
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("storage: create migrations table: %w", err)
	}
	// Every applied version is read, not only the highest, so a migration
	// numbered below one already applied (branches landing out of order)
	// is still applied, and any version this binary does not know means a
	// newer release migrated the database.
	rows, err := conn.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return fmt.Errorf("storage: read migrations: %w", err)
	}
	have := map[int]bool{}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return fmt.Errorf("storage: read migrations: %w", err)
		}
		have[v] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("storage: read migrations: %w", err)
	}
	known := map[int]bool{}
	for _, m := range ms {
		known[m.version] = true
	}
	for v := range have {
		if !known[v] {
			return fmt.Errorf("storage: database schema is newer than this salon (migration %d unknown, this release knows up to %d); use a newer release", v, ms[len(ms)-1].version)
		}
	}
	for _, m := range ms {
		if have[m.version] {
			continue
		}
		body, err := fs.ReadFile(migrationFS, m.name)
		if err != nil {
			return fmt.Errorf("storage: read migration %s: %w", m.name, err)
		}
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("storage: begin migration: %w", err)
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			tx.Rollback()
			return fmt.Errorf("storage: apply migration %s: %w", m.name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
			m.version, strings.TrimPrefix(m.name, "migrations/"), time.Now().Unix()); err != nil {
			tx.Rollback()
			return fmt.Errorf("storage: record migration %s: %w", m.name, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("storage: commit migration %s: %w", m.name, err)
		}
	}
	return nil
}
