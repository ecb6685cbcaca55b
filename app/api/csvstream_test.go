package api_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"salon/app"
	"salon/app/internal/apptest"
	"salon/storage"
	"salon/tickets"
)

// slowTickets is the real store whose reads of every chunk after the first
// of a ticket list take delay: a store busy with other work, as under a
// loaded machine or the race detector.
type slowTickets struct {
	storage.Store
	delay time.Duration
}

func (s slowTickets) FindTickets(ctx context.Context, f storage.TicketFilter) ([]*tickets.Ticket, error) {
	if f.After > 0 {
		time.Sleep(s.delay)
	}
	return s.Store.FindTickets(ctx, f)
}

// syncBuffer is a log sink the server writes to while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (w *syncBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *syncBuffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// csvServer serves a second app on ta's database through store, with a
// write timeout of timeout, and returns its base URL and its log.
func csvServer(t *testing.T, ta *apptest.App, store storage.Store, timeout time.Duration) (string, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	cfg := app.Config{DB: "unused", Addr: ":0", BaseURL: "https://salon.example", MailFrom: "Salon <no-reply@salon.example>",
		WriteTimeout: timeout}
	srv, err := app.NewServer(cfg, store, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Listener(smallSendListener{ln})
	t.Cleanup(func() { srv.Shutdown(5 * time.Second) })
	return "http://" + ln.Addr().String(), logs
}

// smallSendListener gives the server's connections a 4 KiB send buffer, so
// that with smallWindowClient the kernel holds a few KiB of an answer, not
// all of a test-sized export.
type smallSendListener struct{ net.Listener }

func (l smallSendListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetWriteBuffer(4096)
	}
	return c, err
}

// smallWindowClient is an HTTP client whose connections have a 4 KiB
// receive buffer, so that a server writing faster than the client reads
// blocks on the socket instead of filling the kernel's buffers.
func smallWindowClient() *http.Client {
	d := &net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		var serr error
		err := c.Control(func(fd uintptr) { serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) })
		if err != nil {
			return err
		}
		return serr
	}}
	return &http.Client{Transport: &http.Transport{DialContext: d.DialContext, DisableCompression: true}}
}

func csvRequest(t *testing.T, base, token, slug string) *http.Request {
	req, err := http.NewRequest("GET", base+"/api/v1/salons/"+slug+"/attendees.csv", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	return req
}

// TestAttendeesCSV_SlowStoreDoesNotCutTheStream: a streamed export whose
// chunks take the store longer to read than the write timeout still
// arrives whole. Before the fix the write deadline was set before each
// chunk's store read, so a busy store (parallel exports under -race on a
// loaded machine) ran out the client's time and the answer ended with
// "unexpected EOF" after its first chunk, silently.
func TestAttendeesCSV_SlowStoreDoesNotCutTheStream(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon(`"capacity":300`)
	apptest.Guests(t, ta, slug, "s", 1234) // three chunks of 500
	base, logs := csvServer(t, ta, slowTickets{Store: ta.DB, delay: 400 * time.Millisecond}, 150*time.Millisecond)
	resp, err := smallWindowClient().Do(csvRequest(t, base, ta.Token, slug))
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("export: %d, %d bytes, %v; log: %s", resp.StatusCode, len(body), err, logs.String())
	}
	if want := expectedCSV(t, ta, slug, func(*tickets.Ticket) bool { return true }); string(body) != want {
		t.Fatalf("export has %d bytes, want %d", len(body), len(want))
	}
	if strings.Contains(logs.String(), "cut short") {
		t.Fatalf("a whole export was logged as cut short: %s", logs.String())
	}
}

// TestAttendeesCSV_SlowClient: a client that takes the export slowly but
// steadily, longer in all than the write timeout and longer over each
// 500-ticket chunk, gets it whole; one that stops reading is cut off
// after the timeout, and the log says so.
func TestAttendeesCSV_SlowClient(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon(`"capacity":300`)
	apptest.Guests(t, ta, slug, "s", 1234)
	base, logs := csvServer(t, ta, ta.DB, 300*time.Millisecond)
	want := expectedCSV(t, ta, slug, func(*tickets.Ticket) bool { return true })

	resp, err := smallWindowClient().Do(csvRequest(t, base, ta.Token, slug))
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	buf := make([]byte, 2048)
	start := time.Now()
	for {
		n, err := resp.Body.Read(buf)
		got.Write(buf[:n])
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("slow read cut after %d of %d bytes in %s: %v; log: %s", got.Len(), len(want), time.Since(start), err, logs.String())
		}
		time.Sleep(10 * time.Millisecond) // about 200 KB/s
	}
	resp.Body.Close()
	if got.String() != want {
		t.Fatalf("slow read got %d bytes, want %d", got.Len(), len(want))
	}
	if el := time.Since(start); el < 300*time.Millisecond {
		t.Fatalf("the slow read took %s, no longer than the timeout: the test proves nothing", el)
	}

	resp, err = smallWindowClient().Do(csvRequest(t, base, ta.Token, slug))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(resp.Body, buf); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Second) // the client stops taking the answer
	rest, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err == nil {
		t.Fatalf("a client that stopped reading for 2 s still got the whole export (%d more bytes)", len(rest))
	}
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(logs.String(), "the client stopped taking it") {
		if time.Now().After(deadline) {
			t.Fatalf("the cut-off export was not logged: %q", logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}
