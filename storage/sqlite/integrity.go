package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"

	msqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// checkCache is the page cache of an integrity check's connection, in KiB:
// the check reads every page once, so a bigger cache would only hold
// memory for the seconds it runs.
const checkCache = "&_pragma=cache_size(-500)"

// CheckIntegrity reads the whole file on a connection of its own, so it
// holds neither the writer nor a reader of the pool while it runs (seconds
// at a million tickets). quick runs PRAGMA quick_check; otherwise PRAGMA
// integrity_check, which also compares every index with its table, and
// foreign_key_check.
func (db *DB) CheckIntegrity(ctx context.Context, quick bool) ([]string, error) {
	return checkPath(ctx, db.path, quick)
}

// CheckFile is CheckIntegrity on a file no server need have open: it
// neither migrates nor writes, so a damaged file can be examined as it is.
func CheckFile(ctx context.Context, path string, quick bool) ([]string, error) {
	if _, err := os.Stat(path); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("storage: no database at %s", path)
		}
		return nil, fmt.Errorf("storage: %w", err)
	}
	return checkPath(ctx, path, quick)
}

func checkPath(ctx context.Context, path string, quick bool) ([]string, error) {
	u := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + pragmas + checkCache + "&_pragma=query_only(1)"
	conn, err := sql.Open("sqlite", u)
	if err != nil {
		return nil, fmt.Errorf("storage: integrity check: %w", err)
	}
	defer conn.Close()
	conn.SetMaxOpenConns(1)
	check := "PRAGMA integrity_check"
	if quick {
		check = "PRAGMA quick_check"
	}
	var problems []string
	rows, err := conn.QueryContext(ctx, check)
	if err != nil {
		return damaged(err)
	}
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			rows.Close()
			return damaged(err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	err = rows.Err()
	rows.Close()
	if err != nil && len(problems) == 0 {
		return damaged(err)
	}
	if quick {
		return problems, nil
	}
	fk, err := foreignKeyProblems(ctx, conn)
	if err != nil && len(problems) == 0 {
		return damaged(err)
	}
	return append(problems, fk...), nil
}

// damaged turns an error of the check into a finding when SQLite says the
// file is malformed (a badly damaged file can stop the check itself), and
// into a failure to check otherwise.
func damaged(err error) ([]string, error) {
	var e *msqlite.Error
	if errors.As(err, &e) {
		switch e.Code() & 0xff {
		case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
			return []string{e.Error()}, nil
		}
	}
	return nil, fmt.Errorf("storage: integrity check: %w", err)
}

// foreignKeyProblems lists rows that refer to a missing parent.
func foreignKeyProblems(ctx context.Context, conn *sql.DB) ([]string, error) {
	rows, err := conn.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var table, parent string
		var rowid sql.NullInt64
		var fkid int64
		if err := rows.Scan(&table, &rowid, &parent, &fkid); err != nil {
			return nil, err
		}
		out = append(out, fmt.Sprintf("%s row %d refers to a missing %s row", table, rowid.Int64, parent))
	}
	return out, rows.Err()
}
