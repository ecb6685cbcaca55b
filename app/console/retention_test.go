package console_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"salon/app"
	"salon/app/internal/apptest"
	"salon/events"
)

// TestRetentionDates: the salon page and the salon list say when guests'
// personal data will be erased (the end plus --retention-days, in the
// salon's zone), that it was, or, with 0 days, that it is kept.
func TestRetentionDates(t *testing.T) {
	ta := apptest.New(t, func(c *app.Config) { c.RetentionDays = 30 })
	kept := apptest.New(t)
	for _, a := range []*apptest.App{ta, kept} {
		a.Account("mei@example.com", events.RoleOrganizer)
	}
	mei, _ := ta.DB.FindUserByEmail(t.Context(), "mei@example.com")
	berlin, _ := time.LoadLocation("Europe/Berlin")
	// Ends at 23:30 in Berlin, which is already the next day in UTC: the
	// date must be Berlin's.
	end := time.Date(2031, 3, 10, 23, 30, 0, 0, berlin)
	soon := mkSalon(t, ta, mei.ID, "Future", end, "Europe/Berlin")
	past := mkSalon(t, ta, mei.ID, "Long ago", time.Now().AddDate(0, 0, -40), "Asia/Shanghai")
	base := ta.Listen()
	c := apptest.SignedIn(t, base, "mei@example.com")

	_, page := apptest.Get(t, c, base+"/admin/salons/"+soon.Slug)
	if want := "Guests&#39; personal data will be erased on 2031-04-09 23:30 (Europe/Berlin), 30 days after the salon ends."; !strings.Contains(page, want) {
		t.Fatalf("upcoming salon: want %q in %s", want, page)
	}
	_, page = apptest.Get(t, c, base+"/admin/salons/"+past.Slug)
	if !strings.Contains(page, "Guests&#39; personal data was erased on ") {
		t.Fatalf("ended salon: %s", page)
	}
	_, list := apptest.Get(t, c, base+"/admin")
	if !strings.Contains(list, `<td class="retention">2031-04-09</td>`) || !strings.Contains(list, `<td class="retention">Erased</td>`) {
		t.Fatalf("salon list: %s", list)
	}

	kmei, _ := kept.DB.FindUserByEmail(t.Context(), "mei@example.com")
	ks := mkSalon(t, kept, kmei.ID, "Kept", end, "Europe/Berlin")
	kbase := kept.Listen()
	kc := apptest.SignedIn(t, kbase, "mei@example.com")
	_, page = apptest.Get(t, kc, kbase+"/admin/salons/"+ks.Slug)
	if !strings.Contains(page, "personal data is kept: this server erases none by time") || strings.Contains(page, "will be erased") {
		t.Fatalf("kept: %s", page)
	}
	_, page = getZh(t, kc, kbase+"/admin/salons/"+ks.Slug)
	if !strings.Contains(page, "嘉宾的个人信息会一直保留") {
		t.Fatalf("kept, zh: %s", page)
	}
}

// mkSalon stores a published salon of two hours ending at end, with the
// store's clock set before it so it may be made.
func mkSalon(t *testing.T, ta *apptest.App, organizer int64, title string, end time.Time, zone string) *events.Salon {
	t.Helper()
	clock := ta.DB.Clock
	ta.DB.Clock = func() time.Time { return end.Add(-30 * 24 * time.Hour) }
	defer func() { ta.DB.Clock = clock }()
	s := &events.Salon{Title: title, Industry: "law", StartsAt: end.Add(-2 * time.Hour), EndsAt: end, Timezone: zone,
		Capacity: 5, Waitlist: true, Status: events.StatusPublished, OrganizerID: organizer}
	if err := ta.DB.CreateSalon(t.Context(), s); err != nil {
		t.Fatal(err)
	}
	return s
}

// getZh fetches u with c as a reader who chose Chinese.
func getZh(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	req.AddCookie(&http.Cookie{Name: "lang", Value: "zh"})
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
