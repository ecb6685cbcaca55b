package console_test

import (
	"strings"
	"testing"

	"salon/app/internal/apptest"
	"salon/events"
	"salon/tickets"
)

// TestChineseOrganizer: a Chinese-speaking organizer switches the language
// once and runs a salon without meeting an English interface string, in the
// console and on the door page.
func TestChineseOrganizer(t *testing.T) {
	ta, base := apptest.ConsoleApp(t)
	org := ta.Account("wang@example.com", events.RoleOrganizer)
	ta.Account("boss@example.com", events.RoleAdmin)
	sa := apptest.OwnedSalon(t, ta, org, "fintech-zh", func(s *events.Salon) { s.Title = "金融科技沙龙" })
	apptest.Guest(t, ta, sa.Slug, tickets.RSVPInput{Name: "李娜", Email: "li@example.com", Company: "蚂蚁集团"})
	for _, who := range []string{"wang@example.com", "boss@example.com"} {
		c := apptest.Browser(t)
		if r, err := c.Get(base + "/lang/zh?next=/login"); err != nil || r.StatusCode != 303 {
			t.Fatalf("switch: %v %v", r, err)
		}
		resp, _ := apptest.Login(t, c, base, who, apptest.TestPassword)
		if resp.StatusCode != 303 {
			t.Fatalf("login %s: %d", who, resp.StatusCode)
		}
		pages := []string{"/login", "/admin", "/admin/salons/new", "/admin/salons/" + sa.Slug, "/admin/salons/" + sa.Slug + "/edit",
			"/admin/salons/" + sa.Slug + "/attendees", "/admin/salons/" + sa.Slug + "/cancel", "/admin/outbox", "/admin/audit",
			"/admin/tokens", "/admin/webhooks", "/door/" + sa.Slug, "/", "/salons/" + sa.Slug}
		if who == "boss@example.com" {
			pages = append(pages, "/admin/users")
		}
		for _, p := range pages {
			status, body := apptest.Get(t, c, base+p)
			if status != 200 {
				t.Errorf("%s %s: %d", who, p, status)
				continue
			}
			if !strings.Contains(body, `lang="zh-Hans"`) {
				t.Errorf("%s %s is not marked Chinese", who, p)
			}
			if leaks := apptest.EnglishLeaks(body); len(leaks) > 0 {
				t.Errorf("%s %s shows English interface text: %q", who, p, leaks)
			}
		}
	}
}
