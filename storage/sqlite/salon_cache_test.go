package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	"salon/events"
	"salon/storage"
	"salon/tickets"
)

func cacheSalon(t testing.TB, db *DB, capacity int) *events.Salon {
	t.Helper()
	start := time.Now().Add(7 * 24 * time.Hour).Truncate(time.Minute)
	s := &events.Salon{Title: "Cache", Industry: "fintech", StartsAt: start, EndsAt: start.Add(2 * time.Hour),
		Capacity: capacity, Waitlist: true, Status: events.StatusPublished}
	if err := db.CreateSalon(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	return s
}

// queueRSVP calls CreateRSVP on a goroutine of its own and returns once the
// write is queued (the writer being held).
func queueRSVP(db *DB, slug, email string) <-chan rsvpAnswer {
	n := len(db.jobs)
	ch := make(chan rsvpAnswer, 1)
	go func() { ch <- rsvpNow(db, slug, email) }()
	for len(db.jobs) <= n {
		time.Sleep(time.Millisecond)
	}
	return ch
}

func rsvpNow(db *DB, slug, email string) rsvpAnswer {
	in := tickets.RSVPInput{Name: "Guest", Email: email}
	in.Normalize()
	res, err := db.CreateRSVP(context.Background(), storage.RSVPRequest{Slug: slug, Input: in})
	return rsvpAnswer{res, err}
}

type rsvpAnswer struct {
	res *storage.RSVPResult
	err error
}

func (a rsvpAnswer) status(t *testing.T) string {
	t.Helper()
	if a.err != nil {
		t.Fatalf("RSVP: %v", a.err)
	}
	return fmt.Sprintf("%s %d", a.res.Ticket.Status, a.res.Ticket.WaitlistPosition)
}

// ticketCounts fails unless the salon's stored counts are its tickets', and
// returns them.
func ticketCounts(t *testing.T, db *DB, s *events.Salon) (c, w int) {
	t.Helper()
	ctx := context.Background()
	got, err := db.FindSalonByID(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.read.QueryRowContext(ctx, `SELECT COALESCE(SUM(status = 'confirmed'), 0), COALESCE(SUM(status = 'waitlisted'), 0)
		FROM tickets WHERE salon_id = ?`, s.ID).Scan(&c, &w); err != nil {
		t.Fatal(err)
	}
	if got.Confirmed != c || got.Waitlisted != w {
		t.Fatalf("salon %d counts %d confirmed, %d waitlisted; its tickets %d, %d", s.ID, got.Confirmed, got.Waitlisted, c, w)
	}
	return c, w
}

// checkCounts fails unless the salon's stored counts are its tickets' and
// those are confirmed and waitlisted.
func checkCounts(t *testing.T, db *DB, s *events.Salon, confirmed, waitlisted int) {
	t.Helper()
	c, w := ticketCounts(t, db, s)
	if c != confirmed || w != waitlisted {
		t.Fatalf("%d confirmed, %d waitlisted; want %d, %d", c, w, confirmed, waitlisted)
	}
}

// TestSalonCache_OtherWritesInTheBatch: in one batch, RSVPs (which count
// seats in the writer's cache) and other writes of the same salon (which
// read and change it in the database) each see the others' changes in
// order: a write after two RSVPs reads their counts, a capacity cut between
// RSVPs holds for the RSVP after it, and a cancellation frees its seat for
// the waitlist. The stored counts are the tickets' at the end.
func TestSalonCache_OtherWritesInTheBatch(t *testing.T) {
	for _, savepoints := range []bool{false, true} {
		t.Run(fmt.Sprintf("savepoints=%v", savepoints), func(t *testing.T) {
			ctx := context.Background()
			db := openWith(t, filepath.Join(t.TempDir(), "salon.db"), options{savepoints: savepoints})
			s := cacheSalon(t, db, 3)
			// Fill the cache before the batch.
			if got := rsvpNow(db, s.Slug, "first@example.com").status(t); got != "confirmed 0" {
				t.Fatalf("first: %s", got)
			}

			release := holdWriter(t, db)
			a := queueRSVP(db, s.Slug, "a@example.com")
			var seen int
			read := queueWrite(db, ctx, func(tx *Tx) error {
				return tx.QueryRowContext(ctx, `SELECT confirmed FROM salon_counts WHERE salon_id = ?`, s.ID).Scan(&seen)
			})
			cut := queueWrite(db, ctx, func(tx *Tx) error {
				_, err := tx.ExecContext(ctx, `UPDATE salons SET capacity = 2 WHERE id = ?`, s.ID)
				return err
			})
			b := queueRSVP(db, s.Slug, "b@example.com")
			c := queueRSVP(db, s.Slug, "c@example.com")
			release()
			if err := <-read; err != nil {
				t.Fatal(err)
			}
			if err := <-cut; err != nil {
				t.Fatal(err)
			}
			if seen != 2 {
				t.Errorf("a write after two RSVPs read %d confirmed, want 2", seen)
			}
			if got := (<-a).status(t); got != "confirmed 0" {
				t.Errorf("a: %s", got)
			}
			// In arrival order: b first in line, c second.
			if got := (<-b).status(t); got != "waitlisted 1" {
				t.Errorf("b after the capacity cut: %s, want waitlisted 1", got)
			}
			if got := (<-c).status(t); got != "waitlisted 2" {
				t.Errorf("c after the capacity cut: %s, want waitlisted 2", got)
			}
			checkCounts(t, db, s, 2, 2)

			// A cancellation in a batch of RSVPs promotes the first in line;
			// the RSVP after it finds the salon full again.
			var firstID int64
			if err := db.read.QueryRowContext(ctx, `SELECT id FROM tickets WHERE email = 'first@example.com'`).Scan(&firstID); err != nil {
				t.Fatal(err)
			}
			release = holdWriter(t, db)
			d := queueRSVP(db, s.Slug, "d@example.com")
			cancelled := make(chan error, 1)
			n := len(db.jobs)
			go func() { _, err := db.CancelTicket(ctx, s.ID, firstID); cancelled <- err }()
			for len(db.jobs) <= n {
				time.Sleep(time.Millisecond)
			}
			e := queueRSVP(db, s.Slug, "e@example.com")
			release()
			if err := <-cancelled; err != nil {
				t.Fatal(err)
			}
			if got := (<-d).status(t); got != "waitlisted 3" {
				t.Errorf("d: %s", got)
			}
			if got := (<-e).status(t); got != "waitlisted 3" {
				t.Errorf("e, after the cancellation promoted the first in line: %s, want waitlisted 3", got)
			}
			checkCounts(t, db, s, 2, 3)
		})
	}
}

// TestSalonCache_FailedWriteUndoesItsCounts: a write that counts a seat in
// the cache and then fails leaves no trace in the counts, with savepoints
// and without (where its batch is run again): the RSVPs around it count as
// if it had never run.
func TestSalonCache_FailedWriteUndoesItsCounts(t *testing.T) {
	for _, savepoints := range []bool{false, true} {
		t.Run(fmt.Sprintf("savepoints=%v", savepoints), func(t *testing.T) {
			ctx := context.Background()
			db := openWith(t, filepath.Join(t.TempDir(), "salon.db"), options{savepoints: savepoints})
			s := cacheSalon(t, db, 2)
			refused := errors.New("refused")
			release := holdWriter(t, db)
			a := queueRSVP(db, s.Slug, "a@example.com")
			bad := queueCached(db, ctx, func(tx *Tx) error {
				got, err := tx.rsvpSalon(ctx, s.Slug)
				if err != nil {
					return err
				}
				if err := tx.addCachedCounts(got, 1, 0, 0); err != nil {
					return err
				}
				return refused
			})
			b := queueRSVP(db, s.Slug, "b@example.com")
			c := queueRSVP(db, s.Slug, "c@example.com")
			release()
			if err := <-bad; !errors.Is(err, refused) {
				t.Fatalf("failed write: %v", err)
			}
			for name, want := range map[string]string{"a": "confirmed 0", "b": "confirmed 0", "c": "waitlisted 1"} {
				ch := map[string]<-chan rsvpAnswer{"a": a, "b": b, "c": c}[name]
				if got := (<-ch).status(t); got != want {
					t.Errorf("%s: %s, want %s", name, got, want)
				}
			}
			checkCounts(t, db, s, 2, 1)
			if n := db.reruns.Load(); savepoints && n != 0 || !savepoints && n != 1 {
				t.Errorf("%d re-runs", n)
			}
		})
	}
}

// TestSalonCache_SeesOtherConnections: a change another connection commits
// (a script on the same file, say) holds for the next RSVP, even though
// the writer had the salon cached.
func TestSalonCache_SeesOtherConnections(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "salon.db")
	db := openWith(t, path, options{})
	s := cacheSalon(t, db, 5)
	if got := rsvpNow(db, s.Slug, "a@example.com").status(t); got != "confirmed 0" {
		t.Fatalf("a: %s", got)
	}
	raw, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.ExecContext(ctx, `UPDATE salons SET capacity = 1 WHERE id = ?`, s.ID); err != nil {
		t.Fatal(err)
	}
	if got := rsvpNow(db, s.Slug, "b@example.com").status(t); got != "waitlisted 1" {
		t.Errorf("b after another connection cut the capacity to 1: %s", got)
	}
	checkCounts(t, db, s, 1, 1)
}

// TestSalonCache_ConcurrentMix runs RSVPs, cancellations and capacity
// changes of a few salons at once (under -race in CI): never oversold, and
// every salon's stored counts are its tickets' at the end.
func TestSalonCache_ConcurrentMix(t *testing.T) {
	ctx := context.Background()
	db := openWith(t, filepath.Join(t.TempDir(), "salon.db"), options{})
	salons := []*events.Salon{cacheSalon(t, db, 20), cacheSalon(t, db, 20), cacheSalon(t, db, 20)}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var ids []int64
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 40 {
				s := salons[(g+i)%len(salons)]
				in := tickets.RSVPInput{Name: "Guest", Email: fmt.Sprintf("g%d-%d@example.com", g, i)}
				in.Normalize()
				res, err := db.CreateRSVP(ctx, storage.RSVPRequest{Slug: s.Slug, Input: in})
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				ids = append(ids, res.Ticket.ID)
				var cancel int64
				if i%5 == 4 {
					cancel = ids[len(ids)/2]
				}
				mu.Unlock()
				if cancel != 0 {
					var salonID int64
					if err := db.read.QueryRowContext(ctx, `SELECT salon_id FROM tickets WHERE id = ?`, cancel).Scan(&salonID); err != nil {
						t.Error(err)
						return
					}
					if _, err := db.CancelTicket(ctx, salonID, cancel); err != nil {
						var ee *events.Error
						if !errors.As(err, &ee) {
							t.Error(err)
							return
						}
					}
				}
				if i%13 == 0 {
					c := 15 + (g+i)%10
					if _, err := db.UpdateSalon(ctx, s.ID, events.SalonUpdate{Capacity: &c}); err != nil {
						t.Error(err)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	for _, s := range salons {
		if c, _ := ticketCounts(t, db, s); c > 24 {
			t.Errorf("salon %d: %d confirmed, above every capacity it had", s.ID, c)
		}
	}
}

// TestSalonCache_ReadsTheRowOnce: RSVPs one after another, each its own
// batch and commit (checkpoints running meanwhile), read their salon's row
// once: neither the writer's own commits nor checkpoints empty the cache.
func TestSalonCache_ReadsTheRowOnce(t *testing.T) {
	db := openWith(t, filepath.Join(t.TempDir(), "salon.db"), options{ckEvery: time.Millisecond})
	s := cacheSalon(t, db, 100)
	for i := range 40 {
		if a := rsvpNow(db, s.Slug, fmt.Sprintf("g%d@example.com", i)); a.err != nil {
			t.Fatal(a.err)
		}
		time.Sleep(2 * time.Millisecond) // let the checkpointer run between them
	}
	db.Close() // the writer has stopped: its cache can be read
	if db.wcache.misses != 1 {
		t.Errorf("the salon's row was read %d times for 40 RSVPs, want once", db.wcache.misses)
	}
}

// TestSalonCache_RefusesWhatTheTriggerRefuses: the cache refuses a seat
// above capacity and a count below zero, as the count guard trigger would,
// and the refused change leaves the counts as they were.
func TestSalonCache_RefusesWhatTheTriggerRefuses(t *testing.T) {
	ctx := context.Background()
	db := openWith(t, filepath.Join(t.TempDir(), "salon.db"), options{})
	s := cacheSalon(t, db, 1)
	if got := rsvpNow(db, s.Slug, "a@example.com").status(t); got != "confirmed 0" {
		t.Fatalf("a: %s", got)
	}
	for name, d := range map[string][3]int{"above capacity": {1, 0, 0}, "waitlisted below zero": {0, -1, 0}, "pending below zero": {0, 0, -1}} {
		err := db.updateCached(ctx, func(tx *Tx) error {
			got, err := tx.rsvpSalon(ctx, s.Slug)
			if err != nil {
				return err
			}
			return tx.addCachedCounts(got, d[0], d[1], d[2])
		})
		if !errors.Is(err, errCountsOutOfBounds) {
			t.Errorf("%s: %v, want errCountsOutOfBounds", name, err)
		}
	}
	if got := rsvpNow(db, s.Slug, "b@example.com").status(t); got != "waitlisted 1" {
		t.Errorf("b: %s", got)
	}
	checkCounts(t, db, s, 1, 1)
}

// TestSalonCache_QueueWritesLeaveItAlone: the mail and webhook workers'
// claims and moves, sessions and sign-in throttling, which run about as
// often as RSVPs arrive, leave the cache as it is: RSVPs between them read
// their salon's row once, and the counts still match the tickets. A write
// of unknown reach between them does empty it.
func TestSalonCache_QueueWritesLeaveItAlone(t *testing.T) {
	ctx := context.Background()
	db := openWith(t, filepath.Join(t.TempDir(), "salon.db"), options{})
	s := cacheSalon(t, db, 10)
	for i := range 15 {
		if a := rsvpNow(db, s.Slug, fmt.Sprintf("q%d@example.com", i)); a.err != nil {
			t.Fatal(a.err)
		}
		msgs, err := db.ClaimMessages(ctx, 10)
		if err != nil || len(msgs) == 0 {
			t.Fatalf("claim after RSVP %d: %d messages, %v", i, len(msgs), err)
		}
		for _, m := range msgs {
			if err := db.MarkSent(ctx, m.ID, m.Claim); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.ClaimDeliveries(ctx, 10, time.Minute); err != nil {
			t.Fatal(err)
		}
		a, err := db.ReserveLoginAttempt(ctx, time.Minute, storage.LoginLimit{Key: "ip 192.0.2.1", Max: 100})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.ReleaseLoginAttempt(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	checkCounts(t, db, s, 10, 5)
	if err := db.update(ctx, func(*Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if a := rsvpNow(db, s.Slug, "last@example.com"); a.err != nil {
		t.Fatal(a.err)
	}
	checkCounts(t, db, s, 10, 6)
	db.Close() // the writer has stopped: its cache can be read
	if db.wcache.misses != 2 {
		t.Errorf("the salon's row was read %d times, want twice: once at first and once after the write of unknown reach", db.wcache.misses)
	}
}

// BenchmarkCreateRSVP_MailFlowing is BenchmarkCreateRSVP with the mail
// worker's claims and marks running meanwhile, as they do once a mail
// server takes the confirmations; it reports how often RSVPs had to read
// their salon's row again.
func BenchmarkCreateRSVP_MailFlowing(b *testing.B) {
	ctx := context.Background()
	db := openWith(b, filepath.Join(b.TempDir(), "salon.db"), options{})
	var salons []*events.Salon
	for range 100 {
		start := time.Now().Add(7 * 24 * time.Hour).Truncate(time.Minute)
		s := &events.Salon{Title: "Bench", Industry: "fintech", StartsAt: start, EndsAt: start.Add(2 * time.Hour),
			Capacity: 600, Waitlist: true, Status: events.StatusPublished}
		if err := db.CreateSalon(ctx, s); err != nil {
			b.Fatal(err)
		}
		salons = append(salons, s)
	}
	stop := make(chan struct{})
	mailDone := make(chan struct{})
	go func() {
		defer close(mailDone)
		for {
			select {
			case <-stop:
				return
			default:
			}
			msgs, _ := db.ClaimMessages(ctx, 50)
			for _, m := range msgs {
				db.MarkSent(ctx, m.ID, m.Claim)
			}
			if len(msgs) == 0 {
				time.Sleep(time.Millisecond)
			}
		}
	}()
	var n sync.Mutex
	i := 0
	b.SetParallelism(32)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			n.Lock()
			i++
			k := i
			n.Unlock()
			if a := rsvpNow(db, salons[k%100].Slug, fmt.Sprintf("g%d@example.com", k)); a.err != nil {
				b.Fatal(a.err)
			}
		}
	})
	b.StopTimer()
	close(stop)
	<-mailDone
	rate := float64(b.N) / b.Elapsed().Seconds()
	db.Close()
	b.ReportMetric(rate, "rsvps/s")
	b.ReportMetric(float64(db.wcache.misses)/float64(b.N), "salon-reads/rsvp")
}

// BenchmarkSalonCacheFlush writes the count changes of 26 salons, what a
// batch of RSVPs over 100 salons leaves, many times in one transaction:
// one statement for all of them took 84-88 µs a flush here against
// 252-270 µs with one UPDATE per salon.
func BenchmarkSalonCacheFlush(b *testing.B) {
	ctx := context.Background()
	db := openWith(b, filepath.Join(b.TempDir(), "salon.db"), options{})
	var ids []int64
	for range 100 {
		ids = append(ids, cacheSalon(b, db, 100000).ID)
	}
	c := newSalonCache()
	b.ResetTimer()
	err := db.update(ctx, func(tx *Tx) error {
		for i := 0; i < b.N; i++ {
			for k := 0; k < 26; k++ {
				c.dirty[ids[(i*26+k)%100]] = &cachedSalon{dc: i & 1, dw: 1 - i&1}
			}
			if err := c.flush(ctx, tx); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}

// TestSalonCacheFlush_OneStatement: flush writes each dirty salon's
// changes, of any sign, to its own row and no other, and a change the count
// guard refuses fails the flush with no salon's counts changed.
func TestSalonCacheFlush_OneStatement(t *testing.T) {
	ctx := context.Background()
	db := openWith(t, filepath.Join(t.TempDir(), "salon.db"), options{})
	var ids []int64
	for range 4 {
		ids = append(ids, cacheSalon(t, db, 10).ID)
	}
	counts := func() [][3]int {
		var out [][3]int
		for _, id := range ids {
			var c [3]int
			if err := db.read.QueryRowContext(ctx, `SELECT confirmed, waitlisted, pending FROM salon_counts WHERE salon_id = ?`, id).
				Scan(&c[0], &c[1], &c[2]); err != nil {
				t.Fatal(err)
			}
			out = append(out, c)
		}
		return out
	}
	flush := func(changes map[int64]cachedSalon) error {
		c := newSalonCache()
		for id, ch := range changes {
			c.dirty[id] = &cachedSalon{dc: ch.dc, dw: ch.dw, dp: ch.dp}
		}
		return db.update(ctx, func(tx *Tx) error { return c.flush(ctx, tx) })
	}
	if err := flush(map[int64]cachedSalon{ids[0]: {dc: 5, dw: 2}, ids[1]: {dc: 3, dp: 4}, ids[3]: {dw: 7}}); err != nil {
		t.Fatal(err)
	}
	if err := flush(map[int64]cachedSalon{ids[0]: {dc: -1, dw: -2}, ids[2]: {}}); err != nil {
		t.Fatal(err)
	}
	want := [][3]int{{4, 0, 0}, {3, 0, 4}, {0, 0, 0}, {0, 7, 0}}
	if got := counts(); !reflect.DeepEqual(got, want) {
		t.Fatalf("counts %v, want %v", got, want)
	}
	// Salon 1 would go past its 10 seats: nothing is written, salon 0's
	// change included.
	if err := flush(map[int64]cachedSalon{ids[0]: {dc: 1}, ids[1]: {dc: 8}}); err == nil {
		t.Fatal("a flush past a salon's capacity was accepted")
	}
	if got := counts(); !reflect.DeepEqual(got, want) {
		t.Fatalf("after a refused flush, counts %v, want %v", got, want)
	}
}
