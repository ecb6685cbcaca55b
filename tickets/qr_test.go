package tickets

import (
	"bytes"
	"fmt"
	"image/png"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	zxqr "github.com/makiuchi-d/gozxing/qrcode"
)

// decodeQR reads a PNG back the way a phone camera app would.
func decodeQR(t *testing.T, b []byte) *gozxing.Result {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("png: %v", err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := zxqr.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{
		gozxing.DecodeHintType_TRY_HARDER: true,
	})
	if err != nil {
		t.Fatalf("QR does not decode: %v", err)
	}
	return res
}

func TestQRPNGRoundTrip(t *testing.T) {
	k := testKey(1, 1)
	tests := []struct {
		name              string
		ticketID, salonID int64
		maxVersion        int
	}{
		// Realistic ids: a few thousand tickets, a few hundred salons.
		{"small ids", 42, 3, 5},
		{"growing ids", 2_000_000, 16_000, 5},
		// The widest ids still fit a version 6.
		{"widest ids", 1 << 62, 1 << 62, 6},
	}
	for _, tt := range tests {
		for _, size := range []int{160, 320, 641} {
			t.Run(fmt.Sprintf("%s/%dpx", tt.name, size), func(t *testing.T) {
				code := k.Sign(tt.ticketID, tt.salonID)
				q, err := newQR(code)
				if err != nil {
					t.Fatal(err)
				}
				if q.VersionNumber > tt.maxVersion {
					t.Errorf("QR version %d for %d characters, want ≤ %d", q.VersionNumber, len(code), tt.maxVersion)
				}
				if tt.maxVersion == 5 && len(code) > 120 {
					t.Errorf("code is %d characters, want ≤ 120", len(code))
				}
				b, err := QRPNG(code, size)
				if err != nil {
					t.Fatal(err)
				}
				cfg, err := png.DecodeConfig(bytes.NewReader(b))
				if err != nil || cfg.Width != size || cfg.Height != size {
					t.Fatalf("image %dx%d (%v), want %dx%d", cfg.Width, cfg.Height, err, size, size)
				}
				res := decodeQR(t, b)
				if res.GetText() != code {
					t.Fatalf("decoded %q, want %q", res.GetText(), code)
				}
				// Alphanumeric mode, not byte mode: the first segment's mode
				// indicator is 0010 and no byte segment was read.
				if mode := res.GetRawBytes()[0] >> 4; mode != 0b0010 {
					t.Errorf("first segment mode %04b, want alphanumeric 0010", mode)
				}
				if _, ok := res.GetResultMetadata()[gozxing.ResultMetadataType_BYTE_SEGMENTS]; ok {
					t.Errorf("QR contains a byte-mode segment")
				}
				if _, err := NewVerifier(k.Public()).Verify(res.GetText()); err != nil {
					t.Errorf("decoded code does not verify: %v", err)
				}
			})
		}
	}
}

// Modules are whole pixels with the quiet zone kept: the corners of the
// image are white, and every module is a square of identical pixels.
func TestQRPNGModulesAreEven(t *testing.T) {
	code := testKey(1, 1).Sign(1234, 56)
	const size = 320
	b, err := QRPNG(code, size)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	q, _ := newQR(code)
	bitmap := q.Bitmap()
	n := len(bitmap)
	if n != 4*q.VersionNumber+17+2*4 {
		t.Fatalf("bitmap is %d modules for version %d: quiet zone missing?", n, q.VersionNumber)
	}
	scale, off := size/n, (size-size/n*n)/2
	dark := func(x, y int) bool {
		r, _, _, _ := img.At(x, y).RGBA()
		return r < 0x8000
	}
	for y := range size {
		for x := range size {
			mx, my := (x-off)/scale, (y-off)/scale
			want := x >= off && y >= off && mx < n && my < n && bitmap[my][mx]
			if dark(x, y) != want {
				t.Fatalf("pixel (%d,%d) dark=%v, want %v", x, y, dark(x, y), want)
			}
		}
	}
}

func TestQRPNGRefuses(t *testing.T) {
	code := testKey(1, 1).Sign(1234, 56)
	tests := []struct {
		name string
		code string
		size int
	}{
		{"empty code", "", 320},
		{"lower case", strings.ToLower(code), 320},
		{"byte-mode character", code + "=", 320},
		{"zero size", code, 0},
		{"negative size", code, -5},
		{"too small for the modules", code, 40},
		{"huge size", code, MaxQRSize + 1},
		{"too long for any QR", strings.Repeat("A", 5000), 320},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if b, err := QRPNG(tt.code, tt.size); err == nil {
				t.Errorf("QRPNG accepted, %d bytes", len(b))
			}
		})
	}
}

func BenchmarkQRPNG(b *testing.B) {
	code := testKey(1, 1).Sign(123456, 789)
	for b.Loop() {
		if _, err := QRPNG(code, 320); err != nil {
			b.Fatal(err)
		}
	}
}

func TestLinkQRPNGRoundTrip(t *testing.T) {
	link := "https://salon.example/salons/law-night"
	b, err := LinkQRPNG(link, 320)
	if err != nil {
		t.Fatal(err)
	}
	if got := decodeQR(t, b).GetText(); got != link {
		t.Fatalf("decoded %q, want %q", got, link)
	}
	if _, err := LinkQRPNG("", 320); err == nil {
		t.Fatal("empty link drew a code")
	}
}
