package apptest

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"salon/events"
	"salon/storage"
	"salon/tickets"
)

// OwnedSalon creates a published salon of the organizer directly in storage.
func OwnedSalon(t *testing.T, ta *App, org *events.User, slug string, edit func(*events.Salon)) *events.Salon {
	t.Helper()
	start := time.Now().Add(72 * time.Hour).Truncate(time.Hour)
	sa := &events.Salon{Slug: slug, Title: "Salon " + slug, Industry: "biotech", StartsAt: start, EndsAt: start.Add(2 * time.Hour),
		Capacity: 5, Waitlist: true, Status: events.StatusPublished, OrganizerID: org.ID, Timezone: events.DefaultTimezone}
	if edit != nil {
		edit(sa)
	}
	if err := ta.DB.CreateSalon(context.Background(), sa); err != nil {
		t.Fatal(err)
	}
	return sa
}

// Guest RSVPs to a salon directly in storage.
func Guest(t *testing.T, ta *App, slug string, in tickets.RSVPInput) *tickets.Ticket {
	t.Helper()
	in.Normalize()
	if err := in.Validate(); err != nil {
		t.Fatalf("rsvp input: %v", err)
	}
	res, err := ta.DB.CreateRSVP(context.Background(), storage.RSVPRequest{Slug: slug, Input: in})
	if err != nil {
		t.Fatal(err)
	}
	return res.Ticket
}

// Guests RSVPs n guests (emails prefix0@example.com …) to a salon directly
// in storage, from 32 goroutines so the writer commits them in batches.
func Guests(t testing.TB, ta *App, slug, prefix string, n int) {
	t.Helper()
	var next atomic.Int64
	var wg sync.WaitGroup
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= int64(n) {
					return
				}
				in := tickets.RSVPInput{Name: fmt.Sprintf("Guest %d", i), Email: fmt.Sprintf("%s%d@example.com", prefix, i),
					Company: "=Acme, \"Ltd\"", JobTitle: "工程师"}
				in.Normalize()
				if _, err := ta.DB.CreateRSVP(context.Background(), storage.RSVPRequest{Slug: slug, Input: in}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
}
