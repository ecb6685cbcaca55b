package sqlite

import (
	"context"
	"testing"

	"salon/storage"
)

// Pragmas reads the settings a writer connection runs with.
func Pragmas(tb testing.TB, db *DB) map[string]string {
	tb.Helper()
	out := map[string]string{}
	for _, p := range []string{"journal_mode", "synchronous", "foreign_keys", "busy_timeout", "journal_size_limit"} {
		var v string
		if err := db.write.QueryRow("PRAGMA " + p).Scan(&v); err != nil {
			tb.Fatal(err)
		}
		out[p] = v
	}
	return out
}

// LoginAttemptRows counts the rows of the login throttle, pruned or not.
func LoginAttemptRows(tb testing.TB, db *DB) int {
	tb.Helper()
	var n int
	if err := db.read.QueryRow(`SELECT COUNT(*) FROM login_failures`).Scan(&n); err != nil {
		tb.Fatal(err)
	}
	return n
}

// Audit writes one entry to the audit log on its own, for tests of the
// log's filters; the store itself only writes entries inside the change
// they record.
func (db *DB) Audit(ctx context.Context, e *storage.AuditEntry) error {
	return db.update(ctx, func(tx *Tx) error { return insertAudit(ctx, tx, e) })
}
