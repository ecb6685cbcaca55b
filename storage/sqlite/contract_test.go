package sqlite_test

import (
	"testing"
	"time"

	"salon/storage"
	"salon/storage/storagetest"
)

// TestContract runs the contract every backend must pass against SQLite.
func TestContract(t *testing.T) {
	storagetest.Run(t, func(t *testing.T, now func() time.Time) storage.Store {
		db := MustOpenDB(t)
		// Before the first write, so the writer sees it without a race.
		db.Clock = now
		return db
	})
}
