package site_test

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"regexp"
	"strings"
	"testing"

	"salon/app/cover"
	"salon/app/internal/apptest"
	"salon/events"
)

// withCover gives the salon a real processed cover of a w x h picture.
func withCover(t *testing.T, ta *apptest.App, slug string, w, h int) *events.Salon {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = uint8(i/4%w), uint8(i/4/w), 160, 255
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	res, err := cover.Process(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	sa, err := ta.DB.FindSalonBySlug(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	sa, err = ta.DB.SetSalonCover(context.Background(), sa.ID, res.Key, res.Images)
	if err != nil {
		t.Fatal(err)
	}
	return sa
}

// TestSalonPage_CoverAndHost: the page shows the cover with every width
// in srcset, the host, and link previews get the widest cover from the
// base URL (never the request's Host); the listing card gets the smallest.
func TestSalonPage_CoverAndHost(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon(`"slug":"covered","host":{"name":"王芳 & <Co>","about":"Ten years in biotech.\nRuns the circle."}`)
	sa := withCover(t, ta, slug, 1700, 850)
	key := sa.Cover.Key
	status, body, _ := ta.Do("GET", "/salons/"+slug, "", "", "", "Host", "evil.example")
	if status != 200 {
		t.Fatalf("salon page: %d", status)
	}
	for _, want := range []string{
		`<meta property="og:image" content="https://salon.example/covers/` + key + `/1600.jpg">`,
		`<meta property="og:image:width" content="1600">`,
		`<meta property="og:image:height" content="800">`,
		`<meta name="twitter:card" content="summary_large_image">`,
		`<meta name="twitter:image" content="https://salon.example/covers/` + key + `/1600.jpg">`,
		`src="/covers/` + key + `/960.jpg"`,
		`srcset="/covers/` + key + `/480.jpg 480w, /covers/` + key + `/960.jpg 960w, /covers/` + key + `/1600.jpg 1600w"`,
		`sizes="(min-width: 64rem) 42rem, 100vw"`,
		`width="960" height="480"`,
		`<h2 id="host-h">Hosted by</h2>`,
		`<p class="host-name">王芳 &amp; &lt;Co&gt;</p>`,
		"Ten years in biotech.\nRuns the circle.",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if strings.Contains(body, "evil.example") {
		t.Error("a link was built from the Host header")
	}
	if len(body) >= 30*1024 {
		t.Errorf("salon page is %d bytes, over 30 KB", len(body))
	}
	t.Logf("salon page with cover and host: %d bytes", len(body))

	_, zh, _ := ta.Do("GET", "/salons/"+slug, "", "", "", "Accept-Language", "zh-CN")
	if !strings.Contains(zh, `<h2 id="host-h">主办方</h2>`) {
		t.Error("Chinese page lacks 主办方")
	}
	if leaks := apptest.EnglishLeaks(zh); len(leaks) > 0 {
		t.Errorf("Chinese page shows English: %q", leaks)
	}

	_, list, _ := ta.Do("GET", "/", "", "", "")
	if !regexp.MustCompile(`<img class="card-cover" src="/covers/` + key + `/480.jpg" width="480" height="240" alt="" loading="lazy">`).MatchString(list) {
		t.Errorf("listing card lacks its small cover: %s", list)
	}

	// Removing the cover takes it off the page (the page cache sees it).
	if _, err := ta.DB.RemoveSalonCover(context.Background(), sa.ID); err != nil {
		t.Fatal(err)
	}
	_, body, _ = ta.Do("GET", "/salons/"+slug, "", "", "")
	if strings.Contains(body, "og:image") || strings.Contains(body, "/covers/") {
		t.Error("a removed cover still shows")
	}
}

// TestTicketPage_OldAndNew: after the salon moves, the ticket page says
// what changed, old -> new, in the ticket's language and the salon's zone,
// with 24-hour times; against the salon as it was at the RSVP, across
// several changes.
func TestTicketPage_OldAndNew(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon(`"capacity":5,"title":"Biotech evening","title_zh":"生物科技之夜","venue":"Room A",` +
		`"starts_at":"2027-12-04T19:00:00+08:00","ends_at":"2027-12-04T21:00:00+08:00"`)
	en := rsvpIn(t, ta, slug, "Ana", "ana@example.com", "en")
	zh := rsvpIn(t, ta, slug, "王芳", "fang@example.com", "zh")
	for _, body := range []string{
		`{"starts_at":"2027-12-04T20:30:00+08:00","ends_at":"2027-12-04T22:00:00+08:00"}`,
		`{"venue":"Columbia Circle","address":"1262 Yan'an West Rd","title":"Biotech night","title_zh":"生物科技夜"}`,
	} {
		if s, out := ta.JSON("PATCH", "/api/v1/salons/"+slug, ta.Token, body); s != 200 {
			t.Fatalf("patch: %d %v", s, out)
		}
	}
	base := ta.Listen()
	c := apptest.Browser(t)
	_, body := apptest.Get(t, c, base+"/t/"+en)
	for _, want := range []string{
		`<span class="change-label">Time: </span><del>Sat 4 Dec, 19:00–21:00 (Asia/Shanghai)</del> → <ins>Sat 4 Dec, 20:30–22:00 (Asia/Shanghai)</ins>`,
		`<span class="change-label">Place: </span><del>Room A</del> → <ins>Columbia Circle, 1262 Yan&#39;an West Rd</ins>`,
		`<span class="change-label">Title: </span><del>Biotech evening</del> → <ins>Biotech night</ins>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("en ticket lacks %s\n%s", want, body)
		}
	}
	_, body = getIn(t, c, base+"/t/"+zh, "en-US")
	for _, want := range []string{
		`<span class="change-label">时间：</span><del>12月4日 周六 19:00–21:00（Asia/Shanghai）</del> → <ins>12月4日 周六 20:30–22:00（Asia/Shanghai）</ins>`,
		`<span class="change-label">地点：</span><del>Room A</del>`,
		`<span class="change-label">名称：</span><del>生物科技之夜</del> → <ins>生物科技夜</ins>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("zh ticket lacks %s", want)
		}
	}
	if leaks := apptest.EnglishLeaks(body); len(leaks) > 0 {
		t.Errorf("zh ticket shows English: %q", leaks)
	}

	// Moved back: nothing differs from the RSVP, so nothing is announced.
	if s, _ := ta.JSON("PATCH", "/api/v1/salons/"+slug, ta.Token, `{"starts_at":"2027-12-04T19:00:00+08:00","ends_at":"2027-12-04T21:00:00+08:00",`+
		`"venue":"Room A","address":"","title":"Biotech evening","title_zh":"生物科技之夜"}`); s != 200 {
		t.Fatal("patch back")
	}
	if _, body = apptest.Get(t, c, base+"/t/"+en); strings.Contains(body, `class="updated"`) {
		t.Errorf("a salon moved back still shows a change: %s", body)
	}
}
