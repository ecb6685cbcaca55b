// Command drivercompare runs the statements of storage's RSVP write the way
// its single writer does (a SAVEPOINT each, one commit per 23, the same
// schema and indexes as after migration 0005) on one SQLite driver, and
// prints the CPU per RSVP. It is a module of its own, kept out of the
// server's build and tests, because the cgo driver it compares with needs a
// C compiler:
//
//	cd storage/sqlite/internal/drivercompare
//	go run . sqlite 60000 FULL    # modernc.org/sqlite, the server's driver
//	go run . sqlite3 60000 FULL   # github.com/mattn/go-sqlite3 (cgo)
//	go run . sqlite 60000 OFF     # no sync at all, for measuring only
//
// The README's Speed section quotes its results.
package main

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	_ "github.com/mattn/go-sqlite3"
	_ "modernc.org/sqlite"
)

const schema = `
CREATE TABLE salons (id INTEGER PRIMARY KEY, slug TEXT NOT NULL UNIQUE, status TEXT NOT NULL, capacity INTEGER NOT NULL,
 waitlist INTEGER NOT NULL, confirmed INTEGER NOT NULL DEFAULT 0, waitlisted INTEGER NOT NULL DEFAULT 0, starts_at INTEGER NOT NULL,
 rsvp_deadline INTEGER NOT NULL, timezone TEXT NOT NULL, description TEXT NOT NULL DEFAULT '');
CREATE TABLE tickets (id INTEGER PRIMARY KEY, salon_id INTEGER NOT NULL REFERENCES salons (id), name TEXT NOT NULL, email TEXT NOT NULL,
 company TEXT NOT NULL DEFAULT '', job_title TEXT NOT NULL DEFAULT '', lang TEXT NOT NULL DEFAULT 'en',
 status TEXT NOT NULL, token_salt BLOB NOT NULL, token_hash TEXT, checked_in_at INTEGER, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
CREATE UNIQUE INDEX tickets_legacy_token ON tickets (token_hash) WHERE token_hash IS NOT NULL;
CREATE UNIQUE INDEX tickets_salon_email ON tickets (salon_id, email, iif(status = 'cancelled', NULL, 0));
CREATE INDEX tickets_waitlist ON tickets (salon_id, id) WHERE status = 'waitlisted';
CREATE INDEX tickets_email ON tickets (email);
CREATE TABLE feeds (email TEXT PRIMARY KEY, version INTEGER NOT NULL DEFAULT 1, token_hash TEXT NOT NULL UNIQUE);
CREATE TABLE outbox (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, salon_id INTEGER REFERENCES salons (id), ticket_id INTEGER REFERENCES tickets (id),
 recipient TEXT NOT NULL, lang TEXT NOT NULL DEFAULT 'en', payload TEXT NOT NULL DEFAULT '{}', message_id TEXT NOT NULL,
 status TEXT NOT NULL DEFAULT 'queued', attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL,
 last_error TEXT NOT NULL DEFAULT '', created_at INTEGER NOT NULL, sent_at INTEGER);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_ticket ON outbox (ticket_id, kind);
`

func cpu() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: drivercompare sqlite|sqlite3 N FULL|OFF")
		os.Exit(2)
	}
	drv, sync := os.Args[1], os.Args[3]
	n, err := strconv.Atoi(os.Args[2])
	if err != nil || n <= 0 || (drv != "sqlite" && drv != "sqlite3") {
		fmt.Fprintln(os.Stderr, "usage: drivercompare sqlite|sqlite3 N FULL|OFF")
		os.Exit(2)
	}
	dir, err := os.MkdirTemp(".", ".drivercompare-")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "x.db")
	dsn := "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(" + sync +
		")&_pragma=foreign_keys(1)&_txlock=immediate"
	if drv == "sqlite3" {
		dsn = "file:" + path + "?_busy_timeout=10000&_journal_mode=WAL&_synchronous=" + sync + "&_foreign_keys=1&_txlock=immediate"
	}
	db, err := sql.Open(drv, dsn)
	if err != nil {
		fail(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, q := range []string{"PRAGMA temp_store=memory", "PRAGMA cache_size=-16000", schema} {
		if _, err := db.Exec(q); err != nil {
			fail(err)
		}
	}
	for i := range 100 {
		if _, err := db.Exec(`INSERT INTO salons (slug, status, capacity, waitlist, starts_at, rsvp_deadline, timezone, description)
			VALUES (?, 'published', 600, 1, 2000000000, 2000000000, 'Asia/Shanghai', 'An evening of short talks.')`,
			"rsvp-"+strconv.Itoa(i)); err != nil {
			fail(err)
		}
	}
	prep := func(q string) *sql.Stmt {
		s, err := db.Prepare(q)
		if err != nil {
			fail(err)
		}
		return s
	}
	sSalon := prep(`SELECT id, capacity, confirmed, waitlisted, starts_at, rsvp_deadline, timezone, status, waitlist FROM salons WHERE slug = ?`)
	sTicket := prep(`INSERT INTO tickets (salon_id, name, email, company, job_title, lang, status, token_salt, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	sCounts := prep(`UPDATE salons SET confirmed = ?, waitlisted = ? WHERE id = ?`)
	sFeed := prep(`SELECT (SELECT MIN(id) FROM tickets WHERE email = ?), COALESCE((SELECT version FROM feeds WHERE email = ?), 1)`)
	sOutbox := prep(`INSERT INTO outbox (kind, salon_id, ticket_id, recipient, lang, payload, message_id, next_attempt_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	sp, rel := prep(`SAVEPOINT w`), prep(`RELEASE w`)
	salt := make([]byte, 16)
	now := time.Now().Unix()
	c0, t0 := cpu(), time.Now()
	for i := 0; i < n; {
		tx, err := db.Begin()
		if err != nil {
			fail(err)
		}
		for k := 0; k < 23 && i < n; k, i = k+1, i+1 {
			must(tx.Stmt(sp).Exec())
			var id, capacity, confirmed, waitlisted, starts, deadline int64
			var tz, status string
			var waitlist bool
			if err := tx.Stmt(sSalon).QueryRow("rsvp-"+strconv.Itoa(i%100)).Scan(&id, &capacity, &confirmed, &waitlisted,
				&starts, &deadline, &tz, &status, &waitlist); err != nil {
				fail(err)
			}
			st := "confirmed"
			if confirmed < capacity {
				confirmed++
			} else {
				st = "waitlisted"
				waitlisted++
			}
			email := "g" + strconv.Itoa(i) + "@bench.example"
			res := must(tx.Stmt(sTicket).Exec(id, "Guest "+strconv.Itoa(i), email, "Bench Ltd", "Engineer", "en", st, salt, now, now))
			tid, _ := res.LastInsertId()
			must(tx.Stmt(sCounts).Exec(confirmed, waitlisted, id))
			var first sql.NullInt64
			var version int
			if err := tx.Stmt(sFeed).QueryRow(email, email).Scan(&first, &version); err != nil {
				fail(err)
			}
			must(tx.Stmt(sOutbox).Exec("confirmed", id, tid, email, "en", `{"position":0}`, fmt.Sprintf("%032x", i), now, now))
			must(tx.Stmt(rel).Exec())
		}
		if err := tx.Commit(); err != nil {
			fail(err)
		}
	}
	el, c := time.Since(t0), cpu()-c0
	fmt.Printf("%s synchronous=%s, %d RSVPs: %.1f CPU-µs per RSVP, %.0f RSVPs/s on one goroutine\n",
		drv, sync, n, float64(c.Microseconds())/float64(n), float64(n)/el.Seconds())
}

func must(r sql.Result, err error) sql.Result {
	if err != nil {
		fail(err)
	}
	return r
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "drivercompare:", err)
	os.Exit(1)
}
