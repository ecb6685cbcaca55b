package api_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"mime/multipart"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/HugoSmits86/nativewebp"

	"salon/app/cover"
	"salon/app/internal/apptest"
)

// picture is a w x h picture with a gradient, so it compresses like a photo.
func picture(w, h int) image.Image {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 4 {
		x, y := (i/4)%w, (i/4)/w
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = uint8(x), uint8(y), 120, 255
	}
	return img
}

func jpegOf(t *testing.T, img image.Image) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// upload posts data as the multipart field image, named and typed as a
// client would lie about it.
func upload(t *testing.T, ta *apptest.App, slug, token string, data []byte, filename, contentType string) (int, map[string]any) {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	h := make(map[string][]string)
	h["Content-Disposition"] = []string{`form-data; name="image"; filename="` + filename + `"`}
	h["Content-Type"] = []string{contentType}
	part, err := w.CreatePart(h)
	if err != nil {
		t.Fatal(err)
	}
	part.Write(data)
	w.Close()
	status, b, _ := ta.Do("POST", "/api/v1/salons/"+slug+"/cover", token, w.FormDataContentType(), body.String())
	var out map[string]any
	if err := json.Unmarshal([]byte(b), &out); err != nil {
		t.Fatalf("not JSON (%d): %.200s", status, b)
	}
	return status, out
}

func coverURL(out map[string]any) string {
	s, _ := out["salon"].(map[string]any)["cover_url"].(string)
	return s
}

func TestCoverUpload(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon("")
	if _, out := ta.JSON("GET", "/api/v1/salons/"+slug, "", ""); out["salon"].(map[string]any)["cover_url"] != nil {
		t.Fatalf("a new salon has a cover: %v", out)
	}

	status, out := upload(t, ta, slug, ta.Token, jpegOf(t, picture(1700, 850)), "me.jpg", "image/jpeg")
	if status != 200 {
		t.Fatalf("upload: %d %v", status, out)
	}
	u := coverURL(out)
	if !strings.HasPrefix(u, "https://salon.example/covers/") || !strings.HasSuffix(u, "/1600.jpg") {
		t.Fatalf("cover_url = %q, want the widest from the base URL", u)
	}
	if _, pub := ta.JSON("GET", "/api/v1/salons/"+slug, "", ""); coverURL(pub) != u {
		t.Fatalf("public salon: %v", pub)
	}

	path := strings.TrimPrefix(u, "https://salon.example")
	for _, w := range []string{"480", "960", "1600"} {
		p := strings.Replace(path, "1600.jpg", w+".jpg", 1)
		st, body, h := ta.Do("GET", p, "", "", "")
		if st != 200 || h.Get("Content-Type") != "image/jpeg" {
			t.Fatalf("%s: %d %s", p, st, h.Get("Content-Type"))
		}
		if h.Get("Cache-Control") != "public, max-age=31536000, immutable" || h.Get("ETag") == "" {
			t.Errorf("%s: cache headers %q %q", p, h.Get("Cache-Control"), h.Get("ETag"))
		}
		cfg, err := jpeg.DecodeConfig(strings.NewReader(body))
		if err != nil || cfg.Width != atoi(w) {
			t.Errorf("%s: %+v %v", p, cfg, err)
		}
		if st, _, _ := ta.Do("GET", p, "", "", "", "If-None-Match", h.Get("ETag")); st != 304 {
			t.Errorf("%s with its ETag: %d, want 304", p, st)
		}
	}
	for _, p := range []string{strings.Replace(path, "1600.jpg", "2000.jpg", 1), "/covers/00000000000000000000000000000000/480.jpg", "/covers/nope/480.jpg"} {
		if st, _, h := ta.Do("GET", p, "", "", ""); st != 404 || strings.Contains(h.Get("Cache-Control"), "immutable") {
			t.Errorf("%s: %d %q, want an uncached 404", p, st, h.Get("Cache-Control"))
		}
	}

	// WebP and PNG are taken too, and replace the cover: the old address goes.
	var webp bytes.Buffer
	if err := nativewebp.Encode(&webp, picture(800, 400), nil); err != nil {
		t.Fatal(err)
	}
	status, out = upload(t, ta, slug, ta.Token, webp.Bytes(), "x.bin", "application/octet-stream")
	if status != 200 || !strings.HasSuffix(coverURL(out), "/800.jpg") {
		t.Fatalf("webp: %d %v", status, out)
	}
	if st, _, _ := ta.Do("GET", path, "", "", ""); st != 404 {
		t.Errorf("the replaced cover is still served: %d", st)
	}
	var pngb bytes.Buffer
	png.Encode(&pngb, picture(500, 500))
	if status, out = upload(t, ta, slug, ta.Token, pngb.Bytes(), "p.png", "image/png"); status != 200 {
		t.Fatalf("png: %d %v", status, out)
	}

	// Removing: cover_url is null and the images are gone.
	last := strings.TrimPrefix(coverURL(out), "https://salon.example")
	st, del := ta.JSON("DELETE", "/api/v1/salons/"+slug+"/cover", ta.Token, "")
	if st != 200 || del["salon"].(map[string]any)["cover_url"] != nil {
		t.Fatalf("delete: %d %v", st, del)
	}
	if st, _, _ := ta.Do("GET", last, "", "", ""); st != 404 {
		t.Errorf("a removed cover is still served: %d", st)
	}
	if st, _ := ta.JSON("DELETE", "/api/v1/salons/"+slug+"/cover", ta.Token, ""); st != 200 {
		t.Errorf("deleting no cover: %d", st)
	}
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

func TestCoverUploadRefused(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon("")
	_, out := upload(t, ta, slug, ta.Token, jpegOf(t, picture(600, 300)), "a.jpg", "image/jpeg")
	good := coverURL(out)

	html := []byte("<html><script>alert(1)</script></html>")
	polyglot := append([]byte("\x89PNG\r\n\x1a\n"), html...)
	cases := []struct {
		name, filename, ct string
		data               []byte
		token              string
		status             int
		code               string
	}{
		{"html named jpg", "photo.jpg", "image/jpeg", html, ta.Token, 422, "invalid"},
		{"png magic then html", "photo.png", "image/png", polyglot, ta.Token, 422, "invalid"},
		{"svg", "x.svg", "image/svg+xml", []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`), ta.Token, 422, "invalid"},
		{"over 10 MB", "big.jpg", "image/jpeg", make([]byte, cover.MaxBytes+1), ta.Token, 413, "too_large"},
		{"another organizer", "a.jpg", "image/jpeg", jpegOf(t, picture(64, 64)), ta.Token2, 403, "forbidden"},
		{"no token", "a.jpg", "image/jpeg", jpegOf(t, picture(64, 64)), "", 401, "unauthorized"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, out := upload(t, ta, slug, tc.token, tc.data, tc.filename, tc.ct)
			if status != tc.status || apptest.ErrCode(out) != tc.code {
				t.Fatalf("%d %v, want %d %s", status, out, tc.status, tc.code)
			}
			if tc.code == "invalid" && !strings.Contains(ta.Fields(out), "image") {
				t.Errorf("the field image is not named: %v", out)
			}
			if _, pub := ta.JSON("GET", "/api/v1/salons/"+slug, "", ""); coverURL(pub) != good {
				t.Errorf("a refused upload changed the cover: %v", pub)
			}
		})
	}
	// Not multipart, and multipart without the field.
	if st, out := ta.JSON("POST", "/api/v1/salons/"+slug+"/cover", ta.Token, `{"image":"x"}`); st != 400 {
		t.Errorf("JSON body: %d %v", st, out)
	}
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("other", "x")
	w.Close()
	if st, b, _ := ta.Do("POST", "/api/v1/salons/"+slug+"/cover", ta.Token, w.FormDataContentType(), body.String()); st != 422 || !strings.Contains(b, `"image"`) {
		t.Errorf("no image field: %d %s", st, b)
	}
}

// The 10 MB limit is the image's: a 10 MB upload goes through a real
// listener (the form around it has room), while every other route keeps
// its 64 KiB, refused before its body is read.
func TestCoverBodyLimits(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon("")
	base := ta.Listen()
	img := jpegOf(t, picture(700, 350))
	// A real JPEG padded after its end to exactly 10 MiB.
	full := append(img, make([]byte, cover.MaxBytes-len(img))...)
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("note", strings.Repeat("n", 1000))
	part, _ := w.CreateFormFile("image", "full.jpg")
	part.Write(full)
	w.Close()
	send := func(method, path, ct string, body []byte) (int, map[string]any) {
		req, _ := http.NewRequest(method, base+path, bytes.NewReader(body))
		req.Header.Set("Content-Type", ct)
		req.Header.Set("Authorization", "Bearer "+ta.Token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out
	}
	if st, out := send("POST", "/api/v1/salons/"+slug+"/cover", w.FormDataContentType(), body.Bytes()); st != 200 || coverURL(out) == "" {
		t.Fatalf("a 10 MB upload: %d %v", st, out)
	}
	// The refusals send only the headers, as TestTooLarge does: the server
	// answers from Content-Length alone and closes, so a client still
	// writing a body could see the connection reset before the answer.
	for _, path := range []string{"/api/v1/salons/" + slug, "/api/v1/salons/" + slug + "/rsvps", "/api/v1/salons/" + slug + "/coverx"} {
		method := "POST"
		if path == "/api/v1/salons/"+slug {
			method = "PATCH"
		}
		conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n",
			method, path, ta.Token, 70*1024)
		conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			conn.Close()
			t.Fatalf("70 KiB to %s %s: %v", method, path, err)
		}
		var out map[string]any
		json.NewDecoder(resp.Body).Decode(&out)
		resp.Body.Close()
		conn.Close()
		if resp.StatusCode != 413 || apptest.ErrCode(out) != "too_large" {
			t.Errorf("70 KiB to %s %s: %d %v", method, path, resp.StatusCode, out)
		}
	}
}

func TestSalonHost(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon(`"host":{"name":"王芳","about":"Runs the biotech circle."}`)
	_, out := ta.JSON("GET", "/api/v1/salons/"+slug, "", "")
	host, _ := out["salon"].(map[string]any)["host"].(map[string]any)
	if host["name"] != "王芳" || host["about"] != "Runs the biotech circle." {
		t.Fatalf("host = %v", out["salon"])
	}
	st, out := ta.JSON("PATCH", "/api/v1/salons/"+slug, ta.Token, `{"host":{"name":"Mei Lin"}}`)
	host, _ = out["salon"].(map[string]any)["host"].(map[string]any)
	if st != 200 || host["name"] != "Mei Lin" || host["about"] != nil {
		t.Fatalf("patch host: %d %v", st, out)
	}
	for body, field := range map[string]string{
		`{"host":{"about":"nobody named"}}`:                                  "host.name",
		`{"host":{"name":"` + strings.Repeat("n", 101) + `"}}`:               "host.name",
		`{"host":{"name":"Mei","about":"` + strings.Repeat("a", 601) + `"}}`: "host.about",
		`{"host":{"name":"Mei\nLin"}}`:                                       "host.name",
	} {
		st, out := ta.JSON("PATCH", "/api/v1/salons/"+slug, ta.Token, body)
		if st != 422 || !strings.Contains(ta.Fields(out), field) {
			t.Errorf("%.60s: %d %v, want invalid on %s", body, st, out, field)
		}
	}
	if st, out := ta.JSON("PATCH", "/api/v1/salons/"+slug, ta.Token, `{"host":{"name":""}}`); st != 200 || out["salon"].(map[string]any)["host"] != nil {
		t.Fatalf("clear host: %d %v", st, out)
	}
	if st, _ := ta.JSON("PATCH", "/api/v1/salons/"+slug, ta.Token, `{"cover_url":"https://evil.example/x.jpg"}`); st != 400 {
		t.Errorf("cover_url is read-only: %d", st)
	}
}
