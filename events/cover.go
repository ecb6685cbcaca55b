package events

import (
	"strconv"
	"strings"
)

// Cover is a salon's cover image as the salon records it: Key changes with
// the image's content, so every address built from it can be cached for
// good; Sizes are the widths it is kept at, smallest first. The zero Cover
// is no cover.
type Cover struct {
	Key   string
	Sizes []CoverSize
}

// CoverSize is one stored width of a cover, with its height.
type CoverSize struct{ Width, Height int }

// Has reports whether the salon has a cover.
func (c Cover) Has() bool { return c.Key != "" && len(c.Sizes) > 0 }

// Largest is the widest stored size (zero without a cover).
func (c Cover) Largest() CoverSize {
	if len(c.Sizes) == 0 {
		return CoverSize{}
	}
	return c.Sizes[len(c.Sizes)-1]
}

// Smallest is the narrowest stored size (zero without a cover).
func (c Cover) Smallest() CoverSize {
	if len(c.Sizes) == 0 {
		return CoverSize{}
	}
	return c.Sizes[0]
}

// Path is the address (below the site's base URL) of the cover at width.
// The key in it makes the address change whenever the image does.
func (c Cover) Path(width int) string {
	return "/covers/" + c.Key + "/" + strconv.Itoa(width) + ".jpg"
}

// FormatSizes writes sizes as "480x270,960x540", the form stores keep them in.
func FormatSizes(sizes []CoverSize) string {
	var b strings.Builder
	for i, s := range sizes {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(s.Width))
		b.WriteByte('x')
		b.WriteString(strconv.Itoa(s.Height))
	}
	return b.String()
}

// ParseSizes reads what FormatSizes wrote; anything malformed is skipped,
// so a damaged row shows no cover rather than failing the page.
func ParseSizes(s string) []CoverSize {
	if s == "" {
		return nil
	}
	var out []CoverSize
	for _, part := range strings.Split(s, ",") {
		w, h, ok := strings.Cut(part, "x")
		if !ok {
			continue
		}
		wi, err1 := strconv.Atoi(w)
		hi, err2 := strconv.Atoi(h)
		if err1 != nil || err2 != nil || wi <= 0 || hi <= 0 {
			continue
		}
		out = append(out, CoverSize{Width: wi, Height: hi})
	}
	return out
}
