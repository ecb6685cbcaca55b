package calendar_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"salon/app/internal/apptest"
	"salon/events"
)

// benchFeed starts the app with n published salons and returns its base URL.
func benchFeed(b *testing.B, n int) string {
	b.Helper()
	ta := apptest.New(b)
	start := time.Now().Add(24 * time.Hour).Truncate(time.Hour)
	industries := []string{"fintech", "biotech", "ai", "design"}
	for i := range n {
		at := start.Add(time.Duration(i) * 6 * time.Hour)
		sa := &events.Salon{
			Title: fmt.Sprintf("Salon %d: founders, investors & friends", i), Industry: industries[i%len(industries)],
			Description: "An evening of talks.\nBring a friend; seats are limited.", Venue: "WeWork Weihai Lu",
			Address: "weihai lu 696, Jing'an, Shanghai", StartsAt: at, EndsAt: at.Add(2 * time.Hour),
			Capacity: 40, Waitlist: true, Status: events.StatusPublished, OrganizerID: ta.Org.ID,
		}
		if err := ta.DB.CreateSalon(context.Background(), sa); err != nil {
			b.Fatal(err)
		}
	}
	return ta.Listen()
}

// BenchmarkCalendarFeed_HTTP measures /calendar.ics with 1,000 salons
// through a real listener: the whole body from the cache, and the 304 a
// polling calendar client gets. The 304 path should run at least half as
// fast as BenchmarkBareHello_HTTP.
func BenchmarkCalendarFeed_HTTP(b *testing.B) {
	base := benchFeed(b, 1000)
	resp, err := http.Get(base + "/calendar.ics")
	if err != nil {
		b.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	etag := resp.Header.Get("ETag")
	if resp.StatusCode != 200 || etag == "" {
		b.Fatalf("feed: %d", resp.StatusCode)
	}
	b.Logf("feed of 1000 salons: %d bytes", len(body))
	b.Run("full", func(b *testing.B) { apptest.Hammer(b, base+"/calendar.ics", 200) })
	b.Run("304", func(b *testing.B) { apptest.Hammer(b, base+"/calendar.ics", 304, "If-None-Match", etag) })
}

// BenchmarkBareHello_HTTP is the yardstick for the 304 path: a Fiber app
// with one handler and no middleware, through the same kind of listener.
func BenchmarkBareHello_HTTP(b *testing.B) {
	app := fiber.New(fiber.Config{DisableStartupMessage: true, Immutable: true})
	app.Get("/", func(c *fiber.Ctx) error { return c.SendString("hello") })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go app.Listener(ln)
	b.Cleanup(func() { app.ShutdownWithTimeout(5 * time.Second) })
	apptest.Hammer(b, "http://"+ln.Addr().String()+"/", 200)
}
