// Command loadgen is `task bench`: it builds the salon binary into a
// temporary directory (unless -bin names one already built), starts it on a
// fresh database in that directory, drives each speed target of the project
// with real HTTP over loopback, measures the reference servers in the same
// run, and prints one table. With SALON_BENCH_PG set to a PostgreSQL URL it
// then runs the same rows on a fresh schema there and prints each under its
// SQLite row.
//
// It is kept under app/internal so it never ships in the salon binary. Run
// it from the module root:
//
//	go build -o /tmp/salon . && go run ./app/internal/loadgen -bin /tmp/salon
//
// Every load is bounded in time and count, and only 127.0.0.1 is targeted.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

func main() {
	var (
		bin      = flag.String("bin", "", "the salon binary (empty: go build it into the temporary directory)")
		dur      = flag.Duration("d", 4*time.Second, "how long each read and reference load runs")
		rsvpDur  = flag.Duration("rsvp-d", 15*time.Second, "the longest the RSVP load runs")
		rsvpMax  = flag.Int64("rsvps", 100_000, "how many RSVPs the RSVP load sends at most")
		conns    = flag.Int("c", 64, "connections for every load but the burst")
		keep     = flag.Bool("keep", false, "keep the temporary directory (database, server log)")
		ref      = flag.String("ref", "", "internal: serve the reference server of this kind")
		refDir   = flag.String("dir", "", "internal: the reference server's directory")
		only     = flag.String("only", "", "run only these rows, comma-separated: rsvp, burst, reads, checkins, csv, big (start-up and memory are always measured; with "+pgEnv+" set, the same parts run on PostgreSQL too)")
		failExit = flag.Bool("fail-exit", false, "exit 1 when a target is missed")
		abBin    = flag.String("ab", "", "compare the RSVP row of -bin (A) with this other salon binary (B) in alternating rounds, instead of the table")
		abRounds = flag.Int("rounds", 10, "with -ab: how many rounds")
		abEach   = flag.Int64("round-rsvps", 30_000, "with -ab: RSVPs per build and round")
	)
	flag.Parse()
	if *ref != "" {
		if err := serveReference(*ref, *refDir); err != nil {
			fmt.Fprintln(os.Stderr, "loadgen:", err)
			os.Exit(1)
		}
		return
	}
	dir, err := os.MkdirTemp("", "salon-bench-")
	if err != nil {
		fatal(err)
	}
	if !*keep {
		defer os.RemoveAll(dir)
	} else {
		fmt.Fprintln(os.Stderr, "loadgen: keeping", dir)
	}
	if *bin == "" {
		*bin = filepath.Join(dir, "salon")
		step("building the salon binary")
		cmd := exec.Command("go", "build", "-o", *bin, ".")
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			fatal(fmt.Errorf("go build: %w", err))
		}
	}
	if *abBin != "" {
		if err := compareBuilds(dir, *bin, *abBin, *conns, *abRounds, *abEach); err != nil {
			fatal(err)
		}
		return
	}
	b := &bench{dir: dir, conns: *conns, dur: *dur, rsvpDur: *rsvpDur, rsvpMax: *rsvpMax,
		only: map[string]bool{},
		srv:  &salonServer{bin: *bin, dir: dir, db: filepath.Join(dir, "salon.db")}}
	for _, o := range strings.Split(*only, ",") {
		if o = strings.TrimSpace(o); o != "" {
			b.only[o] = true
		}
	}
	started := time.Now()
	rows, err := b.run()
	if err != nil {
		fatal(err)
	}
	fmt.Println()
	failed := printTable(os.Stdout, rows)
	fmt.Printf("\n%d cores, load generator on the same machine, whole run %.0f s\n", runtime.NumCPU(), time.Since(started).Seconds())
	if failed > 0 && *failExit {
		os.Exit(1)
	}
}

func step(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "loadgen: "+format+"\n", args...)
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "loadgen:", err)
	os.Exit(1)
}
