package cover

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/HugoSmits86/nativewebp"

	"salon/events"
)

// halves draws a w x h picture whose left half is left and right half right.
func halves(w, h int, left, right color.Color) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := left
			if x >= w/2 {
				c = right
			}
			img.Set(x, y, c)
		}
	}
	return img
}

var (
	red  = color.NRGBA{R: 220, A: 255}
	blue = color.NRGBA{B: 220, A: 255}
)

func encodeJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func encodeWebP(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := nativewebp.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// withEXIF puts an EXIF block (APP1) right after a JPEG's start: an
// orientation and an image description holding secret, as a phone writes
// the place a photo was taken.
func withEXIF(jpg []byte, orientation uint16, secret string) []byte {
	desc := append([]byte(secret), 0)
	var t bytes.Buffer
	t.WriteString("MM\x00\x2a")
	binary.Write(&t, binary.BigEndian, uint32(8)) // IFD0 at 8
	binary.Write(&t, binary.BigEndian, uint16(2)) // two entries
	// 0x010E ImageDescription, ASCII, stored after the IFD.
	binary.Write(&t, binary.BigEndian, []uint16{0x010E, 2})
	binary.Write(&t, binary.BigEndian, uint32(len(desc)))
	binary.Write(&t, binary.BigEndian, uint32(8+2+2*12+4))
	// 0x0112 Orientation, SHORT, one value.
	binary.Write(&t, binary.BigEndian, []uint16{0x0112, 3})
	binary.Write(&t, binary.BigEndian, uint32(1))
	binary.Write(&t, binary.BigEndian, []uint16{orientation, 0})
	binary.Write(&t, binary.BigEndian, uint32(0)) // no next IFD
	t.Write(desc)
	seg := append([]byte("Exif\x00\x00"), t.Bytes()...)
	out := []byte{0xFF, 0xD8, 0xFF, 0xE1, byte((len(seg) + 2) >> 8), byte(len(seg) + 2)}
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

// pngClaiming is a valid 1x1 PNG whose header claims w x h: a
// decompression bomb's shape, refused before any pixel is decoded.
func pngClaiming(t testing.TB, w, h uint32) []byte {
	data := encodePNG(t, image.NewGray(image.Rect(0, 0, 1, 1)))
	binary.BigEndian.PutUint32(data[16:], w)
	binary.BigEndian.PutUint32(data[20:], h)
	binary.BigEndian.PutUint32(data[29:], crc32.ChecksumIEEE(data[12:29]))
	return data
}

func decoded(t *testing.T, data []byte) image.Image {
	t.Helper()
	if Sniff(data) != "jpeg" {
		t.Fatalf("output is not JPEG: % x", data[:4])
	}
	img, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("output does not decode: %v", err)
	}
	return img
}

func near(c color.Color, want color.NRGBA) bool {
	r, g, b, _ := c.RGBA()
	d := func(a uint32, b uint8) bool { x := int(a>>8) - int(b); return x > -40 && x < 40 }
	return d(r, want.R) && d(g, want.G) && d(b, want.B)
}

func TestProcessFormats(t *testing.T) {
	cases := []struct {
		name   string
		data   []byte
		widths []int
		height int // of the widest
	}{
		{"jpeg wider than every width", encodeJPEG(t, halves(2400, 1200, red, blue)), []int{480, 960, 1600}, 800},
		{"png narrower than the widest", encodePNG(t, halves(1200, 600, red, blue)), []int{480, 960, 1200}, 600},
		{"webp", encodeWebP(t, halves(1000, 500, red, blue)), []int{480, 1000}, 500},
		{"small png is never enlarged", encodePNG(t, halves(300, 200, red, blue)), []int{300}, 200},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Process(tc.data)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Key) != 32 {
				t.Errorf("key = %q", res.Key)
			}
			var widths []int
			for _, im := range res.Images {
				widths = append(widths, im.Width)
				img := decoded(t, im.Data)
				if img.Bounds().Dx() != im.Width || img.Bounds().Dy() != im.Height {
					t.Errorf("width %d: decoded %v, recorded %dx%d", im.Width, img.Bounds(), im.Width, im.Height)
				}
				// The picture is still itself: red on the left, blue on the right.
				if !near(img.At(im.Width/8, im.Height/2), red) || !near(img.At(im.Width*7/8, im.Height/2), blue) {
					t.Errorf("width %d: colours moved: %v %v", im.Width, img.At(im.Width/8, im.Height/2), img.At(im.Width*7/8, im.Height/2))
				}
				if im.ContentType != "image/jpeg" {
					t.Errorf("content type %q", im.ContentType)
				}
			}
			if !slicesEqual(widths, tc.widths) {
				t.Errorf("widths = %v, want %v", widths, tc.widths)
			}
			if h := res.Images[len(res.Images)-1].Height; h != tc.height {
				t.Errorf("widest height = %d, want %d", h, tc.height)
			}
			again, err := Process(tc.data)
			if err != nil || again.Key != res.Key {
				t.Errorf("the same upload gave another key: %v %v", again, err)
			}
		})
	}
}

func slicesEqual(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// A phone's photo: EXIF says "turn right to see it" and carries where it
// was taken. The cover is upright, and nothing of the EXIF is left.
func TestProcessEXIF(t *testing.T) {
	const secret = "GPS 31.2304N 121.4737E Mei's flat"
	src := withEXIF(encodeJPEG(t, halves(1200, 600, red, blue)), 6, secret)
	if Orientation(src) != 6 {
		t.Fatalf("orientation = %d, want 6", Orientation(src))
	}
	if _, err := jpeg.Decode(bytes.NewReader(src)); err != nil {
		t.Fatalf("the test's EXIF JPEG does not decode: %v", err)
	}
	res, err := Process(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, im := range res.Images {
		if bytes.Contains(im.Data, []byte("Exif")) || bytes.Contains(im.Data, []byte(secret)) || bytes.Contains(im.Data, []byte("GPS")) {
			t.Errorf("width %d still carries the metadata", im.Width)
		}
		if Orientation(im.Data) != 1 {
			t.Errorf("width %d has an orientation", im.Width)
		}
		img := decoded(t, im.Data)
		// 1200x600 turned right is 600x1200: the left (red) half on top.
		if im.Height <= im.Width {
			t.Errorf("width %d: %dx%d is not portrait", im.Width, im.Width, im.Height)
		}
		if !near(img.At(im.Width/2, im.Height/8), red) || !near(img.At(im.Width/2, im.Height*7/8), blue) {
			t.Errorf("width %d: not turned upright: top %v bottom %v", im.Width, img.At(im.Width/2, im.Height/8), img.At(im.Width/2, im.Height*7/8))
		}
	}
	if got := res.Images[len(res.Images)-1]; got.Width != 600 || got.Height != 1200 {
		t.Errorf("widest = %dx%d, want 600x1200", got.Width, got.Height)
	}
}

func TestOrientEveryValue(t *testing.T) {
	// A 3x2 picture with a distinct value per pixel; each orientation's
	// result checked at its corners.
	src := image.NewRGBA(image.Rect(0, 0, 3, 2))
	for i := range 6 {
		src.Pix[i*4] = byte(i + 1)
	}
	at := func(img *image.RGBA, x, y int) byte { return img.Pix[img.PixOffset(x, y)] }
	// Source, by value: 1 2 3 / 4 5 6. Each want is the upright top row.
	want := map[int][]byte{1: {1, 2, 3}, 2: {3, 2, 1}, 3: {6, 5, 4}, 4: {4, 5, 6}, 5: {1, 4}, 6: {4, 1}, 7: {6, 3}, 8: {3, 6}}
	for o, row := range want {
		got := orient(src, o)
		var top []byte
		for x := 0; x < got.Bounds().Dx(); x++ {
			top = append(top, at(got, x, 0))
		}
		if !bytes.Equal(top, row) {
			t.Errorf("orientation %d: top row %v, want %v", o, top, row)
		}
	}
}

func TestProcessRefuses(t *testing.T) {
	png1 := encodePNG(t, halves(64, 64, red, blue))
	jpg := encodeJPEG(t, halves(64, 64, red, blue))
	gif := []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")
	cases := []struct {
		name string
		data []byte
		code string
	}{
		{"empty", nil, events.EINVALID},
		{"text", []byte("hello, this is not a picture"), events.EINVALID},
		{"html named .png", []byte("<html><script>alert(1)</script></html>"), events.EINVALID},
		{"gif", gif, events.EINVALID},
		{"svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), events.EINVALID},
		{"png magic then html", append([]byte("\x89PNG\r\n\x1a\n"), "<script>alert(1)</script>"...), events.EINVALID},
		{"jpeg magic then garbage", append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, bytes.Repeat([]byte{0x42}, 500)...), events.EINVALID},
		{"truncated png", png1[:len(png1)/2], events.EINVALID},
		{"truncated jpeg", jpg[:len(jpg)/2], events.EINVALID},
		{"riff that is not webp", []byte("RIFF\x10\x00\x00\x00WAVEfmt \x10\x00\x00\x00"), events.EINVALID},
		{"webp magic then garbage", []byte("RIFF\x10\x00\x00\x00WEBPVP8 \x04\x00\x00\x00\x00\x00\x00\x00"), events.EINVALID},
		{"bomb: 20000 x 20000", pngClaiming(t, 20000, 20000), events.EINVALID},
		{"bomb: 7000 x 7000 (49 MP)", pngClaiming(t, 7000, 7000), events.EINVALID},
		{"strip: 1 x 13000", pngClaiming(t, 1, 13000), events.EINVALID},
		{"over 10 MB", append(append([]byte{}, png1...), make([]byte, MaxBytes)...), events.ETOOLARGE},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			res, err := Process(tc.data)
			if err == nil {
				t.Fatalf("accepted: %d widths", len(res.Images))
			}
			if code := events.ErrorCode(err); code != tc.code {
				t.Fatalf("code = %s (%v), want %s", code, err, tc.code)
			}
			var e *events.Error
			if tc.code == events.EINVALID && (!asError(err, &e) || e.Fields["image"] == "") {
				t.Errorf("the field image is not named: %v", err)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("took %v to refuse", d)
			}
		})
	}
}

func asError(err error, e **events.Error) bool {
	v, ok := err.(*events.Error)
	*e = v
	return ok
}

// A real picture with a script after its end (a polyglot that some
// browsers would sniff as HTML) is taken, and the script is gone: the
// stored bytes are a new encoding of the pixels alone.
func TestProcessDropsTrailingBytes(t *testing.T) {
	payload := "<script>alert(document.cookie)</script>"
	for name, data := range map[string][]byte{
		"png":  append(encodePNG(t, halves(600, 300, red, blue)), payload...),
		"jpeg": append(encodeJPEG(t, halves(600, 300, red, blue)), payload...),
	} {
		res, err := Process(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, im := range res.Images {
			if bytes.Contains(im.Data, []byte("script")) {
				t.Errorf("%s width %d keeps the script", name, im.Width)
			}
		}
	}
}

func TestSniff(t *testing.T) {
	for data, want := range map[string]string{
		"\xff\xd8\xff\xe0": "jpeg", "\x89PNG\r\n\x1a\n....": "png", "RIFF\x00\x00\x00\x00WEBPVP8 ": "webp",
		"GIF89a": "", "": "", "\xff\xd8": "", "RIFF\x00\x00\x00\x00AVI ": "",
	} {
		if got := Sniff([]byte(data)); got != want {
			t.Errorf("Sniff(%q) = %q, want %q", data, got, want)
		}
	}
}

func TestOrientationMalformed(t *testing.T) {
	jpg := encodeJPEG(t, halves(8, 8, red, blue))
	good := withEXIF(jpg, 8, "x")
	if Orientation(good) != 8 {
		t.Fatalf("orientation = %d", Orientation(good))
	}
	for i := 0; i < 60 && i < len(good); i++ {
		// Every prefix, and every byte flipped in the EXIF block, reads as
		// some orientation without panicking or reading past the end.
		if o := Orientation(good[:i]); o < 1 || o > 8 {
			t.Errorf("prefix %d: %d", i, o)
		}
		bad := append([]byte(nil), good...)
		bad[i] ^= 0xFF
		if o := Orientation(bad); o < 1 || o > 8 {
			t.Errorf("flip %d: %d", i, o)
		}
	}
	if Orientation(encodePNG(t, halves(8, 8, red, blue))) != 1 {
		t.Error("a PNG has an orientation")
	}
}

// BenchmarkProcessLargePhoto: a 24-megapixel phone photo, the common
// case, checked, turned and resized to every width (0.84 s on an idle
// 2-core machine, 2026-12-02); it reports the bytes stored.
func BenchmarkProcessLargePhoto(b *testing.B) {
	img := image.NewYCbCr(image.Rect(0, 0, 6000, 4000), image.YCbCrSubsampleRatio420)
	for i := range img.Y {
		img.Y[i] = byte(i)
	}
	data := encodeJPEG(b, img)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		res, err := Process(data)
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Images) == 0 {
			b.Fatal("no widths stored")
		}
		b.ReportMetric(float64(storedKB(res)), "stored-KB")
	}
}

func storedKB(r *Result) int {
	n := 0
	for _, im := range r.Images {
		n += len(im.Data)
	}
	return n >> 10
}

func FuzzProcess(f *testing.F) {
	f.Add(encodePNG(f, halves(40, 20, red, blue)))
	f.Add(encodeJPEG(f, halves(40, 20, red, blue)))
	f.Add(withEXIF(encodeJPEG(f, halves(40, 20, red, blue)), 6, "secret"))
	f.Add(encodeWebP(f, halves(40, 20, red, blue)))
	f.Add(pngClaiming(f, 20000, 20000))
	f.Add([]byte("RIFF\x10\x00\x00\x00WEBPVP8L"))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Process(data)
		if err != nil {
			if c := events.ErrorCode(err); c != events.EINVALID && c != events.ETOOLARGE {
				t.Fatalf("code %s: %v", c, err)
			}
			return
		}
		if len(res.Images) == 0 || len(res.Images) > len(Widths) {
			t.Fatalf("%d widths", len(res.Images))
		}
		prev := 0
		for _, im := range res.Images {
			if im.Width <= prev || im.Width > Widths[len(Widths)-1] || im.Height < 1 {
				t.Fatalf("widths out of order or too wide: %+v", im)
			}
			prev = im.Width
			cfg, err := jpeg.DecodeConfig(bytes.NewReader(im.Data))
			if err != nil || cfg.Width != im.Width || cfg.Height != im.Height {
				t.Fatalf("stored image %dx%d reads as %+v, %v", im.Width, im.Height, cfg, err)
			}
			if strings.Contains(string(im.Data), "Exif") {
				t.Fatal("metadata kept")
			}
		}
	})
}

func FuzzOrientation(f *testing.F) {
	f.Add(withEXIF([]byte{0xFF, 0xD8, 0xFF, 0xD9}, 6, "x"))
	f.Add([]byte{0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x02})
	f.Fuzz(func(t *testing.T, data []byte) {
		if o := Orientation(data); o < 1 || o > 8 {
			t.Fatalf("orientation %d", o)
		}
	})
}
