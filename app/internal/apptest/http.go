package apptest

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"salon/app/i18n"
)

// CSRFRE finds a form's CSRF token.
var CSRFRE = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// Browser is a cookie-keeping HTTP client that does not follow redirects.
func Browser(t *testing.T) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// Get fetches u with c and returns the status and body.
func Get(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// PostForm posts v to u with c and returns the answer and its body.
func PostForm(t *testing.T, c *http.Client, u string, v url.Values) (*http.Response, string) {
	t.Helper()
	resp, err := c.PostForm(u, v)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// EnglishLeaks lists English interface strings found in a page meant to be
// Chinese: every English catalogue value long enough to be a sentence or a
// label, except brand names that read the same in both.
func EnglishLeaks(body string) []string {
	var out []string
	for _, k := range i18n.Keys() {
		en := i18n.T("en", k)
		if strings.ContainsAny(en, "%{") || len(en) < 5 || i18n.T("zh", k) == en {
			continue
		}
		visible := strings.Contains(body, ">"+en+"<") || strings.Contains(body, "> "+en+"<") || strings.Contains(body, ">"+en+" ")
		for _, attr := range []string{"alt", "title", "placeholder", "aria-label", "content"} {
			visible = visible || strings.Contains(body, attr+`="`+en+`"`)
		}
		if visible {
			out = append(out, en)
		}
	}
	return out
}

// Hammer GETs url from parallel clients with the given headers and reports
// requests per second; every answer must have status want.
func Hammer(b *testing.B, url string, want int, headers ...string) {
	b.Helper()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest("GET", url, nil)
			for i := 0; i+1 < len(headers); i += 2 {
				req.Header.Set(headers[i], headers[i+1])
			}
			resp, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			n, _ := io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != want {
				b.Fatalf("status %d, want %d", resp.StatusCode, want)
			}
			b.SetBytes(n)
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}
