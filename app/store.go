package app

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
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
		lease, err := mailLease()
		if err != nil {
			return nil, err
		}
		pg, err := postgres.Open(ctx, db)
		if err != nil {
			return nil, err
		}
		pg.Lease = lease
		return pg, nil
	}
	return sqlite.Open(ctx, db)
}

// mailLease is how long a worker on PostgreSQL holds the mail it claimed
// before another process may send it: SALON_MAIL_LEASE (a duration such as
// 30s) or postgres.DefaultLease. It must outlast the slowest send, or a
// slow send is sent again by another process; tests of a crashed process
// make it short.
func mailLease() (time.Duration, error) {
	v := os.Getenv("SALON_MAIL_LEASE")
	if v == "" {
		return postgres.DefaultLease, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < time.Second {
		return 0, fmt.Errorf("SALON_MAIL_LEASE must be a duration of a second or more, such as 2m, got %q", v)
	}
	return d, nil
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
