package sqlite

import (
	"strings"
	"testing"
)

// FindEverywhere lists the "table.column" places where any row holds text
// containing needle, over every table of the database.
func FindEverywhere(tb testing.TB, db *DB, needle string) []string {
	tb.Helper()
	rows, err := db.read.Query(`SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table'`)
	if err != nil {
		tb.Fatal(err)
	}
	var cols [][2]string
	for rows.Next() {
		var c [2]string
		if err := rows.Scan(&c[0], &c[1]); err != nil {
			tb.Fatal(err)
		}
		cols = append(cols, c)
	}
	rows.Close()
	var out []string
	for _, c := range cols {
		var n int
		q := `SELECT COUNT(*) FROM "` + c[0] + `" WHERE instr(lower(CAST("` + c[1] + `" AS TEXT)), ?) > 0`
		if err := db.read.QueryRow(q, strings.ToLower(needle)).Scan(&n); err != nil {
			tb.Fatal(err)
		}
		if n > 0 {
			out = append(out, c[0]+"."+c[1])
		}
	}
	return out
}
