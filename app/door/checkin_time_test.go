package door_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"salon/app/internal/apptest"
)

// TestCheckin_ScannedAt: an online check-in is recorded at the server's
// time whatever the device says; an offline upload keeps its scan time
// within 24 hours back and a few minutes of clock skew ahead.
func TestCheckin_ScannedAt(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon(`"capacity":20`)
	path := "/api/v1/salons/" + slug + "/checkins"
	ctx := context.Background()
	sa, _ := ta.DB.FindSalonBySlug(ctx, slug)
	at := func(d time.Duration) string { return time.Now().Add(d).UTC().Format(time.RFC3339) }
	for i, tc := range []struct {
		name      string
		scannedAt string
		offline   bool
		status    int
		want      time.Duration // checked_in_at from now, when accepted
	}{
		{"online, an hour ago", at(-time.Hour), false, 200, 0},
		{"online, a week ago", at(-7 * 24 * time.Hour), false, 200, 0},
		{"online, tomorrow", at(24 * time.Hour), false, 200, 0},
		{"offline, an hour ago", at(-time.Hour), true, 200, -time.Hour},
		{"offline, 23 hours ago", at(-23 * time.Hour), true, 200, -23 * time.Hour},
		{"offline, 25 hours ago", at(-25 * time.Hour), true, 422, 0},
		{"offline, a minute ahead", at(time.Minute), true, 200, 0},
		{"offline, an hour ahead", at(time.Hour), true, 422, 0},
		{"offline, no time", "", true, 200, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, tk := ta.RSVPToken(slug, "t"+strconv.Itoa(i)+"@example.com")
			body := `{"code":"` + tk["code"].(string) + `","offline":` + map[bool]string{true: "true", false: "false"}[tc.offline]
			if tc.scannedAt != "" {
				body += `,"scanned_at":"` + tc.scannedAt + `"`
			}
			before, _ := ta.DB.FindScans(ctx, sa.ID)
			s, out := ta.JSON("POST", path, ta.Staff, body+"}")
			if s != tc.status {
				t.Fatalf("%d %v", s, out)
			}
			after, _ := ta.DB.FindScans(ctx, sa.ID)
			if s == 422 {
				e, _ := out["error"].(map[string]any)
				fields, _ := e["fields"].(map[string]any)
				if apptest.ErrCode(out) != "invalid" || fields["scanned_at"] == nil || len(after) != len(before) {
					t.Fatalf("out of bounds: %v, scans %d -> %d", out, len(before), len(after))
				}
				return
			}
			got, err := time.Parse(time.RFC3339, out["checked_in_at"].(string))
			if err != nil {
				t.Fatal(err)
			}
			if d := got.Sub(time.Now().Add(tc.want)); d < -5*time.Second || d > 5*time.Second {
				t.Fatalf("checked in at %v, want about now%+v", got, tc.want)
			}
		})
	}
}
