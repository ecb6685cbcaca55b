package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"
)

// abSide is one of the two builds an A/B comparison runs.
type abSide struct {
	name  string
	b     *bench
	sent  int64
	rates []float64
	cpus  []float64 // server CPU-µs per RSVP, by round
}

// compareBuilds runs the RSVP load (b.conns connections over the 100 RSVP
// salons) against two builds in alternating rounds, A B B A, each build on
// a fresh database of its own with both servers up, so that what the
// machine's neighbours do drifts over both alike; then it prints every
// round and the median ratio. On a shared machine the rate of one run can
// move by a fifth from one minute to the next; rounds a few seconds apart
// can tell a change of a few per cent.
func compareBuilds(dir, binA, binB string, conns, rounds int, per int64) error {
	var sides [2]*abSide
	for i, bin := range []string{binA, binB} {
		d := filepath.Join(dir, "ab"+strconv.Itoa(i))
		if err := os.MkdirAll(d, 0o700); err != nil {
			return err
		}
		b := &bench{dir: d, conns: conns, srv: &salonServer{bin: bin, dir: d, db: filepath.Join(d, "salon.db")}}
		if err := b.organizer(); err != nil {
			return err
		}
		if _, err := b.srv.start(); err != nil {
			return err
		}
		defer b.srv.stop()
		if err := b.salons(); err != nil {
			return err
		}
		sides[i] = &abSide{name: string('A' + rune(i)), b: b}
	}
	// A warm-up round each, not counted: the first RSVPs of a fresh
	// database read every salon into the writer's cache.
	for _, s := range sides {
		if _, _, err := s.round(per / 4); err != nil {
			return err
		}
	}
	for r := range rounds {
		order := []*abSide{sides[0], sides[1]}
		if r%2 == 1 {
			order = []*abSide{sides[1], sides[0]}
		}
		for _, s := range order {
			rate, cpu, err := s.round(per)
			if err != nil {
				return err
			}
			s.rates, s.cpus = append(s.rates, rate), append(s.cpus, cpu)
		}
		fmt.Printf("round %2d: A %s (%.0f CPU-µs/RSVP)  B %s (%.0f CPU-µs/RSVP)  B/A %.3f\n", r+1,
			perSec(sides[0].rates[r]), sides[0].cpus[r], perSec(sides[1].rates[r]), sides[1].cpus[r], sides[1].rates[r]/sides[0].rates[r])
	}
	var ratios, cpuRatios []float64
	for r := range rounds {
		ratios = append(ratios, sides[1].rates[r]/sides[0].rates[r])
		cpuRatios = append(cpuRatios, sides[1].cpus[r]/sides[0].cpus[r])
	}
	fmt.Printf("\nA %s\nB %s\nB/A RSVPs/s: median %.3f, range %.3f-%.3f; B/A CPU per RSVP: median %.3f\n", binA, binB,
		median(ratios), slices.Min(ratios), slices.Max(ratios), median(cpuRatios))
	return nil
}

// round sends n RSVPs to s's server and returns the rate and the server's
// CPU per RSVP.
func (s *abSide) round(n int64) (float64, float64, error) {
	srv, first := s.b.srv, s.sent
	cpu0 := srv.cpu()
	o := load{addr: srv.addr, conns: s.b.conns, dur: time.Minute, max: n, build: rsvpRequest(srv.addr, first), check: status(201)}.run()
	s.sent += n
	if o.errs > 0 {
		return 0, 0, fmt.Errorf("build %s: %d errors, first: %s", s.name, o.errs, o.firstErr)
	}
	if o.n == 0 {
		return 0, 0, fmt.Errorf("build %s: no RSVP answered", s.name)
	}
	return o.rate(), float64((srv.cpu() - cpu0).Microseconds()) / float64(o.n), nil
}

func median(xs []float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
