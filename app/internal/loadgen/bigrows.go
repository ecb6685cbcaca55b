package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/valyala/fasthttp"
)

// The rows of issue 18: readers while RSVPs run, parallel exports of a big
// salon, and a database of a million tickets.
const (
	exportSalon   = "export"
	exportTickets = 20_000
	exportsAtOnce = 10
	bigTickets    = 1_000_000
)

// pageDuringRSVPs reads the salon page alone, then again while RSVPs run
// at full speed from as many connections again, and compares the two.
func (b *bench) pageDuringRSVPs() {
	addr := b.srv.addr
	page := func() outcome {
		return load{addr: addr, conns: b.conns, dur: b.dur, build: get(addr, "/salons/rsvp-1"), check: status(200)}.run()
	}
	step("salon page alone, then while RSVPs run")
	alone := page()
	var during, rs outcome
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		rs = load{addr: addr, conns: b.conns, dur: b.dur, max: b.rsvpMax, build: func(i int64, req *fasthttp.Request) bool {
			post(req, addr, "/api/v1/salons/rsvp-"+strconv.FormatInt(i%rsvpSalons, 10)+"/rsvps", "", rsvpBody("mix", i))
			return true
		}, check: status(201)}.run()
	}()
	go func() {
		defer wg.Done()
		during = page()
	}()
	wg.Wait()
	b.ticketsWritten += rs.n - rs.errs
	r, p99 := during.rate(), during.quantile(0.99)
	note := fmt.Sprintf("p99 alone %s; RSVPs meanwhile %s, %d errors", ms(alone.quantile(0.99)), perSec(rs.rate()), rs.errs)
	if n := errNote(during); n != "" {
		note = n
	}
	b.add(row{figure: "salon page while RSVPs run (p99 " + ms(p99) + ")", measured: perSec(r),
		target: "≥ 0.5× alone, p99 < 20 ms", reference: perSec(alone.rate()) + " (the page alone)", ratio: ratio(r, alone.rate()),
		pass: r >= alone.rate()/2 && p99 < 20*time.Millisecond && during.errs == 0, note: note,
		key: "page-rsvps", value: r})
}

// csvExports fills a salon with exportTickets RSVPs (not timed), then
// downloads its attendees CSV exportsAtOnce times in parallel while the
// server's resident set is sampled, and reports how much it grew.
func (b *bench) csvExports() error {
	step("CSV: a salon of %d tickets, then %d parallel exports", exportTickets, exportsAtOnce)
	addr := b.srv.addr
	at := time.Now().Add(24 * time.Hour).Truncate(time.Hour)
	body, _ := json.Marshal(map[string]any{"slug": exportSalon, "title": "A big salon", "industry": "ai", "venue": "Hall",
		"address": "Shanghai", "starts_at": at.Format(time.RFC3339), "ends_at": at.Add(2 * time.Hour).Format(time.RFC3339),
		"capacity": exportTickets, "waitlist": true, "status": "published"})
	o := load{addr: addr, conns: 1, dur: 30 * time.Second, max: 1, build: func(_ int64, req *fasthttp.Request) bool {
		post(req, addr, "/api/v1/salons", b.token, body)
		return true
	}, check: status(201)}.run()
	if o.errs > 0 {
		return fmt.Errorf("creating the export salon: %s", o.firstErr)
	}
	o = load{addr: addr, conns: b.conns, dur: 2 * time.Minute, max: exportTickets, build: func(i int64, req *fasthttp.Request) bool {
		post(req, addr, "/api/v1/salons/"+exportSalon+"/rsvps", "", rsvpBody("x", i))
		return true
	}, check: status(201)}.run()
	b.ticketsWritten += o.n - o.errs
	if o.errs > 0 || o.n != exportTickets {
		return fmt.Errorf("filling the export salon: %d of %d failed, first: %s", o.errs, o.n, o.firstErr)
	}
	if err := b.attendeePages(); err != nil {
		return err
	}
	before, _, err := b.srv.memory()
	if err != nil {
		return err
	}
	sampler := b.srv.sampleRSS(10 * time.Millisecond)
	lines := make([]int, exportsAtOnce)
	sizes := make([]int64, exportsAtOnce)
	errs := make([]error, exportsAtOnce)
	t0 := time.Now()
	var wg sync.WaitGroup
	for k := range exportsAtOnce {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest("GET", "http://"+addr+"/api/v1/salons/"+exportSalon+"/attendees.csv", nil)
			req.Header.Set("Authorization", "Bearer "+b.token)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				errs[k] = err
				return
			}
			defer resp.Body.Close()
			lc := &lineCounter{}
			sizes[k], errs[k] = io.Copy(lc, resp.Body)
			lines[k] = lc.n
			if errs[k] == nil && resp.StatusCode != 200 {
				errs[k] = fmt.Errorf("status %d", resp.StatusCode)
			}
		}()
	}
	wg.Wait()
	took := time.Since(t0)
	peak := sampler()
	grew := peak - before
	note := fmt.Sprintf("%s KiB each, all in %s; RSS %s before, %s at most", commas(sizes[0]>>10), ms(took), mib(before), mib(peak))
	ok := grew < 100<<20
	for k := range exportsAtOnce {
		if errs[k] != nil || lines[k] != exportTickets+1 {
			ok, note = false, trimNote(fmt.Sprintf("export %d: %d lines, want %d: %v", k, lines[k], exportTickets+1, errs[k]))
			break
		}
	}
	b.add(row{figure: fmt.Sprintf("%d parallel CSV exports of a %s-ticket salon: RSS growth", exportsAtOnce, commas(exportTickets)),
		measured: mib(grew), target: "< 100 MiB", pass: ok, note: note + b.srv.rssNote(), key: "csv"})
	return nil
}

// attendeePages reads the export salon's attendees through the paged API:
// one walk by pages of 1,000, which must see every ticket once, then pages
// of 100 after a cursor, from every connection for b.dur.
func (b *bench) attendeePages() error {
	step("attendees API: a walk by pages, then pages of 100 after a cursor")
	t0 := time.Now()
	all, err := b.attendees(exportSalon, "confirmed")
	if err != nil {
		return err
	}
	walk := time.Since(t0)
	seen := make(map[string]bool, len(all))
	for _, a := range all {
		seen[a.ID] = true
	}
	_, cursor, err := b.attendeePage(exportSalon, "limit=1000")
	if err != nil {
		return fmt.Errorf("first attendee page: %w", err)
	}
	addr := b.srv.addr
	o := load{addr: addr, conns: b.conns, dur: b.dur, build: get(addr, "/api/v1/salons/"+exportSalon+"/attendees?limit=100&cursor="+cursor,
		"Authorization", "Bearer "+b.token), check: func(_ int64, resp *fasthttp.Response) bool {
		return resp.StatusCode() == 200 && bytes.Count(resp.Body(), []byte(`"status":"confirmed"`)) == 100
	}}.run()
	r, p99 := o.rate(), o.quantile(0.99)
	walked := len(all) == exportTickets && len(seen) == exportTickets && cursor != ""
	note := fmt.Sprintf("walk by 1,000: %s tickets, %s distinct, in %s", commas(int64(len(all))), commas(int64(len(seen))), ms(walk))
	if n := errNote(o); n != "" {
		note = n
	}
	b.add(row{figure: fmt.Sprintf("attendees API of a %s-ticket salon: pages of 100 after a cursor (p99 %s)", commas(exportTickets), ms(p99)),
		measured: perSec(r), target: "paged (limit, cursor), each ticket once", pass: walked && o.errs == 0 && o.n > 0,
		note: note, key: "paged", value: r})
	return nil
}

// lineCounter counts the lines written to it.
type lineCounter struct{ n int }

func (c *lineCounter) Write(p []byte) (int, error) {
	c.n += bytes.Count(p, []byte("\n"))
	return len(p), nil
}

// fillMillion adds tickets with direct SQL, the server stopped, until the
// database holds bigTickets: tickets like the RSVPs' spread over the feed's
// salons, each salon's capacity and confirmed count raised by what it got,
// so the counts stay true. It is setup, not measured.
func (b *bench) fillMillion() error {
	f := sqliteFill(b.srv.db)
	if b.srv.postgres() {
		f = postgresFill(b.srv.db)
	}
	db, err := sql.Open(f.driver, f.dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	ctx := context.Background()
	var have int64
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM tickets`).Scan(&have); err != nil {
		return err
	}
	missing := bigTickets - have
	if missing <= 0 {
		return nil
	}
	step("filling the database to %s tickets with direct SQL (%s more, not timed)", commas(bigTickets), commas(missing))
	t0 := time.Now()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for i, q := range f.stmts {
		var args []any
		if i == f.insert {
			args = []any{missing}
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("filling to %d tickets: %w", bigTickets, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	for _, q := range f.after {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	var off int64
	if err := db.QueryRowContext(ctx, f.countsOff).Scan(&off); err != nil {
		return err
	}
	if off > 0 {
		return fmt.Errorf("after filling to %d tickets, %d salons' confirmed counts differ from their tickets", bigTickets, off)
	}
	b.ticketsWritten = bigTickets
	step("filled in %.1f s", time.Since(t0).Seconds())
	return nil
}

// filler is one backend's SQL for fillMillion: stmts run in one
// transaction, the one at index insert with the number of tickets missing
// as its only argument, then after outside it.
type filler struct {
	driver, dsn string
	stmts       []string
	insert      int
	after       []string
	// countsOff counts the salons whose confirmed count is not the seats
	// of their confirmed tickets (each one and its guests).
	countsOff string
}

// sqliteFill copies the first ticket's language and times, with a new
// salt each, to the feed's salons. synchronous=NORMAL, not OFF: the commit
// is not synced, but the checkpoint after it syncs the file, so the server
// restarted on it does not write the fill's 200 MB back inside its own
// first sync (308 ms of a 430 ms timed start-up, by strace, when the fill
// ran with OFF).
func sqliteFill(file string) filler {
	return filler{driver: "sqlite", dsn: "file:" + file + "?_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)", insert: 2,
		stmts: []string{
			`CREATE TEMP TABLE fill_salons (k INTEGER PRIMARY KEY, id INTEGER NOT NULL)`,
			`INSERT INTO fill_salons (k, id) SELECT ROW_NUMBER() OVER (ORDER BY id) - 1, id FROM salons WHERE slug LIKE 'other-%'`,
			`INSERT INTO tickets (salon_id, name, email, company, job_title, lang, status, token_salt, created_at, updated_at)
			 WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?1),
			      src AS (SELECT lang, token_salt, created_at, updated_at FROM tickets ORDER BY id LIMIT 1)
			 SELECT f.id, 'Guest ' || n.i, 'fill' || n.i || '@bench.example', 'Bench Ltd', 'Engineer', src.lang, 'confirmed',
			        randomblob(16), src.created_at, src.updated_at
			 FROM n, src JOIN fill_salons f ON f.k = n.i % (SELECT COUNT(*) FROM fill_salons)`,
			// The counts have a table of their own here; capacity first,
			// for the count guard.
			`UPDATE salons SET capacity = capacity + c.n FROM (` + filledPerSalon + `) AS c WHERE salons.id = c.salon_id`,
			`UPDATE salon_counts SET confirmed = confirmed + c.n FROM (` + filledPerSalon + `) AS c WHERE salon_counts.salon_id = c.salon_id`,
			// Tickets RSVPed through the server would have had their
			// notices copied to the outbox long ago: where none waits, the
			// mark passes the filled ones, so the server's first copy does
			// not walk a million rows that carry no notice.
			`UPDATE notice_mark SET ticket_id = (SELECT MAX(id) FROM tickets)
			 WHERE NOT EXISTS (SELECT 1 FROM tickets WHERE id > notice_mark.ticket_id AND notice_kind IS NOT NULL)`,
		},
		after:     []string{`PRAGMA wal_checkpoint(TRUNCATE)`},
		countsOff: `SELECT COUNT(*) FROM salon_counts s WHERE s.confirmed <> ` + confirmedSeats("s.salon_id")}
}

// postgresFill writes the same rows with generate_series; the tickets are
// English and made now, since with -only big the PostgreSQL database has
// no ticket to copy. ANALYZE afterwards, as autovacuum would soon after a
// million new rows, so the first queries are planned on true sizes.
func postgresFill(url string) filler {
	return filler{driver: "pgx", dsn: url, insert: 2,
		stmts: []string{
			`CREATE TEMP TABLE fill_salons (k BIGINT PRIMARY KEY, id BIGINT NOT NULL) ON COMMIT DROP`,
			`INSERT INTO fill_salons (k, id) SELECT ROW_NUMBER() OVER (ORDER BY id) - 1, id FROM salons WHERE slug LIKE 'other-%'`,
			`INSERT INTO tickets (salon_id, name, email, company, job_title, lang, status, token_salt, created_at, updated_at)
			 SELECT f.id, 'Guest ' || n.i, 'fill' || n.i || '@bench.example', 'Bench Ltd', 'Engineer', 'en', 'confirmed',
			        uuid_send(gen_random_uuid()), EXTRACT(EPOCH FROM now())::bigint, EXTRACT(EPOCH FROM now())::bigint
			 FROM generate_series(0, $1::bigint - 1) AS n(i)
			 JOIN fill_salons f ON f.k = n.i % (SELECT COUNT(*) FROM fill_salons)`,
			`UPDATE salons SET capacity = capacity + c.n, confirmed = confirmed + c.n
			 FROM (` + filledPerSalon + `) AS c WHERE salons.id = c.salon_id`,
		},
		after:     []string{`VACUUM (ANALYZE) tickets`, `VACUUM (ANALYZE) salons`},
		countsOff: `SELECT COUNT(*) FROM salons s WHERE s.confirmed <> ` + confirmedSeats("s.id")}
}

// filledPerSalon is how many tickets filling gave each salon.
const filledPerSalon = `SELECT salon_id, COUNT(*) AS n FROM tickets WHERE email LIKE 'fill%@bench.example' GROUP BY salon_id`

// confirmedSeats is the seats of the confirmed tickets (each one and its
// guests) of the salon whose id is salonID, a column of the outer query.
func confirmedSeats(salonID string) string {
	return `(SELECT COALESCE(SUM(1 + t.guests), 0) FROM tickets t WHERE t.salon_id = ` + salonID + ` AND t.status = 'confirmed')`
}

// millionRows restarts the server on the million-ticket database, timing
// start-up to serving, then drives RSVPs and salon pages at once while
// sampling the resident set.
func (b *bench) millionRows() error {
	b.srv.stop()
	if err := b.fillMillion(); err != nil {
		return err
	}
	step("restarting on %s tickets", commas(bigTickets))
	up, err := b.srv.start()
	if err != nil {
		return err
	}
	b.add(row{figure: fmt.Sprintf("start-up, %s tickets (process start to /healthz 200)", commas(bigTickets)), measured: ms(up),
		target: "< 500 ms", pass: up < 500*time.Millisecond, key: "start-1m"})
	step("RSVPs and salon pages at once on %s tickets, sampling RSS", commas(bigTickets))
	sampler := b.srv.sampleRSS(50 * time.Millisecond)
	addr := b.srv.addr
	var rs, pg outcome
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		rs = load{addr: addr, conns: b.conns, dur: 2 * b.dur, max: b.rsvpMax, build: func(i int64, req *fasthttp.Request) bool {
			post(req, addr, "/api/v1/salons/rsvp-"+strconv.FormatInt(i%rsvpSalons, 10)+"/rsvps", "", rsvpBody("big", i))
			return true
		}, check: status(201)}.run()
	}()
	go func() {
		defer wg.Done()
		pg = load{addr: addr, conns: b.conns, dur: 2 * b.dur, build: get(addr, "/salons/rsvp-2"), check: status(200)}.run()
	}()
	wg.Wait()
	sampled := sampler()
	_, hwm, err := b.srv.memory()
	if err != nil {
		return err
	}
	peak := max(sampled, hwm)
	b.add(row{figure: fmt.Sprintf("peak RSS under load, %s tickets", commas(bigTickets)), measured: mib(peak), target: "< 200 MiB",
		pass: peak < 200<<20 && rs.errs == 0 && pg.errs == 0,
		note: fmt.Sprintf("RSVPs %s and pages %s meanwhile; %d+%d errors", perSec(rs.rate()), perSec(pg.rate()), rs.errs, pg.errs) + b.srv.rssNote(),
		key:  "rss-1m"})
	return nil
}
