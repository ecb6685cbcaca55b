package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the pgx database/sql driver
	"github.com/valyala/fasthttp"

	"salon/tickets"
)

// pgEnv names the PostgreSQL server the PostgreSQL rows run on; without it
// they are left out.
const pgEnv = "SALON_BENCH_PG"

// postgresRows runs the rows of the SQLite table that PostgreSQL has too
// on a fresh schema of the server SALON_BENCH_PG names: RSVPs/s with one
// and with two `salon serve` processes on the one database, the burst, the
// salon page during RSVPs, the paged attendees and parallel CSV exports of
// a 20,000-ticket salon, and start-up and memory with a million tickets.
// Each row is the SQLite one's code on a PostgreSQL server, and carries
// its key, so beside can put it under its SQLite row.
func (b *bench) postgresRows() ([]row, error) {
	base := os.Getenv(pgEnv)
	if base == "" {
		return nil, nil
	}
	u, drop, err := benchSchema(base)
	if err != nil {
		return nil, err
	}
	defer drop()
	srv := func(name string) *salonServer {
		dir := filepath.Join(b.dir, name)
		os.MkdirAll(dir, 0o700)
		return &salonServer{bin: b.srv.bin, dir: dir, db: u}
	}
	one := srv("pg-a")
	pg := &bench{dir: b.dir, conns: b.conns, dur: b.dur, rsvpDur: b.rsvpDur, rsvpMax: b.rsvpMax, only: b.only, srv: one}
	step("PostgreSQL: creating the organizer, a token and the salons")
	if err := pg.organizer(); err != nil {
		return nil, err
	}
	if _, err := one.start(); err != nil {
		return nil, err
	}
	defer one.stop()
	if err := pg.salons(); err != nil {
		return nil, err
	}
	if b.want("rsvp") {
		if err := pg.scaleOut(srv("pg-b")); err != nil {
			return nil, err
		}
	}
	if b.want("burst") {
		step("PostgreSQL: the burst")
		if err := pg.burst(); err != nil {
			return nil, err
		}
	}
	if b.want("reads") {
		step("PostgreSQL: the salon page alone and during RSVPs")
		pg.pageDuringRSVPs()
	}
	if b.want("csv") {
		step("PostgreSQL: the attendees of a %s-ticket salon", commas(exportTickets))
		if err := pg.csvExports(); err != nil {
			return nil, err
		}
	}
	if b.want("big") {
		step("PostgreSQL: %s tickets", commas(bigTickets))
		if err := pg.millionRows(); err != nil {
			return nil, err
		}
	}
	return pg.rows, nil
}

// scaleOut measures RSVPs/s through b.srv alone, then through it and a
// second serve process started on the same database, the connections
// split between them.
func (b *bench) scaleOut(two *salonServer) error {
	step("PostgreSQL: RSVPs through one process, %d connections, %s", b.conns, b.rsvpDur)
	r1 := b.pgLoad([]string{b.srv.addr}, "pg1-")
	if _, err := two.start(); err != nil {
		return err
	}
	defer two.stop()
	step("PostgreSQL: RSVPs through two processes, %d connections each half, %s", b.conns, b.rsvpDur)
	r2 := b.pgLoad([]string{b.srv.addr, two.addr}, "pg2-")
	for i, r := range []pgRate{r1, r2} {
		procs := "one serve process"
		if i == 1 {
			procs = "two serve processes"
		}
		b.ticketsWritten += r.stored
		b.add(row{figure: fmt.Sprintf("RSVPs/s, %s, %d conns in all (%d sent)", procs, b.conns, r.n),
			measured: perSec(r.rate), target: "(no target)", info: true, note: r.note, key: "rsvp", value: r.rate})
	}
	return nil
}

// beside returns the SQLite rows with each PostgreSQL row right under the
// SQLite row of its key, the SQLite figure as its reference and, for
// rates, the ratio to it. What the PostgreSQL row compared itself with in
// its own run (the page alone, say) moves to its note. A row whose key has
// no SQLite row (its part was left out there) goes last.
func beside(sqlite, pg []row) []row {
	var out []row
	placed := make([]bool, len(pg))
	under := func(s *row, p row) row {
		own := strings.TrimSpace(p.reference + " " + p.ratio)
		p.figure = "  PostgreSQL: " + p.figure
		p.reference, p.ratio = "", ""
		if s != nil {
			p.reference = s.measured + " (SQLite)"
			if s.short != "" {
				p.reference = s.short + " (SQLite)"
			}
			if s.value > 0 && p.value > 0 {
				p.ratio = ratio(p.value, s.value)
			}
		}
		if own != "" {
			p.note = strings.TrimSuffix("against "+own+"; "+p.note, "; ")
		}
		return p
	}
	for _, s := range sqlite {
		out = append(out, s)
		if s.key == "" {
			continue
		}
		for i, p := range pg {
			if !placed[i] && p.key == s.key {
				out, placed[i] = append(out, under(&s, p)), true
			}
		}
	}
	for i, p := range pg {
		if !placed[i] {
			out = append(out, under(nil, p))
		}
	}
	return out
}

// pgRate is one PostgreSQL RSVP load's outcome over all its processes.
type pgRate struct {
	rate      float64
	n, stored int64
	note      string
}

// pgLoad drives RSVPs at every address at once, the connections split
// between them, and sums the rates.
func (b *bench) pgLoad(addrs []string, prefix string) pgRate {
	var mu sync.Mutex
	var total pgRate
	var wg sync.WaitGroup
	for k, addr := range addrs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := prefix + strconv.Itoa(k) + "-"
			o := load{addr: addr, conns: max(1, b.conns/len(addrs)), dur: b.rsvpDur, max: b.rsvpMax / int64(len(addrs)),
				build: func(i int64, req *fasthttp.Request) bool {
					post(req, addr, "/api/v1/salons/rsvp-"+strconv.FormatInt(i%rsvpSalons, 10)+"/rsvps", "", rsvpBody(p, i))
					return true
				}, check: status(201)}.run()
			mu.Lock()
			defer mu.Unlock()
			total.rate += o.rate()
			total.n += o.n
			total.stored += o.n - o.errs
			if n := errNote(o); n != "" && total.note == "" {
				total.note = n
			} else if total.note == "" {
				total.note = "p99 " + ms(o.quantile(0.99))
			}
		}()
	}
	wg.Wait()
	return total
}

// benchSchema makes an empty schema on the server and returns a URL whose
// connections use it, and a function that drops it.
func benchSchema(base string) (string, func(), error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", nil, fmt.Errorf("%s is not a URL", pgEnv)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return "", nil, err
	}
	schema := fmt.Sprintf("bench_%x", tickets.RandomBytes(6))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("%s: unable to create a schema: %w", pgEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), func() {
		admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
		admin.Close()
	}, nil
}
