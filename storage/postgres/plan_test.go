package postgres_test

import (
	"context"
	"database/sql"
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
	// The feed reads the first ticket with firstTicketOf, and so does an
	// RSVP of a batch run one at a time; a batch in one statement has its
	// own sub-query.
	one, emails := []int64{s.ID}, []string{"new@example.com"}
	texts := []string{""}
	for _, q := range []struct {
		name  string
		query string
		args  []any
	}{
		{"the feed", postgres.FeedQuery, []any{"new@example.com", "new@example.com"}},
		{"one RSVP's ticket", postgres.CreateTicketQuery, []any{s.ID, "Guest", "new@example.com", "", "", "en", "confirmed", []byte{0},
			0, 0, 0, "", "confirmed", s.ID, "new@example.com", "en", "", "m", 0, 0, "new@example.com", "new@example.com"}},
		{"a batch's tickets", postgres.BulkInsertQuery, []any{one, texts, emails, texts, texts, texts, texts, [][]byte{{0}},
			[]int64{0}, texts, texts, texts, texts, 0, 0, 0, 0}},
	} {
		plan := explain(t, conn, q.query, q.args...)
		if strings.Contains(plan, "tickets_pkey") || !strings.Contains(plan, "tickets_email") {
			t.Errorf("%s: the first ticket of an email is not read through tickets_email:\n%s", q.name, plan)
		}
	}
}

// explain returns PostgreSQL's plan of query with args.
func explain(t *testing.T, conn *sql.DB, query string, args ...any) string {
	t.Helper()
	rows, err := conn.QueryContext(context.Background(), `EXPLAIN `+query, args...)
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
	return plan.String()
}
