package postgres_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"salon/events"
	"salon/storage"
	"salon/storage/postgres"
	"salon/storage/postgres/pgtest"
	"salon/tickets"
)

// The helper process: the test binary run again with SALON_PG_HELPER set
// opens its own store on the URL it is given and, once told to go on its
// standard input, makes the RSVPs it was asked for, concurrently. It is a
// second OS process with its own connection pool, as a second `salon
// serve` would be.
func init() {
	if os.Getenv("SALON_PG_HELPER") != "rsvp" {
		return
	}
	os.Exit(helperRSVP(os.Getenv("SALON_PG_URL"), os.Getenv("SALON_PG_SLUG"), os.Getenv("SALON_PG_PREFIX"),
		atoi(os.Getenv("SALON_PG_N"))))
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

func helperRSVP(url, slug, prefix string, n int) int {
	db, err := postgres.Open(context.Background(), url)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer db.Close()
	fmt.Println("ready")
	bufio.NewReader(os.Stdin).ReadString('\n')
	if err := rsvpMany(db, slug, prefix, n); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// rsvpMany makes n RSVPs at once, emails prefix0… ; a full salon's refusal
// is an answer, any other error is not.
func rsvpMany(db storage.Store, slug, prefix string, n int) error {
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			in := tickets.RSVPInput{Name: "Guest", Email: fmt.Sprintf("%s%d@example.com", prefix, i)}
			in.Normalize()
			if _, err := db.CreateRSVP(context.Background(), storage.RSVPRequest{Slug: slug, Input: in}); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// startHelper starts the helper process and waits until its store is open.
func startHelper(t *testing.T, url, slug, prefix string, n int) (goOn func(), wait func() error) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "SALON_PG_HELPER=rsvp", "SALON_PG_URL="+url, "SALON_PG_SLUG="+slug,
		"SALON_PG_PREFIX="+prefix, "SALON_PG_N="+strconv.Itoa(n))
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if line, err := bufio.NewReader(stdout).ReadString('\n'); err != nil || line != "ready\n" {
		cmd.Process.Kill()
		t.Fatalf("helper did not start: %q %v", line, err)
	}
	return func() { fmt.Fprintln(stdin) }, cmd.Wait
}

func createSalon(t *testing.T, db storage.Store, capacity int) *events.Salon {
	t.Helper()
	start := time.Now().Add(7 * 24 * time.Hour).Truncate(time.Minute)
	s := &events.Salon{Title: "Across processes", Industry: "fintech", StartsAt: start, EndsAt: start.Add(2 * time.Hour),
		Capacity: capacity, Waitlist: true, Status: events.StatusPublished}
	if err := db.CreateSalon(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestCrossProcess_RacingRSVPs: 600 RSVPs for 50 seats, half from this
// process and half from another OS process, three rounds: exactly 50
// confirmed, and the waitlist is positions 1 to 550 with no gap or repeat.
func TestCrossProcess_RacingRSVPs(t *testing.T) {
	u := pgtest.URL(t)
	db := openDB(t, u)
	for round := 0; round < 3; round++ {
		s := createSalon(t, db, 50)
		goOn, wait := startHelper(t, u, s.Slug, "other", 300)
		goOn()
		if err := rsvpMany(db, s.Slug, "here", 300); err != nil {
			t.Fatal(err)
		}
		if err := wait(); err != nil {
			t.Fatalf("helper process: %v", err)
		}
		all, err := db.FindTickets(context.Background(), storage.TicketFilter{SalonID: s.ID})
		if err != nil {
			t.Fatal(err)
		}
		var confirmed int
		var positions []int
		for _, tk := range all {
			switch tk.Status {
			case tickets.StatusConfirmed:
				confirmed++
			case tickets.StatusWaitlisted:
				positions = append(positions, tk.WaitlistPosition)
			}
		}
		sort.Ints(positions)
		if confirmed != 50 || len(positions) != 550 {
			t.Fatalf("round %d: %d confirmed, %d waitlisted; want 50 and 550", round, confirmed, len(positions))
		}
		for i, p := range positions {
			if p != i+1 {
				t.Fatalf("round %d: waitlist positions are not 1..550: %d at %d", round, p, i)
			}
		}
		got, err := db.FindSalonByID(context.Background(), s.ID)
		if err != nil || got.Confirmed != 50 || got.Waitlisted != 550 {
			t.Fatalf("round %d: salon counts %d/%d, %v", round, got.Confirmed, got.Waitlisted, err)
		}
	}
}

// TestCrossProcess_ConcurrentCancels: 30 confirmed tickets cancelled at
// once through two stores promote exactly the first 30 of the waitlist.
func TestCrossProcess_ConcurrentCancels(t *testing.T) {
	u := pgtest.URL(t)
	a, b := openDB(t, u), openDB(t, u)
	s := createSalon(t, a, 30)
	var held []*tickets.Ticket
	for i := 0; i < 60; i++ {
		in := tickets.RSVPInput{Name: "Guest", Email: fmt.Sprintf("g%02d@example.com", i)}
		in.Normalize()
		res, err := a.CreateRSVP(context.Background(), storage.RSVPRequest{Slug: s.Slug, Input: in})
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, res.Ticket)
	}
	var wg sync.WaitGroup
	for i, tk := range held[:30] {
		db := a
		if i%2 == 1 {
			db = b
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := db.CancelRSVP(context.Background(), tk.Token); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	for i, tk := range held[30:] {
		got, err := b.FindTicketByID(context.Background(), s.ID, tk.ID)
		if err != nil || got.Status != tickets.StatusConfirmed {
			t.Fatalf("waitlisted %d not promoted: %+v %v", i, got, err)
		}
	}
	got, _ := b.FindSalonByID(context.Background(), s.ID)
	if got.Confirmed != 30 || got.Waitlisted != 0 {
		t.Fatalf("counts after cancels: %d/%d", got.Confirmed, got.Waitlisted)
	}
	if n := countKind(t, a, s.ID, tickets.NoticePromoted); n != 30 {
		t.Fatalf("%d promotion notices, want 30", n)
	}
}

func countKind(t *testing.T, db storage.Store, salonID int64, kind string) int {
	t.Helper()
	msgs, err := db.FindMessages(context.Background(), storage.OutboxFilter{SalonID: salonID})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range msgs {
		if m.Kind == kind {
			n++
		}
	}
	return n
}

// TestCrossProcess_ParallelCheckIns: 8 scans of one code at once, through
// two stores with keys loaded from the shared database, give one ok.
func TestCrossProcess_ParallelCheckIns(t *testing.T) {
	u := pgtest.URL(t)
	a, b := openDB(t, u), openDB(t, u)
	ctx := context.Background()
	if _, err := a.AddSigningKey(ctx, tickets.NewStoredKey); err != nil {
		t.Fatal(err)
	}
	keySet := func(db storage.Store) *tickets.KeySet {
		stored, err := db.LoadSigningKeys(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ks, err := tickets.NewKeySet(stored)
		if err != nil {
			t.Fatal(err)
		}
		return ks
	}
	ka, kb := keySet(a), keySet(b)
	s := createSalon(t, a, 5)
	in := tickets.RSVPInput{Name: "Ada", Email: "ada@example.com"}
	in.Normalize()
	res, err := a.CreateRSVP(ctx, storage.RSVPRequest{Slug: s.Slug, Input: in})
	if err != nil {
		t.Fatal(err)
	}
	// Signed by one store's key set, verified by the other's.
	code := ka.Sign(res.Ticket)
	results := make(chan string, 8)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		db, ks := storage.Store(a), ka
		if i%2 == 1 {
			db, ks = b, kb
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := storage.CheckinRequest{SalonID: s.ID, Code: code}
			c, err := ks.Verify(code)
			if err != nil {
				t.Error(err)
				return
			}
			r.Claims = &c
			out, err := db.CheckIn(ctx, r)
			if err != nil {
				t.Error(err)
				return
			}
			results <- out.Result
		}()
	}
	wg.Wait()
	close(results)
	ok := 0
	for r := range results {
		if r == tickets.CheckinOK {
			ok++
		}
	}
	if ok != 1 {
		t.Fatalf("%d ok check-ins, want 1", ok)
	}
}

// TestCrossProcess_OutboxOnce: 1,000 queued messages claimed by workers of
// two stores at once are each handed out once, by Message-ID.
func TestCrossProcess_OutboxOnce(t *testing.T) {
	u := pgtest.URL(t)
	a, b := openDB(t, u), openDB(t, u)
	ctx := context.Background()
	s := createSalon(t, a, 1000)
	for i := 0; i < 1000; i += 100 {
		if err := rsvpMany(a, s.Slug, fmt.Sprintf("m%d-", i), 100); err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		db := a
		if w%2 == 1 {
			db = b
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				msgs, err := db.ClaimMessages(ctx, 25)
				if err != nil {
					t.Error(err)
					return
				}
				if len(msgs) == 0 {
					return
				}
				for _, m := range msgs {
					mu.Lock()
					seen[m.MessageID]++
					mu.Unlock()
					if err := db.MarkSent(ctx, m.ID, m.Claim); err != nil {
						t.Error(err)
					}
				}
			}
		}()
	}
	wg.Wait()
	if len(seen) != 1000 {
		t.Fatalf("%d messages delivered, want 1000", len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Fatalf("message %s delivered %d times", id, n)
		}
	}
}

// TestCrossProcess_ChangesSeen: a change through one store raises the
// other store's counters within 2 seconds.
func TestCrossProcess_ChangesSeen(t *testing.T) {
	u := pgtest.URL(t)
	a, b := openDB(t, u), openDB(t, u)
	sv, tv := b.SalonsVersion(), b.TicketsVersion()
	s := createSalon(t, a, 5)
	in := tickets.RSVPInput{Name: "Ada", Email: "ada@example.com"}
	in.Normalize()
	if _, err := a.CreateRSVP(context.Background(), storage.RSVPRequest{Slug: s.Slug, Input: in}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Second)
	for b.SalonsVersion() == sv || b.TicketsVersion() == tv {
		if time.Now().After(deadline) {
			t.Fatal("the other store did not see the change within 2 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if a.SalonsVersion() != b.SalonsVersion() {
		time.Sleep(150 * time.Millisecond)
		if a.SalonsVersion() != b.SalonsVersion() {
			t.Fatalf("versions differ across stores: %d and %d", a.SalonsVersion(), b.SalonsVersion())
		}
	}
}

// TestCrossProcess_Burst: 2,000 RSVPs at once for one salon of 100 seats,
// half from another OS process, each process combining its RSVPs into
// batches: exactly 100 confirmed, the waitlist 1 to 1,900 in ticket
// (arrival) order with every position answered once, one notice per
// ticket, and this process's 1,000 in far fewer commits than RSVPs.
func TestCrossProcess_Burst(t *testing.T) {
	const n, seats = 1000, 100
	u := pgtest.URL(t)
	db := openDB(t, u)
	var commits, bulk atomic.Int64
	postgres.OnRSVPBatch(db, func(_ int, mode string) {
		commits.Add(1)
		if mode == "bulk" {
			bulk.Add(1)
		}
	})
	ctx := context.Background()
	s := createSalon(t, db, seats)
	goOn, wait := startHelper(t, u, s.Slug, "other", n)
	goOn()
	answered := make([]*tickets.Ticket, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			in := tickets.RSVPInput{Name: "Guest", Email: fmt.Sprintf("here%d@example.com", i)}
			in.Normalize()
			res, err := db.CreateRSVP(ctx, storage.RSVPRequest{Slug: s.Slug, Input: in})
			if err != nil {
				t.Error(err)
				return
			}
			answered[i] = res.Ticket
		}()
	}
	wg.Wait()
	if err := wait(); err != nil {
		t.Fatalf("helper process: %v", err)
	}
	if t.Failed() {
		t.FailNow()
	}
	all, err := db.FindTickets(ctx, storage.TicketFilter{SalonID: s.ID})
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	byID := map[int64]*tickets.Ticket{}
	confirmed, next := 0, 1
	for _, tk := range all {
		byID[tk.ID] = tk
		switch tk.Status {
		case tickets.StatusConfirmed:
			confirmed++
		case tickets.StatusWaitlisted:
			if tk.WaitlistPosition != next {
				t.Fatalf("ticket %d is at waitlist position %d, want %d (ticket order)", tk.ID, tk.WaitlistPosition, next)
			}
			next++
		}
	}
	if len(all) != 2*n || confirmed != seats || next-1 != 2*n-seats {
		t.Fatalf("%d tickets, %d confirmed, %d waitlisted; want %d, %d, %d", len(all), confirmed, next-1, 2*n, seats, 2*n-seats)
	}
	for i, tk := range answered {
		got := byID[tk.ID]
		if got == nil || got.Status != tk.Status || got.WaitlistPosition != tk.WaitlistPosition {
			t.Fatalf("RSVP %d was answered %s at %d, stored as %+v", i, tk.Status, tk.WaitlistPosition, got)
		}
	}
	got, err := db.FindSalonByID(ctx, s.ID)
	if err != nil || got.Confirmed != seats || got.Waitlisted != 2*n-seats {
		t.Fatalf("salon counts %d/%d, %v", got.Confirmed, got.Waitlisted, err)
	}
	if c, w := countKind(t, db, s.ID, tickets.NoticeConfirmed), countKind(t, db, s.ID, tickets.NoticeWaitlisted); c != seats || w != 2*n-seats {
		t.Fatalf("%d confirmations and %d waitlist notices, want %d and %d", c, w, seats, 2*n-seats)
	}
	if c := commits.Load(); c > n/4 {
		t.Fatalf("%d RSVPs took %d commits in this process; they were not combined", n, c)
	}
	if bulk.Load() == 0 {
		t.Fatal("no batch was written in one statement")
	}
	t.Logf("%d RSVPs in %d commits in this process, %d of them in one statement", n, commits.Load(), bulk.Load())
}
