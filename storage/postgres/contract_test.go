package postgres_test

import (
	"context"
	"testing"
	"time"

	"salon/storage"
	"salon/storage/postgres"
	"salon/storage/postgres/pgtest"
	"salon/storage/storagetest"
)

// openDB opens a store on a fresh schema, closed when the test ends.
func openDB(tb testing.TB, url string) *postgres.DB {
	tb.Helper()
	db, err := postgres.Open(context.Background(), url)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// TestContract runs the contract every backend must pass against
// PostgreSQL, each subtest on a schema of its own.
func TestContract(t *testing.T) {
	pgtest.ServerURL(t)
	storagetest.Run(t, func(t *testing.T, now func() time.Time) storage.Store {
		db := openDB(t, pgtest.URL(t))
		db.Clock = now
		return db
	})
}
