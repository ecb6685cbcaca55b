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

// TestSalonPage_MapsAndGoing: map links search for the address, escaped as
// a query value, and the page says how many are going, never who.
func TestSalonPage_MapsAndGoing(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon(`"venue":"WeWork","address":"威海路 755 号 & Co #2","capacity":5`)
	ta.RSVP(slug, "Wang Fang", "fang@example.com")
	ta.RSVP(slug, "Li Lei", "lei@example.com")
	_, body, _ := ta.Do("GET", "/salons/"+slug, "", "", "")
	q := "%E5%A8%81%E6%B5%B7%E8%B7%AF%20755%20%E5%8F%B7%20%26%20Co%20%232"
	for _, want := range []string{
		`href="https://uri.amap.com/search?callnative=0&amp;keyword=` + q + `&amp;src=salon"`,
		`href="https://maps.apple.com/?q=` + q + `"`,
		`href="https://www.google.com/maps/search/?api=1&amp;query=` + q + `"`,
		">2 going<",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("want %s in the page", want)
		}
	}
	if strings.Contains(body, "Wang Fang") || strings.Contains(body, "Li Lei") {
		t.Error("the page names who is going")
	}
}
