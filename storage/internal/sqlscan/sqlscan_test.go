package sqlscan_test

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"

	_ "modernc.org/sqlite"

	"salon/storage/internal/sqlscan"
)

// TestAll: every row comes back in order through the fields named; a row
// that cannot be scanned is an error; and the rows are closed, so that the
// one connection can write again right after, as a write needs.
func TestAll(t *testing.T) {
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO t (name) VALUES ('a'), ('b'), (NULL)`); err != nil {
		t.Fatal(err)
	}
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	type row struct {
		id   int64
		name string
	}
	rows, err := tx.Query(`SELECT id, name FROM t WHERE name IS NOT NULL ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	all, err := sqlscan.All(rows, func(r *row) []any { return []any{&r.id, &r.name} })
	if err != nil || fmt.Sprint(all) != "[{1 a} {2 b}]" {
		t.Fatalf("got %v, %v; want [{1 a} {2 b}]", all, err)
	}
	if _, err := tx.Exec(`UPDATE t SET name = 'c' WHERE id = 1`); err != nil {
		t.Fatalf("writing after All: %v", err)
	}
	rows, err = tx.Query(`SELECT id, name FROM t ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	if all, err := sqlscan.All(rows, func(r *row) []any { return []any{&r.id, &r.name} }); err == nil {
		t.Fatalf("a NULL scanned into a string: got %v and no error", all)
	}
}
