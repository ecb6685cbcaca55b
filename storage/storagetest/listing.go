package storagetest

import (
	"context"
	"errors"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"salon/events"
	"salon/storage"
)

// listed creates a published salon from a template: title, the three
// other texts, and its start in days from now.
func listed(t *testing.T, db storage.Store, title, desc, titleZh, descZh string, days int) *events.Salon {
	t.Helper()
	start := time.Now().Add(time.Duration(days) * 24 * time.Hour).Truncate(time.Minute)
	s := &events.Salon{Title: title, Description: desc, TitleZh: titleZh, DescriptionZh: descZh, Industry: "fintech",
		StartsAt: start, EndsAt: start.Add(2 * time.Hour), Capacity: 10, Waitlist: true, Status: events.StatusPublished}
	if err := db.CreateSalon(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	return s
}

func slugsOf(list []*events.Salon) []string {
	out := make([]string, 0, len(list))
	for _, s := range list {
		out = append(out, s.Slug)
	}
	return out
}

// testFindSalonsSearch: q matches words of the title and description in
// either language, every word (in any order and case) must match, and %
// and _ are the characters themselves, never LIKE's wildcards.
func testFindSalonsSearch(t *testing.T, db *store) {
	ctx := context.Background()
	pct := listed(t, db, "100% founders", "Cap tables", "", "", 1)
	under := listed(t, db, "Rust_lang night", "", "", "", 2)
	zh := listed(t, db, "Fintech evening", "Payments and lending", "金融科技之夜", "支付与借贷，AI 风控", 3)
	accent := listed(t, db, "ZOË'S DESIGN CLUB", "Typefaces", "", "", 4)
	plain := listed(t, db, "Founders breakfast", "100 percent coffee", "", "", 5)
	for _, c := range []struct {
		q    string
		want []*events.Salon
	}{
		{"%", []*events.Salon{pct}},
		{"100%", []*events.Salon{pct}},
		{"_", []*events.Salon{under}},
		{"rust_lang", []*events.Salon{under}},
		{"founders", []*events.Salon{pct, plain}},
		{"FOUNDERS coffee", []*events.Salon{plain}},
		{"coffee founders", []*events.Salon{plain}},
		{"lending", []*events.Salon{zh}},
		{"金融", []*events.Salon{zh}},
		{"借贷", []*events.Salon{zh}},
		{"ai 风控", []*events.Salon{zh}},
		{"zoë", []*events.Salon{accent}},
		{"\\", nil},
		{"nothing-like-this", nil},
	} {
		q := c.q
		got, err := db.FindSalons(ctx, events.SalonFilter{Q: &q})
		if err != nil {
			t.Fatalf("q=%q: %v", q, err)
		}
		if g, w := strings.Join(slugsOf(got), ","), strings.Join(slugsOf(c.want), ","); g != w {
			t.Errorf("q=%q: got [%s], want [%s]", q, g, w)
		}
	}
}

// testFindSalonsPast: EndedBefore keeps the salons that have ended, Newest
// lists them latest first, and Limit and Offset page through them.
func testFindSalonsPast(t *testing.T, db *store) {
	ctx := context.Background()
	var made []*events.Salon
	for _, days := range []int{-30, -3, -10, -1, 2} {
		made = append(made, listed(t, db, "Salon", "", "", "", days))
	}
	now := time.Now()
	all, err := db.FindSalons(ctx, events.SalonFilter{EndedBefore: &now, Newest: true})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{made[3].Slug, made[1].Slug, made[2].Slug, made[0].Slug}
	if g := slugsOf(all); strings.Join(g, ",") != strings.Join(want, ",") {
		t.Fatalf("past, newest first: %v, want %v", g, want)
	}
	page, err := db.FindSalons(ctx, events.SalonFilter{EndedBefore: &now, Newest: true, Limit: 2, Offset: 2})
	if err != nil {
		t.Fatal(err)
	}
	if g := slugsOf(page); strings.Join(g, ",") != strings.Join(want[2:], ",") {
		t.Fatalf("second page: %v, want %v", g, want[2:])
	}
	soonest, err := db.FindSalons(ctx, events.SalonFilter{From: &now})
	if err != nil || len(soonest) != 1 || soonest[0].Slug != made[4].Slug {
		t.Fatalf("upcoming: %v %v", slugsOf(soonest), err)
	}
	law := "law"
	if _, err := db.UpdateSalon(ctx, made[0].ID, events.SalonUpdate{Industry: &law}); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		f    events.SalonFilter
		want string
	}{
		"past":     {events.SalonFilter{EndedBefore: &now}, "fintech,law"},
		"upcoming": {events.SalonFilter{From: &now}, "fintech"},
	} {
		got, err := db.FindIndustries(ctx, c.f)
		if err != nil || strings.Join(got, ",") != c.want {
			t.Errorf("industries of %s salons: %v %v, want %s", name, got, err, c.want)
		}
	}
}

// testIndustries: an added industry is listed with both names; one whose
// slug, English name (in any case) or Chinese name the fixed list or an
// added one has is refused on that field; and of the same industry added
// by many at once, exactly one is saved.
func testIndustries(t *testing.T, db *store) {
	ctx := storage.WithActor(context.Background(), storage.Actor{Email: "admin@example.com"})
	rob := &events.Industry{Name: " Robotics ", NameZh: "机器人"}
	if err := db.CreateIndustry(ctx, rob); err != nil {
		t.Fatal(err)
	}
	if rob.Slug != "robotics" || rob.Name != "Robotics" || !rob.Added {
		t.Fatalf("created: %+v", rob)
	}
	for name, c := range map[string]struct {
		in    events.Industry
		field string
	}{
		"fixed slug":              {events.Industry{Slug: "fintech", Name: "Finance tech", NameZh: "金融技术"}, "slug"},
		"fixed name":              {events.Industry{Slug: "law2", Name: "LAW", NameZh: "律师"}, "name"},
		"fixed Chinese name":      {events.Industry{Slug: "bio", Name: "Bio", NameZh: "生物科技"}, "name_zh"},
		"added slug":              {events.Industry{Slug: "robotics", Name: "Robots", NameZh: "机器"}, "slug"},
		"added name, other case":  {events.Industry{Slug: "robots", Name: "roBOTics", NameZh: "机器"}, "name"},
		"added Chinese name":      {events.Industry{Slug: "robots", Name: "Robots", NameZh: "机器人"}, "name_zh"},
		"no Chinese name":         {events.Industry{Slug: "space", Name: "Space"}, "name_zh"},
		"Chinese name in English": {events.Industry{Slug: "space", Name: "Space", NameZh: "Space"}, "name_zh"},
		"bad slug":                {events.Industry{Slug: "Space Tech!", Name: "Space", NameZh: "航天"}, "slug"},
		"no English name":         {events.Industry{Slug: "space", NameZh: "航天"}, "name"},
	} {
		in := c.in
		err := db.CreateIndustry(ctx, &in)
		var e *events.Error
		if !errors.As(err, &e) || e.Code != events.EINVALID || e.Fields[c.field] == "" {
			t.Errorf("%s: %v, want invalid on %s", name, err, c.field)
		}
	}

	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = db.CreateIndustry(ctx, &events.Industry{Slug: "space", Name: "Space", NameZh: "航天"})
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		} else if events.ErrorCode(err) != events.EINVALID {
			t.Errorf("racing add: %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d of %d racing adds of one industry succeeded, want 1", ok, n)
	}
	list, err := db.FindAddedIndustries(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var slugs []string
	for _, ind := range list {
		slugs = append(slugs, ind.Slug+"="+ind.Name+"/"+ind.NameZh)
	}
	sort.Strings(slugs)
	if strings.Join(slugs, ",") != "robotics=Robotics/机器人,space=Space/航天" {
		t.Fatalf("added industries: %v", slugs)
	}
	entries, err := db.FindAudit(ctx, storage.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	audited := 0
	for _, e := range entries {
		if e.Action == storage.ActionIndustryCreate {
			audited++
		}
	}
	if audited != 2 {
		t.Fatalf("%d industry.create entries, want 2", audited)
	}
}
