package site_test

import (
	"strings"
	"testing"

	"salon/app/internal/apptest"
)

// TestSalonPage_Markdown: the description is Markdown on the page, and
// hostile Markdown reaches it harmless.
func TestSalonPage_Markdown(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon(`"description":"Talks and **drinks**.\n\n- [Map](https://example.com/m)\n- [bad](javascript:alert(1))\n\n<script>alert(2)</script>"`)
	status, body, _ := ta.Do("GET", "/salons/"+slug, "", "", "")
	if status != 200 {
		t.Fatalf("salon page: %d", status)
	}
	for _, want := range []string{"<strong>drinks</strong>", `<a href="https://example.com/m" rel="nofollow noopener" target="_blank">Map</a>`} {
		if !strings.Contains(body, want) {
			t.Errorf("want %s in the page", want)
		}
	}
	for _, bad := range []string{"javascript:", "alert(2)", "**drinks**"} {
		if strings.Contains(body, bad) {
			t.Errorf("%s must not be in the page", bad)
		}
	}
}
