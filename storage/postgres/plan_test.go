package postgres_test

import (
	"context"
	"strings"
	"testing"

	"salon/storage/postgres"
	"salon/storage/postgres/pgtest"
)

// TestFirstTicketPlan_WithoutStatistics: with tickets grown but not yet
// analyzed (a new database under its first load), finding an email's
// first ticket reads the index on email, not the whole primary key: with
// MIN(id) PostgreSQL walked the primary key for a new email, so each RSVP
// cost a scan of every ticket stored, and RSVPs/s fell to a few hundred.
func TestFirstTicketPlan_WithoutStatistics(t *testing.T) {
	ctx := context.Background()
	u := pgtest.URL(t)
	db := openDB(t, u)
	conn := openSQL(t, u)
	s := createSalon(t, db, 10)
	if _, err := conn.ExecContext(ctx, `ALTER TABLE tickets SET (autovacuum_enabled = off)`); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, `INSERT INTO tickets (salon_id, name, email, status, token_salt, created_at, updated_at)
		SELECT $1, 'Guest', 'g' || g || '@example.com', 'cancelled', '\x00', 0, 0 FROM generate_series(1, 20000) g`, s.ID); err != nil {
		t.Fatal(err)
	}
	rows, err := conn.QueryContext(ctx, `EXPLAIN `+postgres.FeedQuery, "new@example.com", "new@example.com")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan strings.Builder
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		plan.WriteString(line + "\n")
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(plan.String(), "tickets_pkey") || !strings.Contains(plan.String(), "tickets_email") {
		t.Fatalf("the first ticket of an email is not read through tickets_email:\n%s", plan.String())
	}
}
