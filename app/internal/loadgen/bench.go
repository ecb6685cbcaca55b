package main

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/valyala/fasthttp"
)

const (
	rsvpSalons  = 100  // salons the RSVP load spreads over
	feedSalons  = 1000 // published salons in /calendar.ics, the RSVP and burst ones included
	rsvpSeats   = 600  // seats per RSVP salon: past them RSVPs are waitlisted
	burstSeats  = 100
	burstConns  = 500
	burstRSVPs  = 5000
	burstWithin = time.Second
)

// bench is one `task bench` run.
type bench struct {
	dir            string
	conns          int
	dur, rsvpDur   time.Duration
	rsvpMax        int64
	srv            *salonServer
	only           map[string]bool
	token          string
	rows           []row
	hello, insert  *reference
	ceiling        *reference
	codes          []string // door codes of confirmed tickets, by RSVP number
	manage         atomic.Pointer[string]
	ticketsWritten int64
}

// run sets everything up, drives every row and returns the table.
func (b *bench) run() ([]row, error) {
	if err := b.references(); err != nil {
		return nil, err
	}
	defer b.stopReferences()
	if err := b.organizer(); err != nil {
		return nil, err
	}
	step("starting salon serve")
	startFresh, err := b.srv.start()
	if err != nil {
		return nil, err
	}
	defer b.srv.stop()
	sampler := b.srv.sampleRSS(50 * time.Millisecond)
	if err := b.salons(); err != nil {
		return nil, err
	}
	if b.want("rsvp") || b.want("checkins") || b.want("reads") {
		if err := b.rsvps(); err != nil {
			return nil, err
		}
	}
	if b.want("burst") {
		if err := b.burst(); err != nil {
			return nil, err
		}
	}
	// The burst runs right after the timed RSVPs, as a salon announced on a
	// busy evening; then the database is filled to the size the reads,
	// check-ins, memory and start-up rows are measured at.
	if err := b.topUp(); err != nil {
		return nil, err
	}
	if b.want("reads") {
		b.reads()
		b.pageDuringRSVPs()
	}
	if b.want("checkins") {
		b.checkins()
	}
	rss, hwm, err := b.srv.memory()
	if err != nil {
		return nil, err
	}
	// The 50 ms samples can miss a short spike; VmHWM, the kernel's own
	// high-water mark, cannot, so the row is decided on the higher of both.
	sampled := sampler()
	peak := max(sampled, hwm)
	b.add(row{figure: fmt.Sprintf("peak RSS under load (%d tickets at the end)", b.ticketsWritten),
		measured: mib(peak), target: fmt.Sprintf("< 150 MiB with ≥ %s tickets", commas(ticketsTarget)),
		pass: peak < 150<<20 && b.ticketsWritten >= ticketsTarget,
		note: "max of highest 50 ms sample " + mib(sampled) + " and VmHWM " + mib(hwm) + "; after the loads " + mib(rss)})
	// After the memory row, whose VmHWM covers the run so far: the exports
	// are measured by their own growth.
	if b.want("csv") {
		if err := b.csvExports(); err != nil {
			return nil, err
		}
	}
	step("restarting on the full database")
	b.srv.stop()
	startFull, err := b.srv.start()
	if err != nil {
		return nil, err
	}
	b.add(row{figure: "start-up, fresh database (process start to /healthz 200)", measured: ms(startFresh),
		target: "< 500 ms", pass: startFresh < 500*time.Millisecond})
	b.add(row{figure: fmt.Sprintf("start-up, %d tickets", b.ticketsWritten), measured: ms(startFull),
		target: "< 500 ms", pass: startFull < 500*time.Millisecond})
	if b.want("big") {
		if err := b.millionRows(); err != nil {
			return nil, err
		}
	}
	// The SQLite server is done: the PostgreSQL rows get the machine to
	// themselves, as the SQLite ones had.
	b.srv.stop()
	pg, err := b.postgresRows()
	if err != nil {
		return nil, err
	}
	return beside(b.rows, pg), nil
}

// organizer creates the bench's organizer and an API token for it, with
// the CLI on the server's database.
func (b *bench) organizer() error {
	step("creating the organizer and a token")
	if _, err := b.srv.cli("user", "add", "--email", "bench@example.com", "--role", "organizer", "--name", "Bench"); err != nil {
		return err
	}
	out, err := b.srv.cli("token", "create", "--email", "bench@example.com", "--label", "bench")
	if err != nil {
		return err
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	b.token = strings.TrimSpace(lines[len(lines)-1])
	return nil
}

// want reports whether the rows named part are to run.
func (b *bench) want(part string) bool { return len(b.only) == 0 || b.only[part] }

func (b *bench) add(r row) { b.rows = append(b.rows, r) }

// references starts the bare Fiber servers, each in a process of its own,
// and measures the INSERT one; the hello one is measured again right before
// each row compared with it, so that other load on the machine drifting
// during the run skews a ratio as little as possible.
func (b *bench) references() error {
	var err error
	if b.hello, err = startReference("hello", b.dir); err != nil {
		return err
	}
	if b.insert, err = startReference("insert", b.dir); err != nil {
		return err
	}
	if b.ceiling, err = startReference("ceiling", b.dir); err != nil {
		return err
	}
	return nil
}

func (b *bench) stopReferences() {
	for _, r := range []*reference{b.hello, b.insert, b.ceiling} {
		if r != nil {
			r.stop()
		}
	}
}

// helloRate measures the bare Fiber hello now.
func (b *bench) helloRate() float64 {
	a := b.hello.addr
	return load{addr: a, conns: b.conns, dur: b.dur, build: get(a, "/"), check: status(200)}.run().rate()
}

// insertRate measures the bare Fiber handler with one INSERT transaction
// per request.
func (b *bench) insertRate() (float64, error) {
	r, _, err := b.postRate(b.insert, "INSERT")
	return r, err
}

// ceilingRate measures the bare Fiber handler that answers an RSVP without
// storing it; see refCeiling for what it does and skips.
// Its second result is the server's CPU per request.
func (b *bench) ceilingRate() (float64, time.Duration, error) {
	return b.postRate(b.ceiling, "ceiling")
}

func (b *bench) postRate(r *reference, name string) (float64, time.Duration, error) {
	a := r.addr
	cpu0 := procCPU(r.cmd.Process.Pid)
	o := load{addr: a, conns: b.conns, dur: b.dur, build: func(i int64, req *fasthttp.Request) bool {
		post(req, a, "/rsvps", "", rsvpBody("ref", i))
		return true
	}, check: status(201)}.run()
	if o.errs > 0 {
		return 0, 0, fmt.Errorf("reference %s server: %d errors, first: %s", name, o.errs, o.firstErr)
	}
	var perReq time.Duration
	if o.n > 0 {
		perReq = (procCPU(r.cmd.Process.Pid) - cpu0) / time.Duration(o.n)
	}
	return o.rate(), perReq, nil
}

func post(req *fasthttp.Request, host, path, token string, body []byte) {
	req.SetRequestURI("http://" + host + path)
	req.Header.SetMethod(fasthttp.MethodPost)
	req.Header.SetContentType("application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.SetBody(body)
}

// rsvpRequest builds the RSVP row's i-th request: RSVP number first+i,
// to one of the 100 RSVP salons in turn.
func rsvpRequest(addr string, first int64) func(int64, *fasthttp.Request) bool {
	return func(i int64, req *fasthttp.Request) bool {
		post(req, addr, "/api/v1/salons/rsvp-"+strconv.FormatInt(i%rsvpSalons, 10)+"/rsvps", "", rsvpBody("g", first+i))
		return true
	}
}

func rsvpBody(prefix string, i int64) []byte {
	n := strconv.FormatInt(i, 10)
	return []byte(`{"name":"Guest ` + n + `","email":"` + prefix + n + `@bench.example","company":"Bench Ltd","job_title":"Engineer"}`)
}

// salons creates the salons through the API: the RSVP salons, the burst
// salon, and enough others for a 1,000-salon calendar feed.
func (b *bench) salons() error {
	step("creating %d salons through the API", feedSalons)
	start := time.Now().Add(72 * time.Hour).Truncate(time.Hour)
	industries := []string{"fintech", "biotech", "ai", "design", "retail"}
	o := load{addr: b.srv.addr, conns: 16, dur: time.Minute, max: feedSalons, build: func(i int64, req *fasthttp.Request) bool {
		slug, seats := "other-"+strconv.FormatInt(i, 10), 40
		switch {
		case i < rsvpSalons:
			slug, seats = "rsvp-"+strconv.FormatInt(i, 10), rsvpSeats
		case i == rsvpSalons:
			slug, seats = "burst", burstSeats
		}
		at := start.Add(time.Duration(i) * time.Hour)
		body, _ := json.Marshal(map[string]any{
			"slug": slug, "title": "Salon " + slug + ": founders & investors", "industry": industries[i%int64(len(industries))],
			"description": "An evening of short talks.\nBring a friend; seats are limited.", "venue": "WeWork Weihai Lu",
			"address": "Weihai Lu 696, Jing'an, Shanghai", "starts_at": at.Format(time.RFC3339),
			"ends_at": at.Add(2 * time.Hour).Format(time.RFC3339), "capacity": seats, "waitlist": true, "status": "published",
		})
		post(req, b.srv.addr, "/api/v1/salons", b.token, body)
		return true
	}, check: status(201)}.run()
	if o.errs > 0 || o.n != feedSalons {
		return fmt.Errorf("creating salons: %d of %d failed, first: %s", o.errs, o.n, o.firstErr)
	}
	return nil
}

// rsvps drives the main row: RSVPs over 100 salons from b.conns connections.
func (b *bench) rsvps() error {
	step("RSVPs: %d connections over %d salons, up to %d RSVPs or %s", b.conns, rsvpSalons, b.rsvpMax, b.rsvpDur)
	step("reference: bare Fiber, one INSERT transaction per request")
	refIns, err := b.insertRate()
	if err != nil {
		return err
	}
	step("ceiling: bare Fiber, the RSVP's JSON, checks and signature, no storage")
	ceil, ceilCPU, err := b.ceilingRate()
	if err != nil {
		return err
	}
	step("peer: PocketBase v0.36 record creates, the same load")
	pb, pbRate, pbNote := b.pocketBaseRate()
	b.codes = make([]string, b.rsvpMax)
	addr := b.srv.addr
	cpu0 := b.srv.cpu()
	o := load{addr: addr, conns: b.conns, dur: b.rsvpDur, max: b.rsvpMax, build: rsvpRequest(addr, 0), check: func(i int64, resp *fasthttp.Response) bool {
		if resp.StatusCode() != 201 {
			return false
		}
		body := resp.Body()
		if code := field(body, `"code":"`); code != "" {
			b.codes[i] = code
			if b.manage.Load() == nil {
				if m := field(body, `"manage_url":"`); m != "" {
					tok := m[strings.LastIndexByte(m, '/')+1:]
					b.manage.CompareAndSwap(nil, &tok)
				}
			}
		}
		return true
	}}.run()
	b.ticketsWritten += o.n - o.errs
	r := o.rate()
	cpuNote := ""
	if n := o.n - o.errs; n > 0 {
		cpuNote = fmt.Sprintf("server CPU %.0f µs per RSVP", float64((b.srv.cpu()-cpu0).Microseconds())/float64(n))
	}
	b.add(row{figure: fmt.Sprintf("PocketBase record creates/s, same load (%d stored)", pb.n), measured: perSec(pbRate),
		target: "(the peer)", info: true, note: pbNote})
	b.add(row{figure: fmt.Sprintf("RSVPs/s, %d conns, %d salons, synchronous=FULL (%d sent)", b.conns, rsvpSalons, o.n),
		measured: perSec(r), target: "≥ 3.5× PocketBase", reference: perSec(pbRate) + " (PocketBase creates)",
		ratio: ratio(r, pbRate), pass: pbRate > 0 && r >= 3.5*pbRate && o.errs == 0, note: cmp.Or(errNote(o), cpuNote),
		key: "rsvp", value: r})
	b.add(row{figure: "RSVPs/s over the ceiling (the RSVP answer without storage: JSON, checks, Ed25519)", measured: perSec(r),
		target: "≥ 0.5× ceiling", reference: perSec(ceil) + " (ceiling)", ratio: ratio(r, ceil), pass: r >= ceil/2 && o.errs == 0,
		note: fmt.Sprintf("ceiling server CPU %.0f µs per request", float64(ceilCPU.Nanoseconds())/1000)})
	b.add(row{figure: "RSVPs/s over one INSERT transaction per request", measured: perSec(r), target: "(information)",
		reference: perSec(refIns) + " (1 INSERT tx/request)", ratio: ratio(r, refIns), info: true,
		note: "the reference's rate is the disk's latency"})
	p99 := o.quantile(0.99)
	b.add(row{figure: "RSVP latency p99", measured: ms(p99), target: "< 50 ms", pass: p99 < 50*time.Millisecond && o.n > 0,
		note: "p50 " + ms(o.quantile(0.5)) + ", max " + ms(o.quantile(1))})
	return nil
}

// pbOutcome is what the PocketBase load measured and stored.
type pbOutcome struct{ n int64 }

// pocketBaseRate builds and starts the PocketBase peer on a fresh
// directory, drives it with the RSVP load, stops it and checks that it
// stored as many records as it answered 200 to. A peer that cannot be
// built or run leaves a rate of 0, which fails the RSVP row.
func (b *bench) pocketBaseRate() (pbOutcome, float64, string) {
	dir := filepath.Join(b.dir, "pocketbase")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return pbOutcome{}, 0, err.Error()
	}
	p, err := startPocketBase(dir)
	if err != nil {
		return pbOutcome{}, 0, trimNote(err.Error())
	}
	o := b.pocketBaseLoad(p)
	p.stop()
	stored, err := p.records()
	note := "p99 " + ms(o.quantile(0.99))
	switch {
	case err != nil:
		note = trimNote("records not counted: " + err.Error())
	case stored != o.n-o.errs:
		note = fmt.Sprintf("%d answered 200 but %d stored", o.n-o.errs, stored)
	}
	if n := errNote(o); n != "" {
		note = n
	}
	return pbOutcome{n: stored}, o.rate(), note
}

// ticketsTarget is how many tickets the memory and start-up rows want in
// the database: the table's "memory with 100,000 tickets under load".
const ticketsTarget = 100_000

// topUp RSVPs, untimed, until the database holds ticketsTarget tickets, so
// the reads, check-ins, memory and start-up rows run at that size.
func (b *bench) topUp() error {
	missing := ticketsTarget - b.ticketsWritten
	if missing <= 0 {
		return nil
	}
	step("topping up to %d tickets (%d more RSVPs, not timed)", ticketsTarget, missing)
	addr := b.srv.addr
	o := load{addr: addr, conns: b.conns, dur: 2 * time.Minute, max: missing, build: func(i int64, req *fasthttp.Request) bool {
		post(req, addr, "/api/v1/salons/rsvp-"+strconv.FormatInt(i%rsvpSalons, 10)+"/rsvps", "", rsvpBody("top", i))
		return true
	}, check: func(_ int64, resp *fasthttp.Response) bool { return resp.StatusCode() == 201 }}.run()
	b.ticketsWritten += o.n - o.errs
	if o.errs > 0 {
		return fmt.Errorf("top-up: %d of %d RSVPs failed", o.errs, o.n)
	}
	return nil
}

// field returns the JSON string value that follows key in body, or "".
// Ticket codes, tokens and URLs need no unescaping.
func field(body []byte, key string) string {
	i := bytes.Index(body, []byte(key))
	if i < 0 {
		return ""
	}
	rest := body[i+len(key):]
	j := bytes.IndexByte(rest, '"')
	if j < 0 {
		return ""
	}
	return string(rest[:j])
}
