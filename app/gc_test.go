package app

import (
	"math"
	"os"
	"runtime/debug"
	"strings"
	"testing"
)

func TestParseMemoryLimit(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"128MiB", 128 << 20, true},
		{"1GiB", 1 << 30, true},
		{" 2TiB ", 2 << 40, true},
		{"512KiB", 512 << 10, true},
		{"4096B", 4096, true},
		{"4096", 4096, true},
		{"off", math.MaxInt64, true},
		{"OFF", math.MaxInt64, true},
		{"", 0, false},
		{"MiB", 0, false},
		{"-1MiB", 0, false},
		{"1.5GiB", 0, false},
		{"128MB", 0, false},
		{"128 MiB", 0, false},
		{"9999999TiB", 0, false},
		{"99999999999999999999", 0, false},
	} {
		got, err := ParseMemoryLimit(tc.in)
		if (err == nil) != tc.ok || (tc.ok && got != tc.want) {
			t.Errorf("ParseMemoryLimit(%q) = %d, %v; want %d, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func TestParseGOGC(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
		ok   bool
	}{
		{"400", 400, true}, {"0", 0, true}, {"off", -1, true}, {" 100 ", 100, true},
		{"", 0, false}, {"-5", 0, false}, {"4x", 0, false}, {"1e3", 0, false},
	} {
		got, err := ParseGOGC(tc.in)
		if (err == nil) != tc.ok || (tc.ok && got != tc.want) {
			t.Errorf("ParseGOGC(%q) = %d, %v; want %d, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

// FuzzParseMemoryLimit: any input either fails or gives a positive limit
// that, written back in bytes, parses to itself.
func FuzzParseMemoryLimit(f *testing.F) {
	for _, s := range []string{"128MiB", "off", "1GiB", "7B", "9223372036854775807", "8589934592GiB"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseMemoryLimit(s)
		if err != nil {
			return
		}
		if n < 0 {
			t.Fatalf("%q gave %d", s, n)
		}
		if n == math.MaxInt64 {
			return
		}
		back, err := ParseMemoryLimit(itoa(n))
		if err != nil || back != n {
			t.Fatalf("%q gave %d, which reads back as %d, %v", s, n, back, err)
		}
	})
}

func itoa(n int64) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func TestGCConfig_Apply(t *testing.T) {
	before := debug.SetGCPercent(100)
	beforeLimit := debug.SetMemoryLimit(-1)
	defer func() { debug.SetGCPercent(before); debug.SetMemoryLimit(beforeLimit) }()
	GCConfig{Percent: 250, Limit: 96 << 20}.Apply()
	if got := debug.SetGCPercent(100); got != 250 {
		t.Errorf("GOGC %d, want 250", got)
	}
	if got := debug.SetMemoryLimit(-1); got != 96<<20 {
		t.Errorf("memory limit %d, want %d", got, 96<<20)
	}
}

func TestParseProcs(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
		ok   bool
	}{
		{"1", 1, true}, {" 4 ", 4, true}, {"1024", 1024, true},
		{"0", 0, false}, {"-2", 0, false}, {"1025", 0, false}, {"", 0, false}, {"two", 0, false}, {"2.5", 0, false},
	} {
		got, err := ParseProcs(tc.in)
		if (err == nil) != tc.ok || (tc.ok && got != tc.want) {
			t.Errorf("ParseProcs(%q) = %d, %v; want %d, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

// TestProcsDefault: --procs defaults to ProcsPerCPU per CPU the runtime
// started with, GOMAXPROCS wins where set, and a bad value is bad usage.
func TestProcsDefault(t *testing.T) {
	t.Setenv("GOMAXPROCS", "")
	os.Unsetenv("GOMAXPROCS")
	var c Config
	f := newEnvFlags("salon serve")
	f.bindServe(&c)
	if err := f.parse([]string{"--base-url", "http://localhost:8080"}); err != nil {
		t.Fatal(err)
	}
	if want := ProcsPerCPU * startProcs; c.Procs != want || startProcs < 1 {
		t.Errorf("default --procs %d, want %d", c.Procs, want)
	}
	t.Setenv("GOMAXPROCS", "5")
	f = newEnvFlags("salon serve")
	f.bindServe(&c)
	if err := f.parse(nil); err != nil || c.Procs != 5 {
		t.Errorf("with GOMAXPROCS=5: --procs %d, %v", c.Procs, err)
	}
	f = newEnvFlags("salon serve")
	f.bindServe(&c)
	if err := f.parse([]string{"--procs", "0"}); err == nil || !strings.Contains(err.Error(), "--procs") {
		t.Errorf("--procs 0: %v", err)
	}
}
