package app

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
)

// ProcsPerCPU is how many threads run Go code at once per CPU under
// `salon serve`, unless --procs (or GOMAXPROCS) says otherwise. Go's own
// default is one per CPU. The writer and the WAL syncer spend much of each
// commit in system calls (write, fdatasync); when one returns, it needs a
// free thread slot to go on, and with one slot per CPU both are taken by
// HTTP handlers, so it waits its turn behind them while the disk idles (a
// runtime trace showed the syncer waiting 266 µs per wake-up, 40% of the
// sync itself). With two per CPU it finds a slot free and the kernel
// shares the cores. Measured on the bench machine (2 CPUs, five
// alternating runs each of `task bench -- -only rsvp`): 10,603–12,227
// RSVPs/s with one per CPU, 10,956–13,118/s with two, and no gain that
// held up from three or four.
const ProcsPerCPU = 2

// ServeProcs is --procs' default: ProcsPerCPU times the CPUs the Go runtime
// found for this process (its own default, which honours a container's CPU
// limit), or GOMAXPROCS where that is set.
func ServeProcs() int {
	if v, ok := os.LookupEnv("GOMAXPROCS"); ok {
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n > 0 {
			return n
		}
	}
	return ProcsPerCPU * startProcs
}

// startProcs is the runtime's GOMAXPROCS as the process started, before
// any --procs was applied (a test may run `salon serve` more than once).
var startProcs = runtime.GOMAXPROCS(0)

// ParseProcs reads --procs: a whole number of threads from 1 to 1024.
func ParseProcs(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 1 || n > 1024 {
		return 0, fmt.Errorf("want a whole number of threads from 1 to 1024, got %q", s)
	}
	return n, nil
}

// bindProcs registers --procs (SALON_PROCS), the threads that run Go code
// at once (Go's GOMAXPROCS), into *n.
func (e *envFlags) bindProcs(n *int) (after func() error) {
	var s string
	e.string(&s, "procs", "SALON_PROCS", strconv.Itoa(ServeProcs()),
		"threads running Go code at once (GOMAXPROCS); else GOMAXPROCS, else "+strconv.Itoa(ProcsPerCPU)+" per CPU")
	return func() error {
		v, err := ParseProcs(s)
		if err != nil {
			return usageError("--procs: " + err.Error())
		}
		*n = v
		return nil
	}
}
