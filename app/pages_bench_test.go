package app_test

import (
	"fmt"
	"testing"
)

// BenchmarkRenderSalonPage measures the public salon page (template, CSRF
// middleware, security headers) through a real listener; its target is at
// least half of BenchmarkBareHello_HTTP.
func BenchmarkRenderSalonPage(b *testing.B) {
	ta := newTestApp(b)
	slug := ta.salon(`"description":"An evening of short talks.\nBring a friend; seats are limited.","capacity":40`)
	hammer(b, ta.listen()+"/salons/"+slug, 200)
}

// BenchmarkRenderIndexPage measures the listing page with 100 published
// salons.
func BenchmarkRenderIndexPage(b *testing.B) {
	ta := newTestApp(b)
	for i := range 100 {
		ta.salon(fmt.Sprintf(`"slug":"page-%d","industry":"%s"`, i, []string{"fintech", "biotech", "ai"}[i%3]))
	}
	hammer(b, ta.listen()+"/", 200)
}
