package console_test

import (
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"salon/app/internal/apptest"
	"salon/events"
	"salon/tickets"
)

var (
	rowRE       = regexp.MustCompile(`<tr id="ticket-(\d+)">`)
	nextPageRE  = regexp.MustCompile(`<a href="([^"]*)" id="next-page" rel="next">`)
	firstPageRE = regexp.MustCompile(`<a href="([^"]*)" id="first-page">`)
)

// TestConsole_AttendeePager: the console lists 200 attendees a page in
// arrival order; "Next page" carries the filters and the cursor, "First
// page" the filters only, both escaped in the attribute; the last page has
// no next link; every ticket shows once; a forged cursor is refused.
func TestConsole_AttendeePager(t *testing.T) {
	ta, base := apptest.ConsoleApp(t)
	org := ta.Account("pages@example.com", events.RoleOrganizer)
	sa := apptest.OwnedSalon(t, ta, org, "big-night", func(s *events.Salon) { s.Capacity = 1000 })
	apptest.Guests(t, ta, sa.Slug, "p", 449) // company `=Acme, "Ltd"`, a quote and a comma to escape
	apptest.Guest(t, ta, sa.Slug, tickets.RSVPInput{Name: xssScript, Email: "x@example.com", Company: `Acme, "Ltd" ` + xssAttr})
	c := apptest.SignedIn(t, base, "pages@example.com")

	// A search and a status the links must keep: every guest matches.
	q := url.Values{"q": {`Acme, "Ltd"`}, "status": {tickets.StatusConfirmed}}
	path := "/admin/salons/" + sa.Slug + "/attendees?" + q.Encode()
	seen := map[string]bool{}
	var last int64
	for pageNo, want := range []int{200, 200, 50} {
		status, body := apptest.Get(t, c, base+path)
		if status != 200 {
			t.Fatalf("page %d (%s): %d", pageNo+1, path, status)
		}
		if rawHostile.MatchString(body) {
			t.Fatalf("page %d shows hostile input unescaped", pageNo+1)
		}
		rows := rowRE.FindAllStringSubmatch(body, -1)
		if len(rows) != want {
			t.Fatalf("page %d: %d rows, want %d", pageNo+1, len(rows), want)
		}
		for _, r := range rows {
			if seen[r[1]] {
				t.Fatalf("ticket %s on two pages", r[1])
			}
			seen[r[1]] = true
			var id int64
			for _, ch := range r[1] {
				id = id*10 + int64(ch-'0')
			}
			if id <= last {
				t.Fatalf("page %d: ticket %d after %d, not in arrival order", pageNo+1, id, last)
			}
			last = id
		}
		first := firstPageRE.FindStringSubmatch(body)
		if (first != nil) != (pageNo > 0) {
			t.Fatalf("page %d: first-page link %v", pageNo+1, first)
		}
		if first != nil {
			u, err := url.Parse(html.UnescapeString(first[1]))
			if err != nil || u.Path != "/admin/salons/"+sa.Slug+"/attendees" || u.Query().Get("q") != q.Get("q") ||
				u.Query().Get("status") != tickets.StatusConfirmed || u.Query().Has("cursor") {
				t.Fatalf("page %d: first-page link %q", pageNo+1, first[1])
			}
		}
		next := nextPageRE.FindStringSubmatch(body)
		if pageNo == 2 {
			if next != nil {
				t.Fatalf("the last page links to a next one: %q", next[1])
			}
			break
		}
		if next == nil {
			t.Fatalf("page %d of 3: no next-page link", pageNo+1)
		}
		if strings.Contains(next[1], `"`) || strings.Contains(next[1], "&status") {
			t.Fatalf("next-page link not escaped for its attribute: %q", next[1])
		}
		u, err := url.Parse(html.UnescapeString(next[1]))
		if err != nil || u.Query().Get("q") != q.Get("q") || u.Query().Get("status") != tickets.StatusConfirmed || u.Query().Get("cursor") == "" {
			t.Fatalf("page %d: next-page link %q lost the filters or the cursor", pageNo+1, next[1])
		}
		path = u.RequestURI()
	}
	if len(seen) != 450 {
		t.Fatalf("the pages showed %d tickets, want 450", len(seen))
	}

	// Without filters the first page is 200 with a next link too.
	status, body := apptest.Get(t, c, base+"/admin/salons/"+sa.Slug+"/attendees")
	if status != 200 || len(rowRE.FindAllString(body, -1)) != 200 || nextPageRE.FindString(body) == "" || firstPageRE.FindString(body) != "" {
		t.Fatalf("unfiltered first page: %d, %d rows", status, len(rowRE.FindAllString(body, -1)))
	}
	// A cursor the server did not make is refused, not a server error.
	for _, cur := range []string{"zzz", "dDEuLTU", `"><script>`} {
		status, body := apptest.Get(t, c, base+"/admin/salons/"+sa.Slug+"/attendees?cursor="+url.QueryEscape(cur))
		if status != 422 || rawHostile.MatchString(body) {
			t.Fatalf("cursor %q: %d", cur, status)
		}
	}
}
