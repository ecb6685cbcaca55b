package site_test

import (
	"strings"
	"testing"

	"salon/app"
	"salon/app/internal/apptest"
)

// TestPrivacyPage: the privacy page names the retention period and the
// contact (--privacy-contact, else the --mail-from address) in both
// languages, and every kind of page links to it from its footer.
func TestPrivacyPage(t *testing.T) {
	ta := apptest.New(t, func(c *app.Config) { c.RetentionDays = 90; c.PrivacyContact = "DPO <dpo@salon.example>" })
	slug := ta.Salon("")
	tok := rsvpIn(t, ta, slug, "Ana", "ana@example.com", "en")
	base := ta.Listen()
	c := apptest.Browser(t)
	status, page := apptest.Get(t, c, base+"/privacy")
	for _, want := range []string{"erased automatically 90 days after the salon ends", `href="mailto:dpo@salon.example"`,
		"Email me a link to all my tickets", "Who sees it"} {
		if status != 200 || !strings.Contains(page, want) {
			t.Fatalf("privacy page (%d) lacks %q: %s", status, want, page)
		}
	}
	_, zh := getIn(t, c, base+"/privacy", "zh-CN")
	if !isChinese(zh) || !strings.Contains(zh, "活动结束 90 天后") || len(apptest.EnglishLeaks(zh)) > 0 {
		t.Fatalf("zh privacy page: %v %s", apptest.EnglishLeaks(zh), zh)
	}
	for _, path := range []string{"/", "/salons/" + slug, "/t/" + tok, "/t/" + tok + "/cancel", "/login", "/door/" + slug, "/no-such-page"} {
		_, body := apptest.Get(t, c, base+path)
		if !strings.Contains(body, `<footer class="site-footer"><a href="/privacy">Privacy</a></footer>`) {
			t.Errorf("%s has no privacy link in its footer", path)
		}
	}

	plain := apptest.New(t)
	pbase := plain.Listen()
	_, page = apptest.Get(t, apptest.Browser(t), pbase+"/privacy")
	if !strings.Contains(page, `href="mailto:no-reply@salon.example"`) || !strings.Contains(page, "erases none automatically") {
		t.Fatalf("privacy page with --retention-days 0 and no contact: %s", page)
	}
}
