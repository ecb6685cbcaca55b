package app_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"salon/app"
	"salon/app/mailer/smtptest"
	"salon/events"
	"salon/storage"
	"salon/storage/postgres"
	"salon/storage/postgres/pgtest"
)

// The serve helper: the test binary run again with SALON_SERVE_HELPER=1 is
// `salon` itself, its arguments those of the command line, so a test can
// run several real `salon serve` processes and kill one.
func init() {
	if os.Getenv("SALON_SERVE_HELPER") == "1" {
		os.Exit(app.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
}

// msgHost is the host of the base URL every process shares, so it names
// every Message-ID.
const msgHost = "salon.example"

// serveProc is one running `salon serve`.
type serveProc struct {
	cmd  *exec.Cmd
	base string // http://127.0.0.1:port
	log  string // its standard error, a file
}

// startServe runs `salon serve` on db with --smtp smtpURL and waits until it
// listens; the process is killed when the test ends.
func startServe(t *testing.T, name, db, smtpURL string, env ...string) *serveProc {
	t.Helper()
	logPath := filepath.Join(t.TempDir(), name+".log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "serve", "--db", db, "--smtp", smtpURL, "--addr", "127.0.0.1:0",
		"--base-url", "http://"+msgHost, "--rate-limit", "0")
	cmd.Env = append(append(os.Environ(), "SALON_SERVE_HELPER=1"), env...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &serveProc{cmd: cmd, log: logPath}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		logFile.Close()
		if t.Failed() {
			b, _ := os.ReadFile(logPath)
			t.Logf("%s log (tail):\n%s", name, tail(b, 3000))
		}
	})
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if addr := listeningAddr(logPath); addr != "" {
			p.base = "http://" + addr
			return p
		}
		time.Sleep(50 * time.Millisecond)
	}
	b, _ := os.ReadFile(logPath)
	t.Fatalf("%s did not start listening:\n%s", name, tail(b, 3000))
	return nil
}

// listeningAddr finds the address in the "salon listening" log line.
func listeningAddr(logPath string) string {
	f, err := os.Open(logPath)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var line struct{ Msg, Addr string }
		if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "salon listening" {
			return line.Addr
		}
	}
	return ""
}

func tail(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}

// pgSalon makes a published salon with room for capacity on db.
func pgSalon(t *testing.T, db *postgres.DB, capacity int) *events.Salon {
	t.Helper()
	start := time.Now().Add(7 * 24 * time.Hour).Truncate(time.Minute)
	s := &events.Salon{Title: "Two processes", Industry: "fintech", StartsAt: start, EndsAt: start.Add(2 * time.Hour),
		Capacity: capacity, Status: events.StatusPublished}
	if err := db.CreateSalon(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	return s
}

// httpClient keeps connections to both processes open, as a proxy would.
var httpClient = &http.Client{Timeout: 30 * time.Second,
	Transport: &http.Transport{MaxIdleConnsPerHost: 64}}

// postRSVP RSVPs email at base and returns the status, 0 when no answer
// came (the process is gone).
func postRSVP(base, slug, email string) int {
	body := fmt.Sprintf(`{"name":"Guest","email":%q}`, email)
	resp, err := httpClient.Post(base+"/api/v1/salons/"+slug+"/rsvps", "application/json", strings.NewReader(body))
	if err != nil {
		return 0
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// rsvpLoad makes n RSVPs, 16 at a time, each through pick(i)'s process,
// and returns the emails that got 201. after, when set, runs once, when
// the given number have been answered.
func rsvpLoad(t *testing.T, slug string, n int, pick func(i int) string, at int, after func()) []string {
	t.Helper()
	var mu sync.Mutex
	var created []string
	var answered atomic.Int64
	var once sync.Once
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				email := fmt.Sprintf("guest%d@example.com", i)
				if code := postRSVP(pick(i), slug, email); code == http.StatusCreated {
					mu.Lock()
					created = append(created, email)
					mu.Unlock()
				}
				if answered.Add(1) == int64(at) && after != nil {
					once.Do(after)
				}
			}
		}()
	}
	for i := range n {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return created
}

// waitAllSent waits until no message of db is queued or sending, and
// returns them all.
func waitAllSent(t *testing.T, db *postgres.DB, want int, within time.Duration) []*storage.Message {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		msgs, err := db.FindMessages(context.Background(), storage.OutboxFilter{})
		if err != nil {
			t.Fatal(err)
		}
		sent := 0
		for _, m := range msgs {
			if m.Status == storage.OutboxSent {
				sent++
			}
		}
		if len(msgs) >= want && sent == len(msgs) {
			return msgs
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %s: %d of %d messages sent (want %d queued)", within, sent, len(msgs), want)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// checkDelivered compares the SMTP server's deliveries with the outbox:
// every message arrived, none that is not in the outbox, and it returns
// how many arrived more than once.
func checkDelivered(t *testing.T, srv *smtptest.Server, msgs []*storage.Message) (dups int) {
	t.Helper()
	got := srv.DeliveriesByID()
	for _, m := range msgs {
		id := m.MessageID + "@" + msgHost
		switch n := got[id]; {
		case n == 0:
			t.Errorf("message %d (%s) never arrived", m.ID, id)
		case n > 1:
			t.Logf("message %d (%s) arrived %d times", m.ID, id, n)
			dups += n - 1
		}
		delete(got, id)
	}
	for id, n := range got {
		t.Errorf("%d deliveries of %s, which is not in the outbox", n, id)
	}
	return dups
}

// TestServe_PostgresMailAcrossProcesses: two `salon serve` processes on one
// PostgreSQL database, both sending to one SMTP server; 1,000 RSVPs made
// through both processes' APIs queue 1,000 confirmations, and each arrives
// exactly once, by Message-ID, whichever worker claimed it.
func TestServe_PostgresMailAcrossProcesses(t *testing.T) {
	u := pgtest.URL(t)
	db := openPG(t, u)
	srv := smtptest.Start(t)
	s := pgSalon(t, db, 2000)
	a := startServe(t, "a", u, srv.URL())
	b := startServe(t, "b", u, srv.URL())

	const n = 1000
	created := rsvpLoad(t, s.Slug, n, func(i int) string {
		if i%2 == 0 {
			return a.base
		}
		return b.base
	}, 0, nil)
	if len(created) != n {
		t.Fatalf("%d of %d RSVPs got 201", len(created), n)
	}
	msgs := waitAllSent(t, db, n, 2*time.Minute)
	if len(msgs) != n {
		t.Fatalf("%d messages queued, want %d", len(msgs), n)
	}
	// A duplicate would arrive after the row is marked: give it time.
	time.Sleep(time.Second)
	if dups := checkDelivered(t, srv, msgs); dups != 0 {
		t.Fatalf("%d duplicate deliveries with both workers running", dups)
	}
	if got := len(srv.Messages()); got != n {
		t.Fatalf("SMTP server got %d mails, want %d", got, n)
	}
}

// TestServe_PostgresKillMidLoad: one of two processes is killed (SIGKILL)
// in the middle of an RSVP load. Every RSVP that got 201 exists, and every
// queued mail arrives: what the killed process had claimed goes to the
// other once its lease (3 s here) runs out. The only duplicate allowed is
// the one mail the killed worker may have handed to the SMTP server but
// not yet marked sent; it arrives again under the same Message-ID.
func TestServe_PostgresKillMidLoad(t *testing.T) {
	u := pgtest.URL(t)
	db := openPG(t, u)
	srv := smtptest.Start(t)
	s := pgSalon(t, db, 2000)
	lease := "SALON_MAIL_LEASE=3s"
	a := startServe(t, "a", u, srv.URL(), lease)
	b := startServe(t, "b", u, srv.URL(), lease)

	const n, killAt = 600, 200
	var killed atomic.Bool
	created := rsvpLoad(t, s.Slug, n, func(i int) string {
		if i%2 == 0 && !killed.Load() {
			return a.base
		}
		return b.base
	}, killAt, func() {
		if err := a.cmd.Process.Kill(); err != nil {
			t.Error(err)
		}
		killed.Store(true)
	})
	if !killed.Load() {
		t.Fatal("the process was never killed")
	}
	if len(created) < n-killAt {
		t.Fatalf("only %d RSVPs got 201", len(created))
	}
	stored, err := db.FindTickets(context.Background(), storage.TicketFilter{SalonID: s.ID})
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, tk := range stored {
		have[tk.Email] = true
	}
	for _, email := range created {
		if !have[email] {
			t.Errorf("RSVP of %s got 201 but is not stored", email)
		}
	}
	msgs := waitAllSent(t, db, len(created), 2*time.Minute)
	time.Sleep(time.Second)
	dups := checkDelivered(t, srv, msgs)
	takenOver := 0
	for _, m := range msgs {
		if m.Claim > 1 {
			takenOver++
		}
	}
	t.Logf("%d RSVPs got 201, %d mails queued, %d claimed again after a lease ran out, %d delivered twice",
		len(created), len(msgs), takenOver, dups)
	if dups > 1 {
		t.Fatalf("%d duplicates; at most the one mail in hand at the kill may arrive twice", dups)
	}
}

// openPG opens the database the processes share, for the test's own look.
func openPG(t *testing.T, u string) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// get fetches url and returns the status, body and ETag.
func get(t *testing.T, url string) (int, string, string) {
	t.Helper()
	resp, err := httpClient.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b), resp.Header.Get("ETag")
}

// TestServe_PostgresCachesAcrossProcesses: a salon renamed through process
// A shows on process B's salon page, calendar feed and API within 2 s,
// though B had all three cached; and the feeds' ETags are strong and the
// same on both processes for the same content, so a client moved between
// them by the proxy is not sent the body again.
func TestServe_PostgresCachesAcrossProcesses(t *testing.T) {
	u := pgtest.URL(t)
	db := openPG(t, u)
	srv := smtptest.Start(t)
	s := pgSalon(t, db, 20)
	if code, _, stderr := runCLI(t, "", "user", "add", "--db", u, "--email", "admin@example.com", "--role", "admin"); code != 0 {
		t.Fatalf("user add: %d %s", code, stderr)
	}
	code, stdout, stderr := runCLI(t, "", "token", "create", "--db", u, "--email", "admin@example.com")
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if code != 0 {
		t.Fatalf("token create: %d %s", code, stderr)
	}
	token := lines[len(lines)-1]
	a := startServe(t, "a", u, srv.URL())
	b := startServe(t, "b", u, srv.URL())

	paths := []string{"/salons/" + s.Slug, "/calendar.ics", "/salons/" + s.Slug + ".ics", "/api/v1/salons/" + s.Slug}
	for _, p := range paths {
		for _, base := range []string{a.base, b.base} {
			if code, body, _ := get(t, base+p); code != 200 || !strings.Contains(body, "Two processes") {
				t.Fatalf("GET %s%s: %d before the change", base, p, code)
			}
		}
	}

	req, _ := http.NewRequest("PATCH", a.base+"/api/v1/salons/"+s.Slug, strings.NewReader(`{"title":"Renamed across processes"}`))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := httpClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("PATCH through a: %d", resp.StatusCode)
	}
	changed := time.Now()
	for _, p := range paths {
		for {
			_, body, _ := get(t, b.base+p)
			if strings.Contains(body, "Renamed across processes") {
				break
			}
			if time.Since(changed) > 2*time.Second {
				t.Fatalf("b still serves the old %s %s after the change through a", p, time.Since(changed))
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	t.Logf("b showed the change everywhere %s after a made it", time.Since(changed).Round(time.Millisecond))

	for _, p := range paths[1:3] {
		_, bodyA, tagA := get(t, a.base+p)
		_, bodyB, tagB := get(t, b.base+p)
		_, _, tagB2 := get(t, b.base+p)
		if tagA == "" || strings.HasPrefix(tagA, "W/") {
			t.Fatalf("%s: ETag %q, want a strong one", p, tagA)
		}
		if bodyA != bodyB || tagA != tagB || tagB != tagB2 {
			t.Fatalf("%s: a %s, b %s then %s (same body: %v)", p, tagA, tagB, tagB2, bodyA == bodyB)
		}
	}
}
