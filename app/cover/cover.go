// Package cover turns an uploaded cover image into what the site serves:
// it checks the type by content, refuses images too large to decode safely,
// drops every byte of metadata by decoding and encoding again, turns the
// picture upright as its EXIF orientation says, and resizes it to a few
// widths for srcset. It trusts neither the file name nor the Content-Type
// the upload came with.
package cover

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"

	"golang.org/x/image/draw"
	"golang.org/x/image/webp"

	"salon/events"
	"salon/storage"
)

// Limits on uploads.
const (
	// MaxBytes is the largest upload taken (10 MiB).
	MaxBytes = 10 << 20
	// MaxPixels bounds the decoded picture, read from the file's header
	// before anything is decoded: a few kilobytes of PNG can claim a
	// gigapixel and take gigabytes to decode. 40 megapixels covers phone
	// cameras' full-resolution photos.
	MaxPixels = 40_000_000
	// MaxSide bounds either side, so a 1 x 40,000,000 strip is refused too.
	MaxSide = 12_000
	// Quality is the JPEG quality the widths are written at.
	Quality = 82
)

// Widths are the widths a cover is kept at, for srcset: a phone, a phone
// at 2x or a laptop column, and a wide screen or a link preview. A picture
// narrower than one is never enlarged: it is kept at its own width instead.
var Widths = []int{480, 960, 1600}

// ContentType is what every stored width is: JPEG, which every browser and
// chat app's link preview reads. Transparent areas are laid on white.
const ContentType = "image/jpeg"

// Result is a processed cover: Key names its content (the site's addresses
// of it change when it does) and Images are its widths, smallest first.
type Result struct {
	Key    string
	Images []storage.CoverImage
}

// decoders are the formats taken, each found by its magic bytes.
var decoders = map[string]struct {
	decode       func(io.Reader) (image.Image, error)
	decodeConfig func(io.Reader) (image.Config, error)
}{
	"jpeg": {jpeg.Decode, jpeg.DecodeConfig},
	"png":  {png.Decode, png.DecodeConfig},
	"webp": {webp.Decode, webp.DecodeConfig},
}

// Sniff names the format data starts as ("jpeg", "png", "webp"), or "".
func Sniff(data []byte) string {
	switch {
	case len(data) >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF:
		return "jpeg"
	case len(data) >= 8 && string(data[:8]) == "\x89PNG\r\n\x1a\n":
		return "png"
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return "webp"
	}
	return ""
}

// invalid is the answer to an upload that is not a usable image.
func invalid(msg string) error {
	return &events.Error{Code: events.EINVALID, Message: "image: " + msg, Fields: map[string]string{"image": msg}}
}

// TooLarge is the answer to an upload over MaxBytes.
func TooLarge() error {
	return events.Errorf(events.ETOOLARGE, "The image is larger than 10 MB.")
}

// sem bounds how many uploads decode at once: a 40-megapixel picture
// takes a few hundred megabytes while it is resized.
var sem = make(chan struct{}, 2)

// Process checks and converts an upload. Anything that is not a JPEG, PNG
// or WebP by its content, or that does not decode whole, is invalid on the
// field image; over MaxBytes is too_large.
func Process(data []byte) (*Result, error) {
	if len(data) > MaxBytes {
		return nil, TooLarge()
	}
	if len(data) == 0 {
		return nil, invalid("required")
	}
	img, orientation, err := decode(data)
	if err != nil {
		return nil, err
	}
	return resize(img, orientation)
}

// decode reads the picture after checking its type and its size, and the
// EXIF orientation of a JPEG (1 when it has none).
func decode(data []byte) (image.Image, int, error) {
	format := Sniff(data)
	d, ok := decoders[format]
	if !ok {
		return nil, 0, invalid("must be a JPEG, PNG or WebP image")
	}
	cfg, err := d.decodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, 0, invalid("not a readable " + formatName(format) + " image")
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > MaxSide || cfg.Height > MaxSide ||
		int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
		return nil, 0, invalid("too many pixels (at most 40 megapixels, and 12000 on a side)")
	}
	sem <- struct{}{}
	img, err := d.decode(bytes.NewReader(data))
	<-sem
	if err != nil {
		return nil, 0, invalid("not a readable " + formatName(format) + " image")
	}
	if b := img.Bounds(); b.Dx() != cfg.Width || b.Dy() != cfg.Height {
		return nil, 0, invalid("not a readable " + formatName(format) + " image")
	}
	orientation := 1
	if format == "jpeg" {
		orientation = Orientation(data)
	}
	return img, orientation, nil
}

func formatName(format string) string {
	switch format {
	case "jpeg":
		return "JPEG"
	case "png":
		return "PNG"
	}
	return "WebP"
}

// targets are the widths a picture of width w is kept at: each of Widths
// below it, then its own width when it is narrower than the widest. A width
// within a tenth of the widest is left out, as it would look the same.
func targets(w int) []int {
	largest := min(w, Widths[len(Widths)-1])
	var out []int
	for _, t := range Widths {
		if t < largest && t*10 < largest*9 {
			out = append(out, t)
		}
	}
	return append(out, largest)
}

// resize writes the picture upright at each target width. The widest is
// scaled from the picture and then turned; each narrower one is scaled from
// the widest, which is cheaper and as sharp.
func resize(src image.Image, orientation int) (*Result, error) {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	if swapsSides(orientation) {
		w, h = h, w
	}
	ts := targets(w)
	height := func(tw int) int { return max(1, (h*tw+w/2)/w) }
	tw, th := ts[len(ts)-1], height(ts[len(ts)-1])
	sw, sh := tw, th
	if swapsSides(orientation) {
		sw, sh = th, tw
	}
	top := orient(scale(src, sw, sh), orientation)
	images := make([]storage.CoverImage, len(ts))
	sum := sha256.New()
	for i, tw := range ts {
		img := top
		if i < len(ts)-1 {
			img = scale(top, tw, height(tw))
		}
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: Quality}); err != nil {
			return nil, err
		}
		images[i] = storage.CoverImage{Width: tw, Height: img.Bounds().Dy(), ContentType: ContentType, Data: buf.Bytes()}
		sum.Write(buf.Bytes())
	}
	return &Result{Key: hex.EncodeToString(sum.Sum(nil)[:16]), Images: images}, nil
}

// scale draws src at w x h on white (so transparency turns white, not
// black, in the JPEG). A picture much larger than the target is first
// halved with a 2x2 average until it is less than twice the target, which
// keeps the Catmull-Rom pass that follows fast on 40 megapixels.
func scale(src image.Image, w, h int) *image.RGBA {
	for {
		b := src.Bounds()
		if b.Dx() < 2*w || b.Dy() < 2*h {
			break
		}
		half := image.NewRGBA(image.Rect(0, 0, (b.Dx()+1)/2, (b.Dy()+1)/2))
		draw.Draw(half, half.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
		draw.ApproxBiLinear.Scale(half, half.Bounds(), src, b, draw.Over, nil)
		src = half
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(dst, dst.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, src.Bounds(), draw.Over, nil)
	return dst
}
