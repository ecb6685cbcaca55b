package api_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"salon/app/internal/apptest"
)

// TestBilingualSalon: a salon with a title and description in both
// languages shows the reader's, and falls back to the other.
func TestBilingualSalon(t *testing.T) {
	ta := apptest.New(t)
	both := ta.Salon(`"slug":"both","title":"Law night","title_zh":"法律之夜","description":"For lawyers.","description_zh":"律师之夜。"`)
	enOnly := ta.Salon(`"slug":"en-only","title":"Design night"`)
	base := ta.Listen()
	page := func(path, lang string) string {
		req, _ := http.NewRequest("GET", base+path, nil)
		req.Header.Set("Accept-Language", lang)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if body := page("/salons/"+both, "zh-CN"); !strings.Contains(body, "<h1>法律之夜</h1>") || !strings.Contains(body, "律师之夜。") {
		t.Fatal("Chinese reader does not see the Chinese title and description")
	}
	if body := page("/salons/"+both, "en"); !strings.Contains(body, "<h1>Law night</h1>") || strings.Contains(body, "法律之夜") {
		t.Fatal("English reader does not see the English title")
	}
	if body := page("/salons/"+enOnly, "zh-CN"); !strings.Contains(body, "<h1>Design night</h1>") {
		t.Fatal("no fallback to the other language")
	}
	if body := page("/", "zh-CN"); !strings.Contains(body, "法律之夜") || !strings.Contains(body, "Design night") {
		t.Fatal("listing in Chinese")
	}
	// The JSON API carries both.
	_, out := ta.JSON("GET", "/api/v1/salons/"+both, "", "")
	s := out["salon"].(map[string]any)
	if s["title"] != "Law night" || s["title_zh"] != "法律之夜" || s["description_zh"] != "律师之夜。" {
		t.Fatalf("json %v", s)
	}
	// A Chinese attendee's invitation reads the Chinese title.
	_, tk := ta.JSON("POST", "/api/v1/salons/"+both+"/rsvps", "", `{"name":"王芳","email":"w@example.com","lang":"zh"}`)
	token := strings.TrimPrefix(tk["ticket"].(map[string]any)["manage_url"].(string), "https://salon.example/t/")
	_, ics, _ := ta.Do("GET", "/t/"+token+"/invite.ics", "", "", "")
	if !strings.Contains(ics, "SUMMARY:法律之夜") {
		t.Fatalf("invite: %s", ics)
	}
	// A title line break in Chinese is refused like any other.
	if s, out := ta.JSON("PATCH", "/api/v1/salons/"+both, ta.Token, `{"title_zh":"法律\n之夜"}`); s != 422 || !strings.Contains(ta.Fields(out), "title_zh") {
		t.Fatalf("%d %v", s, out)
	}
}
