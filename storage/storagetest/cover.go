package storagetest

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"salon/events"
	"salon/storage"
	"salon/tickets"
)

func init() {
	contracts = append(contracts,
		contract{"Cover_SetReplaceRemove", testCoverSetReplaceRemove},
		contract{"Cover_Concurrent", testCoverConcurrent},
		contract{"Host_Fields", testHostFields},
		contract{"SalonChanged_OldAndNew", testSalonChangedOldAndNew},
	)
}

// coverImages makes stand-in images of the widths, whose bytes name the key.
func coverImages(key string, widths ...int) []storage.CoverImage {
	var out []storage.CoverImage
	for _, w := range widths {
		out = append(out, storage.CoverImage{Width: w, Height: w / 2, ContentType: "image/jpeg",
			Data: bytes.Repeat([]byte(fmt.Sprintf("%s-%d;", key, w)), 1000)})
	}
	return out
}

func testCoverSetReplaceRemove(t *testing.T, db *store) {
	ctx := storage.WithActor(context.Background(), storage.Actor{Email: "org@example.com", IP: "192.0.2.1"})
	s := mustCreateSalon(t, db, 10, true)
	v := db.SalonsVersion()
	got, err := db.SetSalonCover(ctx, s.ID, "k1", coverImages("k1", 480, 960))
	if err != nil {
		t.Fatal(err)
	}
	want := []events.CoverSize{{Width: 480, Height: 240}, {Width: 960, Height: 480}}
	if got.Cover.Key != "k1" || fmt.Sprint(got.Cover.Sizes) != fmt.Sprint(want) {
		t.Fatalf("cover = %+v", got.Cover)
	}
	if db.SalonsVersion() == v {
		t.Error("setting a cover did not raise the salons version (pages would stay stale)")
	}
	read, err := db.FindSalonBySlug(ctx, s.Slug)
	if err != nil || read.Cover.Key != "k1" || len(read.Cover.Sizes) != 2 {
		t.Fatalf("read back: %+v %v", read, err)
	}
	im, err := db.FindCoverImage(ctx, "k1", 960)
	if err != nil || im.Height != 480 || im.ContentType != "image/jpeg" || !bytes.Equal(im.Data, coverImages("k1", 960)[0].Data) {
		t.Fatalf("image: %+v %v", im, err)
	}
	if _, err := db.FindCoverImage(ctx, "k1", 1600); events.ErrorCode(err) != events.ENOTFOUND {
		t.Fatalf("a width never stored: %v", err)
	}

	// Replacing: the old images go in the same write.
	if got, err = db.SetSalonCover(ctx, s.ID, "k2", coverImages("k2", 480)); err != nil || got.Cover.Key != "k2" || len(got.Cover.Sizes) != 1 {
		t.Fatalf("replace: %+v %v", got, err)
	}
	if _, err := db.FindCoverImage(ctx, "k1", 480); events.ErrorCode(err) != events.ENOTFOUND {
		t.Fatalf("the replaced cover is still served: %v", err)
	}
	if _, err := db.FindCoverImage(ctx, "k2", 480); err != nil {
		t.Fatal(err)
	}
	// Other fields are untouched by a cover, and an update keeps the cover.
	title := "Renamed"
	if got, err = db.UpdateSalon(ctx, s.ID, events.SalonUpdate{Title: &title}); err != nil || got.Cover.Key != "k2" {
		t.Fatalf("an update lost the cover: %+v %v", got, err)
	}

	if got, err = db.RemoveSalonCover(ctx, s.ID); err != nil || got.Cover.Has() {
		t.Fatalf("remove: %+v %v", got, err)
	}
	if _, err := db.FindCoverImage(ctx, "k2", 480); events.ErrorCode(err) != events.ENOTFOUND {
		t.Fatalf("the removed cover is still served: %v", err)
	}
	if _, err := db.RemoveSalonCover(ctx, s.ID); err != nil {
		t.Fatalf("removing no cover: %v", err)
	}
	if _, err := db.SetSalonCover(ctx, s.ID+999, "k3", coverImages("k3", 480)); events.ErrorCode(err) != events.ENOTFOUND {
		t.Fatalf("unknown salon: %v", err)
	}
	if _, err := db.FindCoverImage(ctx, "k3", 480); events.ErrorCode(err) != events.ENOTFOUND {
		t.Fatalf("a refused write left images: %v", err)
	}

	entries, err := db.FindAudit(ctx, storage.AuditFilter{SalonID: s.ID})
	if err != nil {
		t.Fatal(err)
	}
	n := map[string]int{}
	for _, e := range entries {
		n[e.Action]++
	}
	if n[storage.ActionSalonCover] != 2 || n[storage.ActionSalonCoverRemove] != 1 {
		t.Errorf("audit = %v, want 2 salon.cover and 1 salon.cover_remove (the second remove changed nothing)", n)
	}
}

// Uploads racing on one salon leave one cover whole: the salon names the
// key whose images are stored, and no other key's images are left.
func testCoverConcurrent(t *testing.T, db *store) {
	ctx := context.Background()
	s := mustCreateSalon(t, db, 10, true)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			key := fmt.Sprintf("key%d", i)
			if _, err := db.SetSalonCover(ctx, s.ID, key, coverImages(key, 480, 960, 1600)); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	got, err := db.FindSalonByID(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 8 {
		key := fmt.Sprintf("key%d", i)
		for _, w := range []int{480, 960, 1600} {
			_, err := db.FindCoverImage(ctx, key, w)
			if key == got.Cover.Key && err != nil {
				t.Errorf("the salon's cover %s lacks width %d: %v", key, w, err)
			}
			if key != got.Cover.Key && events.ErrorCode(err) != events.ENOTFOUND {
				t.Errorf("a replaced cover %s width %d is left: %v", key, w, err)
			}
		}
	}
}

func testHostFields(t *testing.T, db *store) {
	ctx := context.Background()
	start := time.Now().Add(7 * 24 * time.Hour).Truncate(time.Minute)
	s := &events.Salon{Title: "Hosted", Industry: "fintech", StartsAt: start, EndsAt: start.Add(time.Hour),
		Capacity: 5, Status: events.StatusPublished, HostName: "王芳", HostAbout: "Runs the fintech circle.\nTen years at a bank."}
	if err := db.CreateSalon(ctx, s); err != nil {
		t.Fatal(err)
	}
	got, err := db.FindSalonBySlug(ctx, s.Slug)
	if err != nil || got.HostName != "王芳" || got.HostAbout != s.HostAbout {
		t.Fatalf("read back: %+v %v", got, err)
	}
	name, about := "Mei Lin", ""
	if got, err = db.UpdateSalon(ctx, s.ID, events.SalonUpdate{HostName: &name, HostAbout: &about}); err != nil ||
		got.HostName != "Mei Lin" || got.HostAbout != "" || got.Sequence != s.Sequence {
		t.Fatalf("update (a host change notifies nobody): %+v %v", got, err)
	}
	if k := countKinds(t, db, s.ID); k[tickets.NoticeSalonChanged] != 0 {
		t.Errorf("a host change queued notices: %v", k)
	}
	empty, orphan := "", "About nobody"
	_, err = db.UpdateSalon(ctx, s.ID, events.SalonUpdate{HostName: &empty, HostAbout: &orphan})
	if fe, ok := err.(*events.Error); !ok || fe.Fields["host.name"] == "" {
		t.Fatalf("an about without a name: %v", err)
	}
	long := string(bytes.Repeat([]byte("x"), events.MaxHostName+1))
	_, err = db.UpdateSalon(ctx, s.ID, events.SalonUpdate{HostName: &long})
	if fe, ok := err.(*events.Error); !ok || fe.Fields["host.name"] == "" {
		t.Fatalf("a long name: %v", err)
	}
	if got, _ := db.FindSalonByID(ctx, s.ID); got.HostName != "Mei Lin" {
		t.Errorf("a refused update changed the host: %q", got.HostName)
	}
}

// A change notice records the title, time and place before and after the
// change, in the write of the change.
func testSalonChangedOldAndNew(t *testing.T, db *store) {
	ctx := context.Background()
	s := mustCreateSalon(t, db, 10, true)
	venue := "WeWork Weihai Lu"
	if _, err := db.UpdateSalon(ctx, s.ID, events.SalonUpdate{Venue: &venue}); err != nil {
		t.Fatal(err)
	}
	if _, err := rsvp(t, db, s.Slug, "ana@example.com"); err != nil {
		t.Fatal(err)
	}
	before, _ := db.FindSalonByID(ctx, s.ID)
	start, end := before.StartsAt.Add(time.Hour), before.EndsAt.Add(time.Hour)
	title, newVenue := "Fintech founders, later", "Columbia Circle"
	if _, err := db.UpdateSalon(ctx, s.ID, events.SalonUpdate{StartsAt: &start, EndsAt: &end, Title: &title, Venue: &newVenue}); err != nil {
		t.Fatal(err)
	}
	msgs, err := db.FindMessages(ctx, storage.OutboxFilter{SalonID: s.ID})
	if err != nil {
		t.Fatal(err)
	}
	var found int
	for _, m := range msgs {
		if m.Kind != tickets.NoticeSalonChanged {
			continue
		}
		found++
		c, ok := tickets.ChangeFromPayload(m.Payload)
		if !ok {
			t.Fatalf("no change in payload %v", m.Payload)
		}
		if !c.Before.StartsAt.Equal(before.StartsAt) || !c.After.StartsAt.Equal(start) || !c.After.EndsAt.Equal(end) {
			t.Errorf("times: %v -> %v, want %v -> %v", c.Before.StartsAt, c.After.StartsAt, before.StartsAt, start)
		}
		if c.Before.Venue != venue || c.After.Venue != newVenue || c.Before.Title != "Fintech founders" || c.After.Title != title {
			t.Errorf("change = %+v", c)
		}
		if c.Before.Timezone != before.Timezone || !c.TimeChanged() || !c.PlaceChanged() || !c.TitleChanged("en") {
			t.Errorf("change = %+v", c)
		}
		if seq, _ := m.Payload["sequence"].(float64); int(seq) != before.Sequence+1 {
			t.Errorf("sequence %v, want %d", m.Payload["sequence"], before.Sequence+1)
		}
	}
	if found != 1 {
		t.Fatalf("%d change notices, want 1 (the one RSVP was after the first change)", found)
	}
}
