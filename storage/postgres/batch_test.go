package postgres_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"salon/events"
	"salon/storage"
	"salon/storage/postgres"
	"salon/storage/postgres/pgtest"
	"salon/tickets"
)

// openSQL opens a plain connection pool on url, beside the store, for
// what a test does behind the store's back (locks, triggers, counts).
func openSQL(t *testing.T, url string) *sql.DB {
	t.Helper()
	conn, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// rsvpResult is what one CreateRSVP call answered.
type rsvpResult struct {
	res *storage.RSVPResult
	err error
}

// goRSVP makes an RSVP for email in a goroutine of its own; answers is a
// JSON object or "".
func goRSVP(t *testing.T, ctx context.Context, db storage.Store, slug, email, answers string) <-chan rsvpResult {
	t.Helper()
	in := tickets.RSVPInput{Name: "Guest", Email: email}
	in.Normalize()
	if answers != "" {
		if err := json.Unmarshal([]byte(answers), &in.Answers); err != nil {
			t.Fatal(err)
		}
	}
	out := make(chan rsvpResult, 1)
	go func() {
		res, err := db.CreateRSVP(ctx, storage.RSVPRequest{Slug: slug, Input: in})
		out <- rsvpResult{res, err}
	}()
	return out
}

// eventually fails the test unless cond holds within 10 s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// blockedBy counts the database sessions waiting for a lock that session
// pid holds.
func blockedBy(t *testing.T, conn *sql.DB, pid int) int {
	t.Helper()
	var n int
	if err := conn.QueryRow(`SELECT count(*) FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))`, pid).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// holdSalon locks salon id's row from a transaction of its own, as a
// write of another process would, and returns that session's pid and the
// function that lets go.
func holdSalon(t *testing.T, conn *sql.DB, id int64) (pid int, release func()) {
	t.Helper()
	tx, err := conn.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.QueryRow(`SELECT pg_backend_pid()`).Scan(&pid); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`SELECT 1 FROM salons WHERE id = $1 FOR UPDATE`, id); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	release = func() { once.Do(func() { tx.Rollback() }) }
	t.Cleanup(release)
	return pid, release
}

// batchLog records the batches a store commits.
type batchLog struct {
	mu    sync.Mutex
	sizes []int
	modes []string
}

func (l *batchLog) record(n int, mode string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sizes, l.modes = append(l.sizes, n), append(l.modes, mode)
}

func (l *batchLog) get() ([]int, []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]int(nil), l.sizes...), append([]string(nil), l.modes...)
}

// TestRSVPBatch_FailuresStayAlone: RSVPs gathered into one batch while
// another session holds the salon's lock, each failing in its own way
// (already registered, bad answers, a cancelled salon, no such salon, and
// an SQL error after its ticket and counts were written), are each
// answered their own outcome, and the others of the batch commit with the
// right seats and positions.
func TestRSVPBatch_FailuresStayAlone(t *testing.T) {
	type rsvp struct{ slug, email, answers string }
	const (
		a, b, none = "A", "B", "no-such-salon"
		badAnswers = `{"diet":"Meat"}`
	)
	cases := []struct {
		name string
		// boom makes every outbox INSERT for boom@example.com fail, after
		// its ticket and the salon's counts were written.
		boom  bool
		batch []rsvp
		// want is each email's error code, or the status of its ticket
		// (and its waitlist position).
		want map[string]string
		// wantMode is how the batch ran (see postgres.OnRSVPBatch).
		wantMode string
	}{
		{
			name: "refused in one statement",
			batch: []rsvp{{a, "ok1@example.com", ""}, {a, "bad@example.com", badAnswers}, {b, "closed@example.com", ""},
				{none, "lost@example.com", ""}, {a, "ok2@example.com", `{"diet":"Vegan"}`}},
			want: map[string]string{"ok1@example.com": tickets.StatusConfirmed, "ok2@example.com": "waitlisted 1",
				"bad@example.com": events.EINVALID, "closed@example.com": events.ESALONCANCELLED, "lost@example.com": events.ENOTFOUND},
			wantMode: "bulk",
		},
		{
			// dup has a ticket, which only the RSVPs one by one can answer.
			name: "refused before writing",
			batch: []rsvp{{a, "ok1@example.com", ""}, {a, "dup@example.com", ""}, {a, "bad@example.com", badAnswers},
				{b, "closed@example.com", ""}, {none, "lost@example.com", ""}, {a, "ok2@example.com", `{"diet":"Vegan"}`}},
			want: map[string]string{"ok1@example.com": tickets.StatusConfirmed, "ok2@example.com": "waitlisted 1",
				"dup@example.com": events.EALREADYREGISTERED, "bad@example.com": events.EINVALID,
				"closed@example.com": events.ESALONCANCELLED, "lost@example.com": events.ENOTFOUND},
			wantMode: "one by one",
		},
		{
			name: "failed after writing",
			boom: true,
			// boom takes the last seat before it fails: ok1 gets that seat
			// only if the batch forgot boom's counts with its writes; boom2
			// takes waitlist position 2 before it fails, and ok3 gets it
			// only if the batch forgot that position too.
			batch: []rsvp{{a, "boom@example.com", ""}, {a, "ok1@example.com", ""}, {a, "dup@example.com", ""},
				{a, "bad@example.com", badAnswers}, {b, "closed@example.com", ""}, {a, "ok2@example.com", ""},
				{a, "boom2@example.com", ""}, {a, "ok3@example.com", ""}},
			want: map[string]string{"boom@example.com": events.EINTERNAL, "ok1@example.com": tickets.StatusConfirmed,
				"ok2@example.com": "waitlisted 1", "dup@example.com": events.EALREADYREGISTERED,
				"bad@example.com": events.EINVALID, "closed@example.com": events.ESALONCANCELLED,
				"boom2@example.com": events.EINTERNAL, "ok3@example.com": "waitlisted 2"},
			wantMode: "savepoints",
		},
		{
			// The same without dup: the one statement fails, the batch
			// runs one by one, fails again, and runs with savepoints.
			name: "failed in one statement",
			boom: true,
			batch: []rsvp{{a, "boom@example.com", ""}, {a, "ok1@example.com", ""}, {a, "bad@example.com", badAnswers},
				{b, "closed@example.com", ""}, {a, "ok2@example.com", ""}, {a, "boom2@example.com", ""}, {a, "ok3@example.com", ""}},
			want: map[string]string{"boom@example.com": events.EINTERNAL, "ok1@example.com": tickets.StatusConfirmed,
				"ok2@example.com": "waitlisted 1", "bad@example.com": events.EINVALID, "closed@example.com": events.ESALONCANCELLED,
				"boom2@example.com": events.EINTERNAL, "ok3@example.com": "waitlisted 2"},
			wantMode: "savepoints",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			u := pgtest.URL(t)
			db := openDB(t, u)
			conn := openSQL(t, u)
			postgres.SetRSVPLanes(db, 1)
			var log batchLog
			postgres.OnRSVPBatch(db, log.record)
			if tc.boom {
				if _, err := conn.Exec(`CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$
					BEGIN IF NEW.recipient LIKE 'boom%' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$;
					CREATE TRIGGER boom BEFORE INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION boom()`); err != nil {
					t.Fatal(err)
				}
			}
			sa := createSalon(t, db, 3)
			qs := []events.Question{{ID: "diet", Label: "Diet", Type: events.QuestionChoice, Options: []string{"None", "Vegan"}}}
			if _, err := db.UpdateSalon(ctx, sa.ID, events.SalonUpdate{Questions: &qs}); err != nil {
				t.Fatal(err)
			}
			sb := createSalon(t, db, 3)
			cancelled := events.StatusCancelled
			if _, err := db.UpdateSalon(ctx, sb.ID, events.SalonUpdate{Status: &cancelled}); err != nil {
				t.Fatal(err)
			}
			slugs := map[string]string{a: sa.Slug, b: sb.Slug, none: "no-such-salon"}
			if r := <-goRSVP(t, ctx, db, sa.Slug, "dup@example.com", ""); r.err != nil {
				t.Fatal(r.err)
			}
			// The first RSVP is taken into a batch that waits for the
			// salon's lock; the rest queue behind it, in this order.
			pid, release := holdSalon(t, conn, sa.ID)
			first := goRSVP(t, ctx, db, sa.Slug, "first@example.com", "")
			eventually(t, "the first batch to wait for the lock", func() bool { return blockedBy(t, conn, pid) == 1 })
			answers := map[string]<-chan rsvpResult{}
			for i, r := range tc.batch {
				answers[r.email] = goRSVP(t, ctx, db, slugs[r.slug], r.email, r.answers)
				eventually(t, "the RSVP to queue", func() bool { return postgres.QueuedRSVPs(db) == i+1 })
			}
			release()
			if r := <-first; r.err != nil {
				t.Fatal(r.err)
			}
			wantTickets := map[string]string{"dup@example.com": tickets.StatusConfirmed, "first@example.com": tickets.StatusConfirmed}
			wantKinds := map[string]int{"dup@example.com " + tickets.NoticeConfirmed: 1, "first@example.com " + tickets.NoticeConfirmed: 1}
			if _, ok := tc.want["dup@example.com"]; ok {
				wantKinds["dup@example.com "+tickets.NoticeAlreadyRegistered] = 1
			}
			waitlisted := 0
			for email, want := range tc.want {
				r := <-answers[email]
				status, pos, isTicket := strings.Cut(want, " ")
				if want == tickets.StatusConfirmed {
					isTicket = true
				}
				switch {
				case isTicket:
					wantTickets[email] = status
					wantKinds[email+" "+tickets.NoticeFor(status)] = 1
					if status == tickets.StatusWaitlisted {
						waitlisted++
					}
					if r.err != nil || r.res.Ticket.Status != status || (pos != "" && fmt.Sprint(r.res.Ticket.WaitlistPosition) != pos) {
						t.Errorf("%s: %+v, %v; want a ticket %s", email, r.res, r.err, want)
					}
				case events.ErrorCode(r.err) != want:
					t.Errorf("%s: %+v, %v; want %s", email, r.res, r.err, want)
				}
			}
			sizes, modes := log.get()
			if len(sizes) != 3 || sizes[2] != len(tc.batch) || modes[2] != tc.wantMode {
				t.Fatalf("batches %v (%q), want the last of 3 to hold %d, run %q", sizes, modes, len(tc.batch), tc.wantMode)
			}
			all, err := db.FindTickets(ctx, storage.TicketFilter{SalonID: sa.ID})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, tk := range all {
				got[tk.Email] = tk.Status
			}
			if fmt.Sprint(got) != fmt.Sprint(wantTickets) {
				t.Fatalf("tickets %v, want %v", got, wantTickets)
			}
			s, err := db.FindSalonByID(ctx, sa.ID)
			if err != nil || s.Confirmed != 3 || s.Waitlisted != waitlisted {
				t.Fatalf("salon counts %d/%d, want 3/%d (%v)", s.Confirmed, s.Waitlisted, waitlisted, err)
			}
			kinds := map[string]int{}
			msgs, err := db.FindMessages(ctx, storage.OutboxFilter{SalonID: sa.ID})
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range msgs {
				kinds[m.Recipient+" "+m.Kind]++
			}
			if fmt.Sprint(kinds) != fmt.Sprint(wantKinds) {
				t.Fatalf("outbox %v, want %v", kinds, wantKinds)
			}
		})
	}
}

// holdCommits makes every commit that inserted a ticket wait, at COMMIT,
// for an advisory lock that a session of the test holds (a deferred
// constraint trigger runs at commit), and returns that session's pid and
// the function that lets the commits go.
func holdCommits(t *testing.T, conn *sql.DB) (pid int, release func()) {
	t.Helper()
	const key = 1818
	if _, err := conn.Exec(`CREATE FUNCTION hold_commit() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN PERFORM pg_advisory_xact_lock_shared(1818); RETURN NULL; END $$;
		CREATE CONSTRAINT TRIGGER hold_commit AFTER INSERT ON tickets DEFERRABLE INITIALLY DEFERRED
		FOR EACH ROW EXECUTE FUNCTION hold_commit()`); err != nil {
		t.Fatal(err)
	}
	c, err := conn.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := c.QueryRowContext(context.Background(), `SELECT pg_backend_pid()`).Scan(&pid); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ExecContext(context.Background(), `SELECT pg_advisory_lock($1)`, key); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	release = func() {
		once.Do(func() {
			c.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1)`, key)
			c.Close()
		})
	}
	t.Cleanup(release)
	return pid, release
}

// TestRSVPBatch_AnsweredAfterCommit: while a batch's COMMIT is held, none
// of its callers is answered, not even one whose context was cancelled
// meanwhile, and nothing of it is visible; once the commit goes through,
// every caller gets its ticket, the cancelled one too.
func TestRSVPBatch_AnsweredAfterCommit(t *testing.T) {
	ctx := context.Background()
	u := pgtest.URL(t)
	db := openDB(t, u)
	conn := openSQL(t, u)
	s := createSalon(t, db, 10)
	pid, release := holdCommits(t, conn)
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	answers := []<-chan rsvpResult{goRSVP(t, cctx, db, s.Slug, "cancelled@example.com", "")}
	eventually(t, "the commit to wait", func() bool { return blockedBy(t, conn, pid) == 1 })
	// More RSVPs gather behind the held commit, into the next batch.
	for i := 0; i < 5; i++ {
		answers = append(answers, goRSVP(t, ctx, db, s.Slug, fmt.Sprintf("g%d@example.com", i), ""))
	}
	eventually(t, "the RSVPs to queue", func() bool { return postgres.QueuedRSVPs(db) == 5 })
	cancel()
	time.Sleep(200 * time.Millisecond)
	for i, a := range answers {
		select {
		case r := <-a:
			t.Fatalf("RSVP %d answered before its commit: %+v, %v", i, r.res, r.err)
		default:
		}
	}
	var n int
	if err := conn.QueryRow(`SELECT count(*) FROM tickets WHERE salon_id = $1`, s.ID).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d tickets visible before the commit (%v)", n, err)
	}
	release()
	for i, a := range answers {
		r := <-a
		if r.err != nil || r.res.Ticket.Status != tickets.StatusConfirmed {
			t.Fatalf("RSVP %d: %+v, %v; want a confirmed ticket", i, r.res, r.err)
		}
	}
	if err := conn.QueryRow(`SELECT count(*) FROM tickets WHERE salon_id = $1`, s.ID).Scan(&n); err != nil || n != 6 {
		t.Fatalf("%d tickets after the commit, want 6 (%v)", n, err)
	}
}

// TestRSVPBatch_CancelledWhileQueued: a caller whose context ends while
// its RSVP still waits for a batch is answered at once with the context's
// error, and its RSVP never runs.
func TestRSVPBatch_CancelledWhileQueued(t *testing.T) {
	ctx := context.Background()
	u := pgtest.URL(t)
	db := openDB(t, u)
	conn := openSQL(t, u)
	s := createSalon(t, db, 10)
	pid, release := holdSalon(t, conn, s.ID)
	first := goRSVP(t, ctx, db, s.Slug, "first@example.com", "")
	eventually(t, "the first batch to wait for the lock", func() bool { return blockedBy(t, conn, pid) == 1 })
	cctx, cancel := context.WithCancel(ctx)
	gone := goRSVP(t, cctx, db, s.Slug, "gone@example.com", "")
	eventually(t, "the RSVP to queue", func() bool { return postgres.QueuedRSVPs(db) == 1 })
	cancel()
	select {
	case r := <-gone:
		if !errors.Is(r.err, context.Canceled) {
			t.Fatalf("cancelled RSVP: %+v, %v; want context.Canceled", r.res, r.err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a cancelled RSVP waited for the batch before it")
	}
	release()
	if r := <-first; r.err != nil {
		t.Fatal(r.err)
	}
	// One more RSVP runs the lane past the cancelled one.
	if r := <-goRSVP(t, ctx, db, s.Slug, "after@example.com", ""); r.err != nil {
		t.Fatal(r.err)
	}
	var n int
	if err := conn.QueryRow(`SELECT count(*) FROM tickets WHERE email = 'gone@example.com'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("the cancelled RSVP ran: %d tickets (%v)", n, err)
	}
	got, _ := db.FindSalonByID(ctx, s.ID)
	if got.Confirmed != 2 {
		t.Fatalf("confirmed %d, want 2", got.Confirmed)
	}
}

// TestRSVPBatch_Webhooks: a batch of RSVPs for three salons queues each
// rsvp.created delivery for the salon's organizer's webhook and every
// admin's, and none for another organizer's, a disabled organizer's, or a
// webhook of another event.
func TestRSVPBatch_Webhooks(t *testing.T) {
	ctx := context.Background()
	u := pgtest.URL(t)
	db := openDB(t, u)
	conn := openSQL(t, u)
	postgres.SetRSVPLanes(db, 1)
	var log batchLog
	postgres.OnRSVPBatch(db, log.record)
	user := func(email, role string) int64 {
		u := &events.User{Email: email, Role: role}
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		return u.ID
	}
	hook := func(owner int64, ev string) int64 {
		w := &storage.Webhook{UserID: owner, URL: fmt.Sprintf("https://hooks.example.com/%d", owner), Events: []string{ev}, Secret: "whsec_dGVzdA=="}
		if err := db.CreateWebhook(ctx, w); err != nil {
			t.Fatal(err)
		}
		return w.ID
	}
	salon := func(organizer int64) *events.Salon {
		start := time.Now().Add(7 * 24 * time.Hour).Truncate(time.Minute)
		s := &events.Salon{Title: "Hooks", Industry: "fintech", StartsAt: start, EndsAt: start.Add(2 * time.Hour),
			Capacity: 10, Status: events.StatusPublished, OrganizerID: organizer}
		if err := db.CreateSalon(ctx, s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	orgA, orgB, orgC := user("a@example.com", events.RoleOrganizer), user("b@example.com", events.RoleOrganizer), user("c@example.com", events.RoleOrganizer)
	admin := user("admin@example.com", events.RoleAdmin)
	hA, hB, hC, hAdmin := hook(orgA, storage.EventRSVPCreated), hook(orgB, storage.EventRSVPCreated), hook(orgC, storage.EventRSVPCreated), hook(admin, storage.EventRSVPCreated)
	hOther := hook(orgA, storage.EventSalonChanged)
	if _, err := conn.Exec(`UPDATE users SET disabled_at = 1 WHERE id = $1`, orgC); err != nil {
		t.Fatal(err)
	}
	sa, sb, sc := salon(orgA), salon(orgB), salon(orgC)
	pid, release := holdSalon(t, conn, sa.ID)
	answers := []<-chan rsvpResult{goRSVP(t, ctx, db, sa.Slug, "first@example.com", "")}
	eventually(t, "the first batch to wait for the lock", func() bool { return blockedBy(t, conn, pid) == 1 })
	for i, slug := range []string{sa.Slug, sb.Slug, sa.Slug, sc.Slug} {
		answers = append(answers, goRSVP(t, ctx, db, slug, fmt.Sprintf("g%d@example.com", i), ""))
		eventually(t, "the RSVP to queue", func() bool { return postgres.QueuedRSVPs(db) == i+1 })
	}
	release()
	for i, a := range answers {
		if r := <-a; r.err != nil {
			t.Fatalf("RSVP %d: %v", i, r.err)
		}
	}
	if sizes, _ := log.get(); fmt.Sprint(sizes) != "[1 4]" {
		t.Fatalf("batches %v, want [1 4]", sizes)
	}
	for _, c := range []struct {
		name       string
		hook       int64
		deliveries int
	}{{"salon A's organizer", hA, 3}, {"salon B's organizer", hB, 1}, {"a disabled organizer", hC, 0},
		{"an admin", hAdmin, 5}, {"another event", hOther, 0}} {
		ds, err := db.FindDeliveries(ctx, c.hook, 0)
		if err != nil || len(ds) != c.deliveries {
			t.Errorf("%s's webhook: %d deliveries (%v), want %d", c.name, len(ds), err, c.deliveries)
		}
	}
}

// TestRSVPBatch_FeedTokens: in one batch, an email RSVPing to two salons
// gets one feed token for both, and an email with a ticket from before
// keeps the token of that ticket: each the token FeedToken gives.
func TestRSVPBatch_FeedTokens(t *testing.T) {
	ctx := context.Background()
	u := pgtest.URL(t)
	db := openDB(t, u)
	conn := openSQL(t, u)
	postgres.SetRSVPLanes(db, 1)
	var log batchLog
	postgres.OnRSVPBatch(db, log.record)
	sa, sb, sc := createSalon(t, db, 5), createSalon(t, db, 5), createSalon(t, db, 5)
	if r := <-goRSVP(t, ctx, db, sc.Slug, "old@example.com", ""); r.err != nil {
		t.Fatal(r.err)
	}
	pid, release := holdSalon(t, conn, sa.ID)
	first := goRSVP(t, ctx, db, sa.Slug, "first@example.com", "")
	eventually(t, "the first batch to wait for the lock", func() bool { return blockedBy(t, conn, pid) == 1 })
	var answers []<-chan rsvpResult
	for i, r := range []struct{ slug, email string }{{sa.Slug, "new@example.com"}, {sb.Slug, "new@example.com"},
		{sa.Slug, "old@example.com"}, {sb.Slug, "old@example.com"}} {
		answers = append(answers, goRSVP(t, ctx, db, r.slug, r.email, ""))
		eventually(t, "the RSVP to queue", func() bool { return postgres.QueuedRSVPs(db) == i+1 })
	}
	release()
	if r := <-first; r.err != nil {
		t.Fatal(r.err)
	}
	var got []string
	for i, a := range answers {
		r := <-a
		if r.err != nil {
			t.Fatalf("RSVP %d: %v", i, r.err)
		}
		got = append(got, r.res.FeedToken)
	}
	if _, modes := log.get(); fmt.Sprint(modes) != "[bulk bulk bulk]" {
		t.Fatalf("batches ran %q, want each in one statement", modes)
	}
	newToken, err := db.FeedToken(ctx, "new@example.com")
	if err != nil {
		t.Fatal(err)
	}
	oldToken, err := db.FeedToken(ctx, "old@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{newToken, newToken, oldToken, oldToken}; fmt.Sprint(got) != fmt.Sprint(want) || newToken == oldToken {
		t.Fatalf("feed tokens %q, want %q", got, want)
	}
}

// TestRSVPBatch_CountsRefused: when the salon row refuses the batch's
// counts written at once (here a trigger that lets the waitlist grow by
// one per UPDATE at most), the batch runs again with each RSVP's counts
// written on their own, and every RSVP gets its seat or place.
func TestRSVPBatch_CountsRefused(t *testing.T) {
	ctx := context.Background()
	u := pgtest.URL(t)
	db := openDB(t, u)
	conn := openSQL(t, u)
	postgres.SetRSVPLanes(db, 1)
	var log batchLog
	postgres.OnRSVPBatch(db, log.record)
	s := createSalon(t, db, 2)
	if _, err := conn.Exec(`CREATE FUNCTION one_at_a_time() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN IF NEW.waitlisted > OLD.waitlisted + 1 THEN RAISE EXCEPTION 'one at a time'; END IF; RETURN NEW; END $$;
		CREATE TRIGGER one_at_a_time BEFORE UPDATE ON salons FOR EACH ROW EXECUTE FUNCTION one_at_a_time()`); err != nil {
		t.Fatal(err)
	}
	pid, release := holdSalon(t, conn, s.ID)
	first := goRSVP(t, ctx, db, s.Slug, "first@example.com", "")
	eventually(t, "the first batch to wait for the lock", func() bool { return blockedBy(t, conn, pid) == 1 })
	var answers []<-chan rsvpResult
	for i := 0; i < 4; i++ {
		answers = append(answers, goRSVP(t, ctx, db, s.Slug, fmt.Sprintf("g%d@example.com", i), ""))
		eventually(t, "the RSVP to queue", func() bool { return postgres.QueuedRSVPs(db) == i+1 })
	}
	release()
	if r := <-first; r.err != nil {
		t.Fatal(r.err)
	}
	var got []string
	for i, a := range answers {
		r := <-a
		if r.err != nil {
			t.Fatalf("RSVP %d: %v", i, r.err)
		}
		got = append(got, fmt.Sprintf("%s %d", r.res.Ticket.Status, r.res.Ticket.WaitlistPosition))
	}
	if want := "[confirmed 0 waitlisted 1 waitlisted 2 waitlisted 3]"; fmt.Sprint(got) != want {
		t.Fatalf("answers %v, want %s", got, want)
	}
	if _, modes := log.get(); fmt.Sprint(modes) != "[bulk savepoints]" {
		t.Fatalf("batches ran %q, want the second with savepoints", modes)
	}
	if got, err := db.FindSalonByID(ctx, s.ID); err != nil || got.Confirmed != 2 || got.Waitlisted != 3 {
		t.Fatalf("salon counts %d/%d (%v), want 2/3", got.Confirmed, got.Waitlisted, err)
	}
}
