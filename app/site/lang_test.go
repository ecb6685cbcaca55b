package site_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"salon/app/internal/apptest"
)

func TestLanguageSwitch(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon(`"title":"金融科技创始人沙龙","capacity":1`)
	base := ta.Listen()
	c := apptest.Browser(t)

	// Accept-Language decides until the reader switches.
	req, _ := http.NewRequest("GET", base+"/salons/"+slug, nil)
	req.Header.Set("Accept-Language", "zh-CN,zh;q=0.9")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	zhBody, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 {
		t.Fatal(resp.StatusCode, err)
	}
	// The page itself is Chinese, not only its switch link to Chinese.
	if body := string(zhBody); !strings.Contains(body, `<html lang="zh-Hans">`) || !strings.Contains(body, "沙龙") {
		t.Fatalf("Accept-Language zh did not give the Chinese page: %.300q", body)
	} else if leaks := apptest.EnglishLeaks(body); len(leaks) > 0 {
		t.Fatalf("Accept-Language zh page has English: %q", leaks)
	}

	// The detector itself finds English on an English page.
	if _, body := apptest.Get(t, apptest.Browser(t), base+"/salons/"+slug); len(apptest.EnglishLeaks(body)) < 5 {
		t.Fatalf("englishLeaks cannot see English: %q", apptest.EnglishLeaks(body))
	}

	resp, _ = apptest.PostForm(t, c, base+"/lang/zh?next=/salons/"+slug, nil) // POST is not the switch
	if resp.StatusCode != 405 && resp.StatusCode != 404 {
		t.Fatalf("POST /lang: %d", resp.StatusCode)
	}
	r, err := c.Get(base + "/lang/zh?next=" + url.QueryEscape("/salons/"+slug))
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != 303 || r.Header.Get("Location") != "/salons/"+slug {
		t.Fatalf("switch: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	for _, p := range []string{"/", "/salons/" + slug} {
		status, body := apptest.Get(t, c, base+p)
		if status != 200 || !strings.Contains(body, `lang="zh-Hans"`) || !strings.Contains(body, "沙龙") {
			t.Fatalf("%s in Chinese: %d", p, status)
		}
		if leaks := apptest.EnglishLeaks(body); len(leaks) > 0 {
			t.Errorf("%s shows English interface text: %q", p, leaks)
		}
	}
	// The RSVP made in Chinese stores zh, and the ticket page reads Chinese.
	_, body := apptest.Get(t, c, base+"/salons/"+slug)
	csrf := apptest.CSRFRE.FindStringSubmatch(body)[1]
	resp, _ = apptest.PostForm(t, c, base+"/salons/"+slug+"/rsvp", url.Values{"_csrf": {csrf}, "name": {"王芳"}, "email": {"fang@example.com"}})
	loc := resp.Header.Get("Location")
	_, body = apptest.Get(t, c, base+loc)
	if !strings.Contains(body, "你已获得座位") {
		t.Fatalf("ticket page not in Chinese: %s", body)
	}
	if leaks := apptest.EnglishLeaks(body); len(leaks) > 0 {
		t.Errorf("ticket page shows English interface text: %q", leaks)
	}
	_, out := ta.JSON("GET", "/api/v1/tickets/"+strings.TrimPrefix(loc, "/t/"), "", "")
	if out["ticket"].(map[string]any)["lang"] != "zh" {
		t.Fatalf("the RSVP did not keep its language: %v", out)
	}
	// Back to English; and no open redirect.
	for next, want := range map[string]string{"/": "/", "//evil.example/": "/", "https://evil.example": "/", "/\\evil.example": "/"} {
		r, _ := c.Get(base + "/lang/en?next=" + url.QueryEscape(next))
		r.Body.Close()
		if r.Header.Get("Location") != want {
			t.Errorf("next=%q redirected to %q", next, r.Header.Get("Location"))
		}
	}
}
