package tickets

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"

	qrcode "github.com/skip2/go-qrcode"
)

// MaxQRSize caps the image edge in pixels. The size may come from a query
// string, and a 2-colour PNG of n×n pixels still costs n² bytes to draw.
const MaxQRSize = 2048

// QRPNG draws code as a QR code in a size×size PNG, black on white.
//
// The error correction level is Medium (15% of the symbol may be lost): a
// phone on a cracked screen or in dim light still reads it, while the symbol
// stays a version 5 (37×37 modules) for a usual code. The four-module quiet
// zone is kept, as scanners need it to find the symbol.
//
// Every module is drawn as a whole number of pixels, centred, with any
// spare pixels added to the white margin. go-qrcode's own scaling maps
// pixels to modules by rounding, which gives modules of uneven width at
// most sizes; even modules read faster on cheap cameras.
//
// Only characters of the QR alphanumeric set are accepted, which every code
// Sign writes satisfies: it keeps the symbol out of byte mode (8 bits a
// character instead of 5.5) and so small.
func QRPNG(code string, size int) ([]byte, error) {
	if size < 1 || size > MaxQRSize {
		return nil, fmt.Errorf("tickets: QR size %d out of range 1..%d", size, MaxQRSize)
	}
	q, err := newQR(code)
	if err != nil {
		return nil, err
	}
	return drawQR(q, size)
}

// LinkQRPNG draws a web address as a QR code in a size×size PNG, drawn as
// QRPNG draws. Addresses have lowercase letters, so the symbol is in byte
// mode and larger than a ticket code's; phones open it as a link.
func LinkQRPNG(link string, size int) ([]byte, error) {
	if size < 1 || size > MaxQRSize {
		return nil, fmt.Errorf("tickets: QR size %d out of range 1..%d", size, MaxQRSize)
	}
	if link == "" {
		return nil, fmt.Errorf("tickets: empty QR content")
	}
	q, err := qrcode.New(link, qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("tickets: unable to build QR code: %w", err)
	}
	return drawQR(q, size)
}

// drawQR draws the symbol with whole-pixel modules (see QRPNG).
func drawQR(q *qrcode.QRCode, size int) ([]byte, error) {
	bitmap := q.Bitmap()
	n := len(bitmap)
	scale := size / n
	if scale < 1 {
		return nil, fmt.Errorf("tickets: QR size %d too small for %d modules", size, n)
	}
	off := (size - n*scale) / 2

	img := image.NewPaletted(image.Rect(0, 0, size, size), color.Palette{color.White, color.Black})
	for y, row := range bitmap {
		for x, dark := range row {
			if !dark {
				continue
			}
			for dy := range scale {
				p := img.PixOffset(off+x*scale, off+y*scale+dy)
				for dx := range scale {
					img.Pix[p+dx] = 1
				}
			}
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, fmt.Errorf("tickets: unable to encode QR PNG: %w", err)
	}
	return b.Bytes(), nil
}

// newQR builds the symbol; tests use it to check the version.
func newQR(code string) (*qrcode.QRCode, error) {
	if code == "" {
		return nil, fmt.Errorf("tickets: empty QR content")
	}
	for i := 0; i < len(code); i++ {
		if !isQRAlphanumeric(code[i]) {
			return nil, fmt.Errorf("tickets: QR content has %q at %d, outside the alphanumeric set", code[i], i)
		}
	}
	q, err := qrcode.New(code, qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("tickets: unable to build QR code: %w", err)
	}
	return q, nil
}

// isQRAlphanumeric reports whether c is in the 45-character set of QR
// alphanumeric mode (ISO/IEC 18004 table 5).
func isQRAlphanumeric(c byte) bool {
	switch {
	case '0' <= c && c <= '9', 'A' <= c && c <= 'Z':
		return true
	}
	switch c {
	case ' ', '$', '%', '*', '+', '-', '.', '/', ':':
		return true
	}
	return false
}
