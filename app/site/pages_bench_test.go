package site_test

import (
	"fmt"
	"testing"

	"salon/app/internal/apptest"
)

// BenchmarkRenderSalonPage measures the public salon page (template, CSRF
// middleware, security headers) through a real listener; its target is at
// least half of BenchmarkBareHello_HTTP.
func BenchmarkRenderSalonPage(b *testing.B) {
	ta := apptest.New(b)
	slug := ta.Salon(`"description":"An evening of short talks.\nBring a friend; seats are limited.","capacity":40`)
	apptest.Hammer(b, ta.Listen()+"/salons/"+slug, 200)
}

// BenchmarkRenderIndexPage measures the listing page with 100 published
// salons.
func BenchmarkRenderIndexPage(b *testing.B) {
	ta := apptest.New(b)
	for i := range 100 {
		ta.Salon(fmt.Sprintf(`"slug":"page-%d","industry":"%s"`, i, []string{"fintech", "biotech", "ai"}[i%3]))
	}
	apptest.Hammer(b, ta.Listen()+"/", 200)
}
