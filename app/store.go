package app

import (
	"context"
	"errors"
	"net/url"
	"time"

	"salon/storage"
	"salon/storage/postgres"
	"salon/storage/sqlite"
)

// openTimeout bounds how long opening a PostgreSQL store may take, so an
// unreachable server is reported rather than waited on for ever.
const openTimeout = 15 * time.Second

// OpenStore opens the store --db names: a postgres:// URL is PostgreSQL,
// anything else the path of a SQLite file.
func OpenStore(ctx context.Context, db string) (storage.Store, error) {
	if postgres.IsURL(db) {
		ctx, cancel := context.WithTimeout(ctx, openTimeout)
		defer cancel()
		return postgres.Open(ctx, db)
	}
	return sqlite.Open(ctx, db)
}

// errBackupPostgres is salon backup's answer on PostgreSQL, whose own tools
// make a consistent copy of a live database.
var errBackupPostgres = errors.New("backup copies SQLite files only; back up a PostgreSQL database with pg_dump (see the README)")

// displayDB is --db as logs may show it: a URL's password masked.
func displayDB(db string) string {
	if !postgres.IsURL(db) {
		return db
	}
	u, err := url.Parse(db)
	if err != nil {
		return "postgres://(unparsable URL)"
	}
	return u.Redacted()
}
