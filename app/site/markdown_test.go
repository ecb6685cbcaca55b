package site

import (
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestDescriptionHTML: organizers' Markdown becomes paragraphs, lists and
// links, and nothing they type can run script or reach raw HTML.
func TestDescriptionHTML(t *testing.T) {
	for name, tc := range map[string]struct {
		src       string
		want, not []string
	}{
		"paragraphs and lists": {"Short talks.\n\n- one\n- two", []string{"<p>Short talks.</p>", "<li>one</li>", "<ul>"}, nil},
		"line break kept":      {"Doors 19:00\nTalks 19:30", []string{"Doors 19:00<br>"}, nil},
		"link":                 {"[Map](https://example.com/m)", []string{`href="https://example.com/m"`, `rel="nofollow noopener"`}, nil},
		"raw html":             {"<script>alert(1)</script>\n\n<b onclick=x>hi</b>", nil, []string{"<script", "onclick", "alert(1)</script>"}},
		"javascript link":      {"[x](javascript:alert(1))", nil, []string{"javascript:"}},
		"data link":            {"[x](data:text/html,<script>alert(1)</script>)", nil, []string{"data:text/html", "<script"}},
		"autolink js":          {"<javascript:alert(1)>", nil, []string{`href="javascript:`}},
		"image onerror":        {`![x](x" onerror="alert(1))`, nil, []string{`onerror="`, "<img"}},
	} {
		t.Run(name, func(t *testing.T) {
			got := string(descriptionHTML(tc.src))
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("%q: want %q in %s", tc.src, w, got)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(got, n) {
					t.Errorf("%q: %q must not be in %s", tc.src, n, got)
				}
			}
		})
	}
}

// TestDescriptionText: the link preview's description is the text alone.
func TestDescriptionText(t *testing.T) {
	got := descriptionText("**Short** talks & <b>drinks</b>\n\n- [one](https://x.example)", 200)
	if got != "Short talks & drinks one" {
		t.Fatalf("%q", got)
	}
	if got := descriptionText(strings.Repeat("长", 300), 10); got != strings.Repeat("长", 10)+"…" {
		t.Fatalf("cut: %q", got)
	}
}

// FuzzDescriptionHTML: whatever an organizer types, the page gets no
// script, no style, no frame, no event handler and no link or image with a
// scheme other than http, https or mailto.
func FuzzDescriptionHTML(f *testing.F) {
	for _, s := range []string{"<script>x</script>", "[a](javascript:x)", "<img src=x onerror=y>", "*a* _b_", "[a](JaVa\tScRiPt:x)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		out := string(descriptionHTML(src))
		z := html.NewTokenizer(strings.NewReader(out))
		for {
			tt := z.Next()
			if tt == html.ErrorToken {
				return
			}
			if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
				continue
			}
			tok := z.Token()
			switch tok.Data {
			case "script", "style", "iframe", "object", "embed", "form", "input":
				t.Fatalf("%q gave <%s>: %s", src, tok.Data, out)
			}
			for _, a := range tok.Attr {
				if strings.HasPrefix(a.Key, "on") || a.Key == "style" {
					t.Fatalf("%q gave attribute %s: %s", src, a.Key, out)
				}
				if a.Key == "href" || a.Key == "src" {
					u, err := url.Parse(a.Val)
					if err != nil || (u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "mailto") {
						t.Fatalf("%q gave %s=%q: %s", src, a.Key, a.Val, out)
					}
				}
			}
		}
	})
}
