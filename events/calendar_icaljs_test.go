package events

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestICalJS checks every golden calendar with ical.js, a parser that shares
// no code with ours or golang-ical's: no parse error or warning, the text
// reads back exactly, and DTSTART/DTEND resolve through the file's own
// VTIMEZONE to the right UTC instants. It needs node; it installs ical.js from the pinned lock
// file when missing.
func TestICalJS(t *testing.T) {
	if os.Getenv("SALON_SKIP_NODE") == "1" {
		t.Skip("SALON_SKIP_NODE=1")
	}
	// CI sets SALON_REQUIRE_NODE=1 so a missing install fails there; on a
	// machine with only Go the test skips and says why.
	require := os.Getenv("SALON_REQUIRE_NODE") == "1"
	node, err := exec.LookPath("node")
	if err != nil {
		if require {
			t.Fatal("node not found; install Node.js 20+")
		}
		t.Skip("node not found: the independent ical.js check needs Node.js 20+")
	}
	dir, err := filepath.Abs(filepath.Join("testdata", "icaljs"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "ical.js", "package.json")); err != nil {
		// Set ourselves up from the pinned lock file, as CI does.
		npm, err := exec.LookPath("npm")
		if err != nil {
			t.Fatal("ical.js not installed and npm not found; run: npm ci --prefix events/testdata/icaljs")
		}
		cmd := exec.Command(npm, "ci", "--no-audit", "--no-fund")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("npm ci in %s: %v\n%s", dir, err, out)
		}
	}

	type fileWant struct {
		File   string      `json:"file"`
		Events []wantEvent `json:"events"`
	}
	tmp := t.TempDir()
	var files []fileWant
	for _, tc := range goldenCases() {
		// The bodies rendered now, not the golden files, so a stale golden
		// file cannot hide a regression (TestCalendarGolden compares them).
		path := filepath.Join(tmp, tc.name+".ics")
		if err := os.WriteFile(path, tc.body, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, fileWant{File: path, Events: tc.events})
	}
	for _, extra := range icaljsExtraCases() {
		path := filepath.Join(tmp, extra.name+".ics")
		if err := os.WriteFile(path, extra.body, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, fileWant{File: path, Events: extra.events})
	}
	expect, err := json.Marshal(files)
	if err != nil {
		t.Fatal(err)
	}
	expectPath := filepath.Join(tmp, "expectations.json")
	if err := os.WriteFile(expectPath, expect, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, "check.js", expectPath)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("ical.js check failed: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}

// icaljsExtraCases are calendars worth a second parser's opinion that need
// no golden file: the repeated hour when DST ends, a zone west of UTC and
// one many years ahead.
func icaljsExtraCases() []goldenCase {
	first := berlinSalon()
	first.ID, first.Slug = 60, "first-half-past-two"
	first.StartsAt = mustTime("2026-10-25T02:30:00+02:00") // the first 02:30
	first.EndsAt = mustTime("2026-10-25T02:30:00+01:00")   // the second 02:30
	ny := fintechSalon()
	ny.ID, ny.Slug, ny.Timezone = 61, "new-york", "America/New_York"
	ny.StartsAt = mustTime("2027-03-14T01:30:00-05:00")
	ny.EndsAt = mustTime("2027-03-14T03:30:00-04:00")
	far := berlinSalon()
	far.ID, far.Slug = 62, "far-future"
	far.StartsAt = mustTime("2031-07-01T18:00:00+02:00")
	far.EndsAt = mustTime("2031-07-01T20:00:00+02:00")
	return []goldenCase{{
		name:   "extra",
		body:   FeedCalendar("extra", []FeedEntry{{Salon: first}, {Salon: ny}, {Salon: far}}, testCalOpts),
		events: []wantEvent{want(first, "CONFIRMED", 1), want(ny, "CONFIRMED", 0), want(far, "CONFIRMED", 1)},
	}}
}
