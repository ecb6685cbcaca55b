package app

import (
	"fmt"
	"math"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
)

// DefaultGOGC is the garbage collector's target of `salon serve` unless
// --gogc (or GOGC) says otherwise: the heap may grow to 5× what is live
// before a collection, up to DefaultMemoryLimit. An RSVP allocates about
// 10 KB that die at once and the live heap is about 8 MB, so at Go's own
// 100 the collector ran every 880 RSVPs or so, about 20 times a second in
// the RSVP row, and at 400 every 3,750 (GODEBUG=gctrace=1, 127,500 RSVPs
// each; the heap's goal was then 45 MB, under the limit). Measured in
// alternating rounds of the RSVP row (`task bench -- -ab`, 12 rounds each)
// against 100 with a 128 MiB limit: 400 with 72 MiB +7.3% RSVPs/s and -8.9% CPU per RSVP;
// 400 with 128 MiB +6.2-7.9% and -8.1-8.9%, but a peak RSS of 180 MiB
// against 128 MiB, past the 150 MiB target; 200 with 128 MiB +3.6% and
// 152 MiB.
const DefaultGOGC = "400"

// DefaultMemoryLimit is the Go heap's soft limit unless --memory-limit (or
// GOMEMLIMIT) says otherwise: near it the collector runs as often as it
// must, whatever --gogc says, so it bounds what DefaultGOGC lets the heap
// grow to. SQLite's page caches (about 50 MiB at most) come on top of it.
// With 72 MiB the bench's peak RSS was 133 MiB (128 MiB before, with Go's
// 100 and 128 MiB), and 149 MiB with 1,000,000 tickets under load.
const DefaultMemoryLimit = "72MiB"

// GCConfig is how `salon serve` sets Go's garbage collector.
type GCConfig struct {
	// Percent is GOGC's value; -1 turns the collector off but for Limit.
	Percent int
	// Limit is the soft memory limit in bytes; math.MaxInt64 is none.
	Limit int64
}

// bindGC registers --gogc and --memory-limit (SALON_GOGC,
// SALON_MEMORY_LIMIT). Where those are unset, Go's own GOGC and GOMEMLIMIT
// are their defaults, so a value the runtime already read stays in force.
func (e *envFlags) bindGC(c *GCConfig) (after func() error) {
	var percent, limit string
	defPercent, defLimit := DefaultGOGC, DefaultMemoryLimit
	if v, ok := os.LookupEnv("GOGC"); ok {
		defPercent = v
	}
	if v, ok := os.LookupEnv("GOMEMLIMIT"); ok {
		defLimit = v
	}
	e.string(&percent, "gogc", "SALON_GOGC", defPercent, "garbage collector target, percent of live heap, or off; else GOGC, else "+DefaultGOGC)
	e.string(&limit, "memory-limit", "SALON_MEMORY_LIMIT", defLimit, "soft limit of Go's memory, such as 128MiB or 1GiB, or off; else GOMEMLIMIT, else "+DefaultMemoryLimit)
	return func() error {
		var err error
		if c.Percent, err = ParseGOGC(percent); err != nil {
			return usageError("--gogc: " + err.Error())
		}
		if c.Limit, err = ParseMemoryLimit(limit); err != nil {
			return usageError("--memory-limit: " + err.Error())
		}
		return nil
	}
}

// Apply sets the runtime's collector to c.
func (c GCConfig) Apply() {
	debug.SetGCPercent(c.Percent)
	debug.SetMemoryLimit(c.Limit)
}

// ParseGOGC reads a GOGC value: a whole number of percent, or off.
func ParseGOGC(s string) (int, error) {
	s = strings.TrimSpace(s)
	if strings.EqualFold(s, "off") {
		return -1, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("want a whole number of percent or off, got %q", s)
	}
	return n, nil
}

// memoryUnits are GOMEMLIMIT's suffixes, longest first.
var memoryUnits = []struct {
	suffix string
	shift  uint
}{{"TiB", 40}, {"GiB", 30}, {"MiB", 20}, {"KiB", 10}, {"B", 0}}

// ParseMemoryLimit reads a GOMEMLIMIT value, as the Go runtime does: a
// whole number of bytes with an optional B, KiB, MiB, GiB or TiB suffix, or
// off (no limit).
func ParseMemoryLimit(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if strings.EqualFold(s, "off") {
		return math.MaxInt64, nil
	}
	num, shift := s, uint(0)
	for _, u := range memoryUnits {
		if strings.HasSuffix(s, u.suffix) {
			num, shift = strings.TrimSuffix(s, u.suffix), u.shift
			break
		}
	}
	bad := fmt.Errorf("want bytes such as 128MiB or 1GiB, or off, got %q", s)
	if num == "" || strings.TrimLeft(num, "0123456789") != "" {
		return 0, bad
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n > math.MaxInt64>>shift {
		return 0, bad
	}
	return n << shift, nil
}
