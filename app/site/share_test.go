package site_test

import (
	"bytes"
	"image/png"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	zxqr "github.com/makiuchi-d/gozxing/qrcode"

	"salon/app/internal/apptest"
)

// TestSalonPage_LinkPreview: chat apps get the salon's title, text and
// address (from the base URL) in Open Graph and Twitter tags, escaped like
// any other text, and no image while there is no cover.
func TestSalonPage_LinkPreview(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon(`"slug":"og-night","title":"Night \"><script>alert(1)</script>","description":"**Bold** talks & [drinks](javascript:alert(2))\n\n<script>alert(3)</script>"`)
	status, body, _ := ta.Do("GET", "/salons/"+slug, "", "", "", "Host", "evil.example")
	if status != 200 {
		t.Fatalf("salon page: %d", status)
	}
	for _, want := range []string{
		`<meta property="og:title" content="Night &#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">`,
		`<meta property="og:url" content="https://salon.example/salons/og-night">`,
		`<meta property="og:type" content="website">`,
		`<meta property="og:description" content="Bold talks &amp; drinks">`,
		`<meta name="twitter:card" content="summary">`,
		`data-url="https://salon.example/salons/og-night"`,
		`data-qr="/salons/og-night/qr.png"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("want %s", want)
		}
	}
	for _, bad := range []string{"<script>alert", "javascript:", "evil.example", "og:image"} {
		if strings.Contains(body, bad) {
			t.Errorf("%s must not be in the page", bad)
		}
	}
	if n := len(body); n > 30<<10 {
		t.Errorf("salon page is %d bytes, over 30 KB", n)
	}
}

// TestSalonQR: the poster's QR code is the salon's address from the base
// URL, served from the cache; drafts and unknown salons have none.
func TestSalonQR(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon(`"slug":"qr-night"`)
	draft := ta.Salon(`"slug":"qr-draft","status":"draft"`)
	status, body, h := ta.Do("GET", "/salons/"+slug+"/qr.png", "", "", "")
	if status != 200 || h.Get("Content-Type") != "image/png" || !strings.Contains(h.Get("Cache-Control"), "max-age") {
		t.Fatalf("qr.png: %d %v", status, h)
	}
	if got := decodePNGQR(t, []byte(body)); got != "https://salon.example/salons/qr-night" {
		t.Fatalf("QR says %q", got)
	}
	renders := apptest.PageRenders(ta.Srv)
	ta.Do("GET", "/salons/"+slug+"/qr.png", "", "", "")
	if n := apptest.PageRenders(ta.Srv) - renders; n != 0 {
		t.Fatalf("a second QR request rendered %d times", n)
	}
	for _, p := range []string{"/salons/" + draft + "/qr.png", "/salons/nope/qr.png"} {
		if status, _, _ := ta.Do("GET", p, "", "", ""); status != 404 {
			t.Errorf("%s: %d", p, status)
		}
	}
	if status, js, _ := ta.Do("GET", "/static/salon.js", "", "", ""); status != 200 || !strings.Contains(js, "navigator.share") || !strings.Contains(js, "toBlob") {
		t.Errorf("salon.js: %d", status)
	}
}

func decodePNGQR(t *testing.T, b []byte) string {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("png: %v", err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := zxqr.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		t.Fatalf("QR does not decode: %v", err)
	}
	return res.GetText()
}
