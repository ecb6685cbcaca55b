package site_test

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"salon/app/internal/apptest"
	"salon/events"
)

var cardRE = regexp.MustCompile(`<h2><a href="/salons/([a-z0-9-]+)">`)

// cards lists the salons a listing page shows, in order.
func cards(body string) []string {
	var out []string
	for _, m := range cardRE.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

// TestListingSearch: the listing's q finds words of the title and
// description in both languages, on the page and in the API, with % and _
// taken literally; the filter names industries in the reader's language.
func TestListingSearch(t *testing.T) {
	ta := apptest.New(t)
	pct := ta.Salon(`"slug":"pct","title":"100% founders","industry":"fintech"`)
	under := ta.Salon(`"slug":"under","title":"snake_case night","industry":"law"`)
	zh := ta.Salon(`"slug":"zh","title":"Payments evening","title_zh":"支付之夜","description_zh":"跨境支付与风控","industry":"fintech"`)
	plain := ta.Salon(`"slug":"plain","title":"Founders breakfast","description":"Coffee at 100 percent","industry":"law"`)
	c := apptest.Browser(t)
	base := ta.Listen()
	for _, tc := range []struct {
		q, industry string
		want        []string
	}{
		{"%", "", []string{pct}},
		{"_", "", []string{under}},
		{"founders", "", []string{pct, plain}},
		{"founders", "law", []string{plain}},
		{"风控", "", []string{zh}},
		{"PAYMENTS", "", []string{zh}},
		{"", "law", []string{under, plain}},
	} {
		v := url.Values{}
		if tc.q != "" {
			v.Set("q", tc.q)
		}
		if tc.industry != "" {
			v.Set("industry", tc.industry)
		}
		status, body := apptest.Get(t, c, base+"/?"+v.Encode())
		if got := cards(body); status != 200 || strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("page %s: %d %v, want %v", v.Encode(), status, got, tc.want)
		}
		if tc.q != "" && !strings.Contains(body, `value="`+tc.q+`"`) {
			t.Errorf("page %s does not keep the words typed", v.Encode())
		}
		_, out := ta.JSON("GET", "/api/v1/salons?"+v.Encode(), "", "")
		var slugs []string
		for _, s := range out["salons"].([]any) {
			slugs = append(slugs, s.(map[string]any)["slug"].(string))
		}
		if strings.Join(slugs, ",") != strings.Join(tc.want, ",") {
			t.Errorf("API %s: %v, want %v", v.Encode(), slugs, tc.want)
		}
	}
	status, body := apptest.Get(t, c, base+"/?q=nothing-matches")
	if status != 200 || !strings.Contains(body, "No salons match this search.") {
		t.Errorf("no match: %d", status)
	}

	// The filter submits itself on change; a button remains without script.
	_, body = apptest.Get(t, c, base+"/")
	if !strings.Contains(body, `<select id="industry" name="industry" data-autosubmit>`) ||
		!strings.Contains(body, `<noscript><button type="submit">Show</button></noscript>`) {
		t.Errorf("the industry filter is not self-submitting with a noscript button")
	}
	if !strings.Contains(body, `<option value="fintech">Fintech</option>`) || !strings.Contains(body, `<option value="law">Law</option>`) {
		t.Errorf("the filter does not name the industries")
	}
	req, _ := http.NewRequest("GET", base+"/?industry=fintech", nil)
	req.Header.Set("Accept-Language", "zh-CN")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	zhBody := readAll(t, resp)
	for _, want := range []string{`<option value="fintech" selected>金融科技</option>`, `<option value="law">法律</option>`,
		`<span class="tag" data-industry="fintech">金融科技</span>`} {
		if !strings.Contains(zhBody, want) {
			t.Errorf("Chinese listing lacks %s", want)
		}
	}
	_, body = apptest.Get(t, c, base+"/salons/"+zh)
	if !strings.Contains(body, `<dd data-industry="fintech">Fintech</dd>`) {
		t.Errorf("salon page does not name its industry")
	}
}

// TestPastSalons: salons that have ended are on /past, latest first, a
// page of 20 at a time, linked from the listing, and never on it.
func TestPastSalons(t *testing.T) {
	ta := apptest.New(t)
	now := time.Now().Truncate(time.Minute)
	var want []string
	for i := 1; i <= 22; i++ {
		sa := apptest.OwnedSalon(t, ta, ta.Org, "past-"+strings.Repeat("x", i%3+1)+string(rune('a'+i-1)), func(s *events.Salon) {
			s.StartsAt = now.Add(-time.Duration(i) * 24 * time.Hour)
			s.EndsAt = s.StartsAt.Add(2 * time.Hour)
			s.Industry = "law"
		})
		want = append(want, sa.Slug)
	}
	upcoming := ta.Salon(`"slug":"soon"`)
	c := apptest.Browser(t)
	base := ta.Listen()
	_, body := apptest.Get(t, c, base+"/")
	if got := cards(body); strings.Join(got, ",") != upcoming {
		t.Fatalf("listing shows %v, want only %s", got, upcoming)
	}
	if !strings.Contains(body, `<a href="/past" id="past-link">Past salons</a>`) {
		t.Fatal("the listing does not link the past salons")
	}
	status, body := apptest.Get(t, c, base+"/past")
	if got := cards(body); status != 200 || strings.Join(got, ",") != strings.Join(want[:20], ",") {
		t.Fatalf("past, first page: %d %v, want %v", status, got, want[:20])
	}
	if !strings.Contains(body, "badge-ended") || !strings.Contains(body, `<h1>Past salons</h1>`) {
		t.Error("past salons are not marked ended")
	}
	more := regexp.MustCompile(`<a href="([^"]+)" rel="next">Earlier salons</a>`).FindStringSubmatch(body)
	if more == nil {
		t.Fatal("no link to earlier salons")
	}
	_, body = apptest.Get(t, c, base+strings.ReplaceAll(more[1], "&amp;", "&"))
	if got := cards(body); strings.Join(got, ",") != strings.Join(want[20:], ",") {
		t.Fatalf("past, second page: %v, want %v", got, want[20:])
	}
	_, body = apptest.Get(t, c, base+"/past?industry=fintech")
	if got := cards(body); len(got) != 0 || !strings.Contains(body, "No salons match this search.") {
		t.Fatalf("past fintech: %v", got)
	}
}

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
