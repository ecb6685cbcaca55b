package main

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
	"time"
)

// row is one line of the table.
type row struct {
	figure, measured, target, reference, ratio string
	pass                                       bool
	// info marks a row measured for reading the others, with no target.
	info bool
	note string
	// key names the figure across backends: a PostgreSQL row goes right
	// under the SQLite row of the same key (see beside).
	key string
	// value is the row's rate, for the ratio between backends; 0 when the
	// figure is not a rate.
	value float64
	// short, when set, stands for measured where another backend's row
	// names this one as its reference.
	short string
}

// printTable writes the table and returns how many rows missed their target.
func printTable(w io.Writer, rows []row) int {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "figure\tmeasured\ttarget\treference\tratio\tresult\tnote")
	failed := 0
	for _, r := range rows {
		res := "pass"
		if r.info {
			res = "info"
		} else if !r.pass {
			res, failed = "FAIL", failed+1
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.figure, r.measured, r.target, dash(r.reference), dash(r.ratio), res, r.note)
	}
	tw.Flush()
	return failed
}

func dash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func perSec(r float64) string { return commas(int64(r+0.5)) + "/s" }

func ratio(a, b float64) string {
	if b == 0 {
		return ""
	}
	// Floored, not rounded: 3.996 must not print as a passing "4.00×".
	return fmt.Sprintf("%.2f×", math.Floor(a/b*100)/100)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }

func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }

func errNote(o outcome) string {
	if o.errs == 0 {
		return ""
	}
	return trimNote(fmt.Sprintf("%d errors; first: %s", o.errs, strings.ReplaceAll(o.firstErr, "\n", " ")))
}

// commas writes n with thousands separators.
func commas(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + commas(-n)
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
