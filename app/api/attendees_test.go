package api_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"salon/app/internal/apptest"
	"salon/app/web"
	"salon/storage"
	"salon/tickets"
)

type attendeePage struct {
	Attendees []struct {
		ID               string `json:"id"`
		Status           string `json:"status"`
		WaitlistPosition *int   `json:"waitlist_position"`
	} `json:"attendees"`
	NextCursor *string `json:"next_cursor"`
}

func getPage(t *testing.T, ta *apptest.App, path string) attendeePage {
	t.Helper()
	status, body, _ := ta.Do("GET", path, ta.Token, "", "")
	if status != 200 {
		t.Fatalf("GET %s: %d %s", path, status, body)
	}
	var p attendeePage
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(body, `"next_cursor":`) {
		t.Fatalf("GET %s: no next_cursor field", path)
	}
	return p
}

// TestAttendees_Pages: the list pages by cursor, each ticket once in id
// order while RSVPs arrive between pages; without limit or cursor it is
// the whole list, with a cursor alone pages of 100; bad limits and cursors are invalid, naming
// the field.
func TestAttendees_Pages(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon(`"capacity":4`)
	apptest.Guests(t, ta, slug, "p", 130)
	base := "/api/v1/salons/" + slug + "/attendees"

	// A client that never heard of pages gets the whole list, as the
	// contract always had it; one that follows cursors gets 100 a page.
	if whole := getPage(t, ta, base); len(whole.Attendees) != 130 || whole.NextCursor != nil {
		t.Fatalf("without limit or cursor: %d attendees, next %v", len(whole.Attendees), whole.NextCursor)
	}
	one := getPage(t, ta, base+"?limit=1")
	if len(one.Attendees) != 1 || one.NextCursor == nil {
		t.Fatalf("limit=1: %d attendees, next %v", len(one.Attendees), one.NextCursor)
	}
	first := getPage(t, ta, base+"?cursor="+*one.NextCursor)
	if len(first.Attendees) != web.AttendeePageDefault || first.NextCursor == nil {
		t.Fatalf("default page: %d attendees, next %v", len(first.Attendees), first.NextCursor)
	}
	seen := map[string]bool{}
	var last int64
	pos := 0
	cursor, pages, added := "", 0, 0
	for {
		p := getPage(t, ta, base+"?limit=7&cursor="+cursor)
		pages++
		for _, a := range p.Attendees {
			id, _ := strconv.ParseInt(a.ID, 10, 64)
			if seen[a.ID] || id <= last {
				t.Fatalf("page %d: ticket %s again or out of order", pages, a.ID)
			}
			seen[a.ID], last = true, id
			if a.Status == tickets.StatusWaitlisted {
				pos++
				if a.WaitlistPosition == nil || *a.WaitlistPosition != pos {
					t.Fatalf("ticket %s: position %v, want %d", a.ID, a.WaitlistPosition, pos)
				}
			}
		}
		if p.NextCursor == nil {
			if len(p.Attendees) > 7 {
				t.Fatalf("last page of %d", len(p.Attendees))
			}
			break
		}
		if len(p.Attendees) != 7 {
			t.Fatalf("page %d has %d attendees and a next page", pages, len(p.Attendees))
		}
		cursor = *p.NextCursor
		// A newcomer between pages lands on a later page.
		if pages <= 3 {
			added++
			ta.RSVP(slug, "Late", "late"+strconv.Itoa(pages)+"@example.com")
		}
	}
	if len(seen) != 130+added {
		t.Fatalf("walk saw %d tickets, want %d", len(seen), 130+added)
	}
	for _, tc := range []struct{ query, field string }{
		{"?limit=0", "limit"}, {"?limit=1001", "limit"}, {"?limit=ten", "limit"},
		{"?cursor=nonsense", "cursor"}, {"?cursor=" + strings.Repeat("A", 8), "cursor"}, {"?status=gone", "status"},
	} {
		status, out := ta.JSON("GET", base+tc.query, ta.Token, "")
		if status != 422 || apptest.ErrCode(out) != "invalid" || !strings.Contains(ta.Fields(out), tc.field) {
			t.Errorf("%s: %d %v", tc.query, status, out)
		}
	}
	// The most one page may hold.
	if p := getPage(t, ta, base+"?limit=1000"); len(p.Attendees) != 130+added || p.NextCursor != nil {
		t.Fatalf("limit 1000: %d, next %v", len(p.Attendees), p.NextCursor)
	}
	// Another organizer's cursor is just a position: it opens nothing of
	// a salon they do not manage.
	if status, _, _ := ta.Do("GET", base+"?cursor="+cursor, ta.Token2, "", ""); status != 403 {
		t.Fatalf("another organizer with a cursor: %d", status)
	}
}

// expectedCSV is the export as it was built before it streamed: every
// ticket read alone (its waitlist position counted for it alone), in id
// order, the same header, BOM, CRLF and neutralised cells.
func expectedCSV(t *testing.T, ta *apptest.App, slug string, keep func(*tickets.Ticket) bool) string {
	t.Helper()
	ctx := context.Background()
	sa, err := ta.DB.FindSalonBySlug(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	all, err := ta.DB.FindTickets(ctx, storage.TicketFilter{SalonID: sa.ID})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	b.WriteString("\ufeff")
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	w.Write([]string{"id", "name", "email", "company", "job_title", "lang", "status", "waitlist_position", "checked_in_at", "created_at", "guests"})
	loc := sa.Location()
	for _, listed := range all {
		tk, err := ta.DB.FindTicketByID(ctx, sa.ID, listed.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !keep(tk) {
			continue
		}
		pos, checked := "", ""
		if tk.Status == tickets.StatusWaitlisted {
			pos = strconv.Itoa(tk.WaitlistPosition)
		}
		if tk.CheckedInAt != nil {
			checked = tk.CheckedInAt.In(loc).Format(time.RFC3339)
		}
		row := []string{strconv.FormatInt(tk.ID, 10), tk.Name, tk.Email, tk.Company, tk.JobTitle, tk.Lang, tk.Status, pos, checked,
			tk.CreatedAt.In(loc).Format(time.RFC3339), strconv.Itoa(tk.Guests)}
		for i := range row {
			row[i] = web.CSVSafe(row[i])
		}
		w.Write(row)
	}
	w.Flush()
	return b.String()
}

// TestAttendeesCSV_StreamedEqualsWhole: the streamed export, read in
// chunks from the store, is byte for byte the export built whole from
// tickets read one by one, across chunk boundaries, with cancellations and
// check-ins in it, and with a status filter and a search.
func TestAttendeesCSV_StreamedEqualsWhole(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon(`"capacity":300`)
	apptest.Guests(t, ta, slug, "s", 1234)
	ctx := context.Background()
	sa, _ := ta.DB.FindSalonBySlug(ctx, slug)
	list, _ := ta.DB.FindTickets(ctx, storage.TicketFilter{SalonID: sa.ID, Limit: 40})
	for i, tk := range list {
		if i%3 == 0 {
			if _, err := ta.DB.CancelTicket(ctx, sa.ID, tk.ID); err != nil {
				t.Fatal(err)
			}
		} else if i%3 == 1 {
			if _, err := ta.DB.CheckIn(ctx, storage.CheckinRequest{SalonID: sa.ID, TicketID: tk.ID, Device: "console"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	base := ta.Listen()
	for _, tc := range []struct {
		query string
		keep  func(*tickets.Ticket) bool
	}{
		{"", func(*tickets.Ticket) bool { return true }},
		{"?status=waitlisted", func(tk *tickets.Ticket) bool { return tk.Status == tickets.StatusWaitlisted }},
		{"?q=s12", func(tk *tickets.Ticket) bool { return strings.HasPrefix(tk.Email, "s12") }},
	} {
		req, _ := http.NewRequest("GET", base+"/api/v1/salons/"+slug+"/attendees.csv"+tc.query, nil)
		req.Header.Set("Authorization", "Bearer "+ta.Token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/csv; charset=utf-8" ||
			!strings.Contains(resp.Header.Get("Content-Disposition"), slug+"-attendees.csv") {
			t.Fatalf("%q: %d %v %v", tc.query, resp.StatusCode, resp.Header, err)
		}
		if want := expectedCSV(t, ta, slug, tc.keep); string(body) != want {
			t.Fatalf("%q: streamed CSV (%d bytes) differs from the whole one (%d bytes)", tc.query, len(body), len(want))
		}
		if tc.query == "" && (len(resp.TransferEncoding) == 0 || resp.TransferEncoding[0] != "chunked") {
			t.Fatalf("a 1,234-ticket export was not streamed: %v", resp.TransferEncoding)
		}
	}
}

// TestAttendeesCSV_ParallelExportsMemory: ten exports of a 20,000-ticket
// salon at once add far less than 100 MB to the heap, since each holds one
// chunk; built whole, one export took tens of megabytes.
func TestAttendeesCSV_ParallelExportsMemory(t *testing.T) {
	if testing.Short() || raceDetector {
		t.Skip("makes 20,000 tickets and measures the heap: run without -short and -race")
	}
	ta := apptest.New(t)
	slug := ta.Salon(`"capacity":5000`)
	apptest.Guests(t, ta, slug, "m", 20_000)
	base := ta.Listen()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	before := ms.HeapInuse
	var peak atomic.Uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	var wg sync.WaitGroup
	sizes := make([]int64, 10)
	for i := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest("GET", base+"/api/v1/salons/"+slug+"/attendees.csv", nil)
			req.Header.Set("Authorization", "Bearer "+ta.Token)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			defer resp.Body.Close()
			sizes[i], err = io.Copy(io.Discard, resp.Body)
			if err != nil || resp.StatusCode != 200 {
				t.Error(resp.StatusCode, err)
			}
		}()
	}
	wg.Wait()
	close(stop)
	<-sampled
	grew := int64(peak.Load()) - int64(before)
	t.Logf("10 parallel exports of 20,000 tickets (%d KiB each): heap in use grew by %.1f MiB at most", sizes[0]>>10, float64(grew)/(1<<20))
	for i, n := range sizes {
		if n < 20_000*50 {
			t.Fatalf("export %d: only %d bytes", i, n)
		}
	}
	if grew > 100<<20 {
		t.Fatalf("heap grew by %d MiB during 10 exports, want < 100", grew>>20)
	}
}
