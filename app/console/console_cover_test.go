package console_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"salon/app/internal/apptest"
	"salon/events"
)

// postCover sends the console's cover form as a browser does: multipart,
// with the page's CSRF field and the file.
func postCover(t *testing.T, c *http.Client, u, tok string, data []byte) (int, string) {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	if tok != "" {
		w.WriteField("_csrf", tok)
	}
	part, _ := w.CreateFormFile("image", "cover.png")
	part.Write(data)
	w.Close()
	req, _ := http.NewRequest("POST", u, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestConsole_CoverAndHost: an organizer sets the host in the salon form,
// uploads a cover (CSRF checked on the multipart form), sees a refusal
// beside the field in their language, and removes the cover.
func TestConsole_CoverAndHost(t *testing.T) {
	ta, base := apptest.ConsoleApp(t)
	ctx := context.Background()
	mei := ta.Account("mei@example.com", events.RoleOrganizer)
	c := apptest.SignedIn(t, base, "mei@example.com")
	tok := apptest.FormToken(t, c, base+"/admin/salons/new")
	v := salonFormValues(tok)
	v.Set("host_name", "Mei Lin")
	v.Set("host_about", "Runs the fintech circle.")
	v.Set("action", "publish")
	if resp, body := apptest.PostForm(t, c, base+"/admin/salons/new", v); resp.StatusCode != 303 {
		t.Fatalf("create: %d %.500s", resp.StatusCode, body)
	}
	sa, err := ta.DB.FindSalonBySlug(ctx, "fintech-founders")
	if err != nil || sa.HostName != "Mei Lin" || sa.HostAbout != "Runs the fintech circle." || sa.OrganizerID != mei.ID {
		t.Fatalf("host not saved: %+v %v", sa, err)
	}
	v.Set("host_name", "")
	v.Set("action", "save")
	if resp, body := apptest.PostForm(t, c, base+"/admin/salons/fintech-founders/edit", v); resp.StatusCode != 422 || !strings.Contains(body, `id="host_name-err"`) {
		t.Fatalf("an about without a host: %d", resp.StatusCode)
	}

	page := base + "/admin/salons/fintech-founders"
	var pic bytes.Buffer
	png.Encode(&pic, image.NewRGBA(image.Rect(0, 0, 1000, 500)))
	if st, _ := postCover(t, c, page+"/cover", "", pic.Bytes()); st != 403 {
		t.Fatalf("upload without a CSRF token: %d, want 403", st)
	}
	tok = apptest.FormToken(t, c, page)
	if st, body := postCover(t, c, page+"/cover", tok, []byte("<html>not a picture</html>")); st != 422 || !strings.Contains(body, `id="cover-err"`) || !strings.Contains(body, "Must be a JPEG, PNG or WebP image.") {
		t.Fatalf("garbage: %d %.800s", st, body)
	}
	if st, _ := postCover(t, c, page+"/cover", tok, pic.Bytes()); st != 303 {
		t.Fatalf("upload: %d", st)
	}
	if _, body := apptest.Get(t, c, page+"?ok=cover"); !strings.Contains(body, "Cover image saved.") || !strings.Contains(body, `id="cover-preview"`) {
		t.Fatalf("after upload: %.800s", body)
	}
	if sa, _ = ta.DB.FindSalonByID(ctx, sa.ID); !sa.Cover.Has() || sa.Cover.Largest().Width != 1000 {
		t.Fatalf("cover = %+v", sa.Cover)
	}
	resp, _ := apptest.PostForm(t, c, page+"/cover/remove", map[string][]string{"_csrf": {tok}})
	if resp.StatusCode != 303 && resp.StatusCode != 200 {
		t.Fatalf("remove: %d", resp.StatusCode)
	}
	if sa, _ = ta.DB.FindSalonByID(ctx, sa.ID); sa.Cover.Has() {
		t.Fatal("cover not removed")
	}
	// In Chinese, the refusal is Chinese.
	req, _ := http.NewRequest("GET", base+"/lang/zh", nil)
	c.Do(req)
	tok = apptest.FormToken(t, c, page)
	if st, body := postCover(t, c, page+"/cover", tok, []byte("GIF89a")); st != 422 || !strings.Contains(body, "须为 JPEG、PNG 或 WebP 图片。") {
		t.Fatalf("zh garbage: %d", st)
	}
}
