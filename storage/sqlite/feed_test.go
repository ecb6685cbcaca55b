package sqlite_test

import (
	"context"
	"strconv"
	"testing"

	"salon/tickets"
)

func TestFeeds(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	a := MustCreateSalon(t, db, 5, true)
	b := MustCreateSalon(t, db, 5, true)
	first, _ := rsvp(t, db, a.Slug, "ana@example.com")
	second, _ := rsvp(t, db, b.Slug, "ana@example.com")
	tok, err := db.FeedToken(ctx, "ana@example.com")
	if err != nil || tok == "" {
		t.Fatal(err)
	}
	if tickets.TokenTicketID(tok) != first.ID {
		t.Fatal("the feed token must name the email's first ticket, so it is the same for every salon")
	}
	if email, err := db.FindFeedEmail(ctx, tok); err != nil || email != "ana@example.com" {
		t.Fatalf("find: %q %v", email, err)
	}
	// The same HMAC around another of the email's tickets, or around a
	// stranger's ticket, is not a feed token.
	forged := strconv.FormatInt(second.ID, 36) + tok[len(strconv.FormatInt(first.ID, 36)):]
	if _, err := db.FindFeedEmail(ctx, forged); err == nil {
		t.Fatal("a forged feed token was accepted")
	}
	if none, _ := db.FeedToken(ctx, "nobody@example.com"); none != "" {
		t.Fatal("an email without tickets has a feed")
	}
	newTok, err := db.RevokeFeed(ctx, "ana@example.com")
	if err != nil || newTok == tok {
		t.Fatalf("revoke: %v", err)
	}
	if _, err := db.FindFeedEmail(ctx, tok); err == nil {
		t.Fatal("a revoked feed token still works")
	}
	if cur, _ := db.FeedToken(ctx, "ana@example.com"); cur != newTok {
		t.Fatal("the current token is not the new one")
	}
	if _, err := db.RevokeFeed(ctx, "nobody@example.com"); err == nil {
		t.Fatal("revoked a feed that does not exist")
	}
}
