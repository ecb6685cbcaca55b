// Package pgtest gives tests a PostgreSQL database of their own: a fresh
// schema on the server SALON_TEST_PG names, dropped when the test ends.
// Without SALON_TEST_PG the test skips, unless SALON_REQUIRE_PG=1 says
// PostgreSQL must be tested (CI), when it fails.
package pgtest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the pgx database/sql driver

	"salon/tickets"
)

// ServerURL returns SALON_TEST_PG, or skips (or fails, under
// SALON_REQUIRE_PG=1) the test when it is not set.
func ServerURL(tb testing.TB) string {
	tb.Helper()
	u := os.Getenv("SALON_TEST_PG")
	if u == "" {
		if os.Getenv("SALON_REQUIRE_PG") == "1" {
			tb.Fatal("SALON_REQUIRE_PG=1 but SALON_TEST_PG does not name a PostgreSQL server")
		}
		tb.Skip("PostgreSQL tests skipped: set SALON_TEST_PG=postgres://user:password@host:port/database to run them")
	}
	return u
}

// URL makes a new empty schema and returns a URL whose connections use it,
// so each test has a database of its own on one server.
func URL(tb testing.TB) string {
	tb.Helper()
	base := ServerURL(tb)
	schema := fmt.Sprintf("t_%x", tickets.RandomBytes(8))
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.ExecContext(context.Background(), `CREATE SCHEMA `+schema); err != nil {
		tb.Fatalf("create test schema: %v", err)
	}
	tb.Cleanup(func() {
		admin, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer admin.Close()
		admin.ExecContext(context.Background(), `DROP SCHEMA `+schema+` CASCADE`)
	})
	return WithSchema(tb, base, schema)
}

// WithSchema returns base with its connections' search_path set to schema.
func WithSchema(tb testing.TB, base, schema string) string {
	tb.Helper()
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
