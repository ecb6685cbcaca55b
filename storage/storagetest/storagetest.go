// Package storagetest is the contract every storage backend must pass:
// the capacity, promotion, check-in, idempotency and outbox guarantees the
// storage interfaces promise, tested through storage.Store alone. A
// backend's tests run it once against a fresh store per subtest:
//
//	func TestContract(t *testing.T) { storagetest.Run(t, openStore) }
//
// The loops that race hundreds of goroutines are as heavy as they look on
// purpose: an oversell shows up only under real contention.
package storagetest

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"salon/events"
	"salon/storage"
	"salon/tickets"
)

// Opener opens a fresh, empty store for one test, closed when the test
// ends. The store must take its time from now, read on every write.
type Opener func(t *testing.T, now func() time.Time) storage.Store

// store is the store under test with the clock it reads.
type store struct {
	storage.Store
	clock *clock
}

// clock is a replaceable time source; a write running in another
// goroutine may read it while a test replaces it.
type clock struct {
	now atomic.Pointer[func() time.Time]
}

func (c *clock) Now() time.Time { return (*c.now.Load())() }

func (c *clock) set(f func() time.Time) { c.now.Store(&f) }

type contract struct {
	name string
	test func(t *testing.T, db *store)
}

var contracts = []contract{
	{"CreateRSVP_Concurrent", testCreateRSVPConcurrent},
	{"CancelRSVP_ConcurrentPromotion", testCancelRSVPConcurrentPromotion},
	{"CreateRSVP_Refusals", testCreateRSVPRefusals},
	{"CreateRSVP_AlreadyRegisteredResends", testCreateRSVPAlreadyRegisteredResends},
	{"CreateRSVP_ResendWindow", testCreateRSVPResendWindow},
	{"CreateRSVP_Idempotency", testCreateRSVPIdempotency},
	{"UpdateSalon_Capacity", testUpdateSalonCapacity},
	{"CreateSalon_Slugs", testCreateSalonSlugs},
	{"ChangeVersions", testChangeVersions},
	{"CreateRSVP_FeedToken", testCreateRSVPFeedToken},
	{"CancelRSVP_Token", testCancelRSVPToken},
	{"CheckIn_Concurrent", testCheckInConcurrent},
	{"CheckIn_Results", testCheckInResults},
	{"CheckIn_NonceAndOffline", testCheckInNonceAndOffline},
	{"SigningKeyRotation", testSigningKeyRotation},
	{"DoorLinks", testDoorLinks},
	{"CheckIn_ScanTime", testCheckInScanTime},
	{"TicketByID_WithinSalon", testTicketByIDWithinSalon},
	{"ClaimMessages_Concurrent", testClaimMessagesConcurrent},
	{"MarkMessage_StaleClaim", testMarkStaleClaim},
	{"Webhook_DeliveriesWithChange", testWebhookDeliveriesWithChange},
	{"Webhook_ClaimOnce", testWebhookClaimOnce},
	{"Webhook_Scope", testWebhookScope},
	// Approval and companions.
	{"Approval_Flow", testApprovalFlow},
	{"Approval_Full", testApprovalFull},
	{"Approval_Concurrent", testApprovalConcurrent},
	{"Parties_Concurrent", testPartiesConcurrent},
	{"Parties_HeadBlocks", testPartiesHeadBlocks},
	{"Parties_Idempotency", testPartiesIdempotency},
	{"FindSalons_Search", testFindSalonsSearch},
	{"FindSalons_Past", testFindSalonsPast},
	{"Industries", testIndustries},
	{"TicketPages", testTicketPages},
	{"TicketPages_UnderInserts", testTicketPagesUnderInserts},
	{"CheckIntegrity", testCheckIntegrity},
}

// Run runs every contract against stores from open, each in a subtest of
// its own with a fresh store.
func Run(t *testing.T, open Opener) {
	for _, c := range contracts {
		t.Run(c.name, func(t *testing.T) {
			clk := &clock{}
			clk.set(time.Now)
			c.test(t, &store{Store: open(t, clk.Now), clock: clk})
		})
	}
}

// rsvp makes one RSVP for email at the salon slug.
func rsvp(t testing.TB, db storage.Store, slug, email string) (*tickets.Ticket, error) {
	t.Helper()
	in := tickets.RSVPInput{Name: "Guest " + email, Email: email}
	in.Normalize()
	res, err := db.CreateRSVP(context.Background(), storage.RSVPRequest{Slug: slug, Input: in})
	if err != nil {
		return nil, err
	}
	return res.Ticket, nil
}

// countKinds counts a salon's outbox messages by kind.
func countKinds(t *testing.T, db storage.Store, salonID int64) map[string]int {
	t.Helper()
	msgs, err := db.FindMessages(context.Background(), storage.OutboxFilter{SalonID: salonID})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, m := range msgs {
		out[m.Kind]++
	}
	return out
}

// mustCreateSalon creates a published salon starting in a week.
func mustCreateSalon(tb testing.TB, db storage.Store, capacity int, waitlist bool) *events.Salon {
	tb.Helper()
	start := time.Now().Add(7 * 24 * time.Hour).Truncate(time.Minute)
	s := &events.Salon{Title: "Fintech founders", Industry: "fintech", StartsAt: start, EndsAt: start.Add(2 * time.Hour),
		Capacity: capacity, Waitlist: waitlist, Status: events.StatusPublished}
	if err := db.CreateSalon(context.Background(), s); err != nil {
		tb.Fatal(err)
	}
	return s
}

// MustKeySet adds a ticket signing key to db and returns the key set of
// all its keys, as the app builds it at start; called again, it rotates.
func MustKeySet(tb testing.TB, db storage.Store) *tickets.KeySet {
	tb.Helper()
	ctx := context.Background()
	if _, err := db.AddSigningKey(ctx, tickets.NewStoredKey); err != nil {
		tb.Fatal(err)
	}
	stored, err := db.LoadSigningKeys(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	keys, err := tickets.NewKeySet(stored)
	if err != nil {
		tb.Fatal(err)
	}
	return keys
}

// Verified is r with the claims of its code, as the app verifies a scan
// before the store records it.
func Verified(keys *tickets.KeySet, r storage.CheckinRequest) storage.CheckinRequest {
	if c, err := keys.Verify(r.Code); err == nil {
		r.Claims = &c
	}
	return r
}
