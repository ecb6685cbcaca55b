package wallet

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
)

// The icons Wallet shows on the lock screen and in notifications, drawn
// once at start: a light ticket shape on the pass's dark background, at
// 29, 58 and 87 pixels (1x, 2x, 3x).
var (
	icon1x = drawIcon(29)
	icon2x = drawIcon(58)
	icon3x = drawIcon(87)
)

func drawIcon(n int) []byte {
	bg := color.RGBA{27, 27, 31, 255}
	fg := color.RGBA{236, 236, 244, 255}
	img := image.NewPaletted(image.Rect(0, 0, n, n), color.Palette{bg, fg})
	m := n / 6 // margin around the ticket
	notch := n / 7
	cy := n / 2
	for y := m + n/8; y < n-m-n/8; y++ {
		for x := m; x < n-m; x++ {
			// Half-round notches in both short sides, as on a paper ticket.
			dl, dr, dy := x-m, n-m-1-x, y-cy
			if dl*dl+dy*dy < notch*notch || dr*dr+dy*dy < notch*notch {
				continue
			}
			img.SetColorIndex(x, y, 1)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err) // only on a failing writer; a bytes.Buffer does not fail
	}
	return b.Bytes()
}
