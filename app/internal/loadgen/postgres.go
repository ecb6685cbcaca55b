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

// postgresRows measures RSVPs/s with one and with two `salon serve`
// processes on one PostgreSQL database, a fresh schema of the server
// SALON_BENCH_PG names, beside the SQLite rate of the same run.
func (b *bench) postgresRows(sqliteRate float64) error {
	base := os.Getenv(pgEnv)
	if base == "" {
		return nil
	}
	u, drop, err := benchSchema(base)
	if err != nil {
		return err
	}
	defer drop()
	srv := func(name string) *salonServer {
		dir := filepath.Join(b.dir, name)
		os.MkdirAll(dir, 0o700)
		return &salonServer{bin: b.srv.bin, dir: dir, db: u}
	}
	one := srv("pg-a")
	pg := &bench{dir: b.dir, conns: b.conns, srv: one}
	step("PostgreSQL: creating the organizer, a token and the salons")
	if _, err := one.cli("user", "add", "--email", "bench@example.com", "--role", "organizer", "--name", "Bench"); err != nil {
		return err
	}
	out, err := one.cli("token", "create", "--email", "bench@example.com", "--label", "bench")
	if err != nil {
		return err
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	pg.token = strings.TrimSpace(lines[len(lines)-1])
	if _, err := one.start(); err != nil {
		return err
	}
	defer one.stop()
	if err := pg.salons(); err != nil {
		return err
	}
	step("PostgreSQL: RSVPs through one process, %d connections, %s", b.conns, b.rsvpDur)
	r1 := b.pgLoad([]string{one.addr}, "pg1-")
	two := srv("pg-b")
	if _, err := two.start(); err != nil {
		return err
	}
	defer two.stop()
	step("PostgreSQL: RSVPs through two processes, %d connections each half, %s", b.conns, b.rsvpDur)
	r2 := b.pgLoad([]string{one.addr, two.addr}, "pg2-")
	for i, r := range []pgRate{r1, r2} {
		procs := "one serve process"
		if i == 1 {
			procs = "two serve processes"
		}
		b.add(row{figure: fmt.Sprintf("RSVPs/s on PostgreSQL, %s, %d conns in all (%d sent)", procs, b.conns, r.n),
			measured: perSec(r.rate), target: "(no target)", reference: perSec(sqliteRate) + " (SQLite above)",
			ratio: ratio(r.rate, sqliteRate), info: true, note: r.note})
	}
	return nil
}

// pgRate is one PostgreSQL RSVP load's outcome over all its processes.
type pgRate struct {
	rate float64
	n    int64
	note string
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
