package sqlite

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"salon/events"
	"salon/storage"
)

// TestQueryPlans checks that the per-salon, per-email and waitlist queries
// find their rows through an index rather than reading every ticket, with
// the indexes migration 0005 left (one per salon, one per email, a partial
// one for the waitlist), and that a salon's counts are found by its id. A
// full scan here would not show in small tests,
// only as pages slowing down with a big database.
func TestQueryPlans(t *testing.T) {
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "salon.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	type query struct {
		sql  string
		args []any
	}
	plain := map[string]string{
		"waitlist":   waitlistQuery,
		"notify":     notifyQuery,
		"reminders":  remindersQuery,
		"due":        remindersDueQuery,
		"resends":    lastResendQuery,
		"feed":       feedQuery,
		"resend":     resendQuery,
		"retention":  eraseEndedQuery,
		"party":      waitingPartyQuery,
		"rsvp salon": rsvpSalonColumns,
		"salon":      salonByID,
	}
	queries := map[string]query{}
	for name, q := range plain {
		args := make([]any, strings.Count(q, "?"))
		for i := range args {
			args[i] = 1
		}
		queries[name] = query{q, args}
	}
	for name, f := range map[string]storage.TicketFilter{
		"salon":            {SalonID: 1},
		"salon waitlisted": {SalonID: 1, Status: "waitlisted"},
		"salon confirmed":  {SalonID: 1, Status: "confirmed"},
		"salon search":     {SalonID: 1, Q: "ana"},
		"salon page":       {SalonID: 1, After: 500, Limit: 100},
		"email":            {Email: "a@example.com"},
	} {
		q, args := ticketsQuery(f)
		queries["tickets: "+name] = query{q, args}
	}
	// The listing: published salons not yet ended, soonest first.
	now := time.Now()
	q, args := salonsQuery(events.SalonFilter{Statuses: []string{events.StatusPublished}, From: &now, Limit: 20})
	queries["listing"] = query{q, args}
	for name, q := range queries {
		rows, err := db.write.Query(`EXPLAIN QUERY PLAN `+q.sql, q.args...)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, notused int
			var detail string
			if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		t.Logf("%s:\n  %s", name, strings.Join(plan, "\n  "))
		for _, step := range plan {
			// "SCAN s" over salons is fine (a few thousand rows at most);
			// any scan of tickets is not.
			// A salon's pages come in id order from the index: a sort
			// would read the whole salon for every page.
			if strings.HasPrefix(name, "tickets: salon") && strings.Contains(step, "TEMP B-TREE") {
				t.Errorf("%s sorts the salon's tickets for each page:\n%s", name, strings.Join(plan, "\n"))
			}
			// A salon's counts are one lookup by its id (migration 0022),
			// and salons stay the outer loop, in their listing index.
			if name == "listing" && strings.HasPrefix(step, "SCAN salon_counts") {
				t.Errorf("the listing reads every salon's counts:\n%s", strings.Join(plan, "\n"))
			}
			if strings.Contains(step, "salon_counts") && !strings.Contains(step, "INTEGER PRIMARY KEY") {
				t.Errorf("%s does not find the salon's counts by its id:\n%s", name, strings.Join(plan, "\n"))
			}
			if strings.HasPrefix(step, "SCAN t ") || step == "SCAN t" || strings.HasPrefix(step, "SCAN tickets") || strings.HasPrefix(step, "SCAN w") {
				t.Errorf("%s reads every ticket:\n%s", name, strings.Join(plan, "\n"))
			}
		}
	}
}
