package web

import (
	"errors"
	"io"
	"mime"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"salon/app/cover"
	"salon/events"
)

// BodyLimit is the most any request may carry but a cover upload.
const BodyLimit = 64 * 1024

// UploadBodyLimit is the server's limit, which only cover uploads may use:
// the image itself may be cover.MaxBytes, and the form around it (the
// multipart boundaries and headers, the console's CSRF field) gets 64 KiB.
const UploadBodyLimit = cover.MaxBytes + BodyLimit

// RequestLimits is the server's HeaderReceived hook: once a request's
// headers are in, and before its body is read, it sets the body limit to
// BodyLimit unless upload says the request may carry an image. A larger
// body is refused from its Content-Length (or as soon as a chunked body
// passes the limit), so no other route ever holds more than 64 KiB.
func RequestLimits(upload func(method, path string) bool) func(*fasthttp.RequestHeader) fasthttp.RequestConfig {
	return func(h *fasthttp.RequestHeader) fasthttp.RequestConfig {
		path, _, _ := strings.Cut(string(h.RequestURI()), "?")
		if upload(string(h.Method()), path) {
			return fasthttp.RequestConfig{MaxRequestBodySize: UploadBodyLimit}
		}
		return fasthttp.RequestConfig{MaxRequestBodySize: BodyLimit}
	}
}

// CoverURL is the address of sa's cover at its widest, or "" without one.
func (d *Deps) CoverURL(sa *events.Salon) string {
	if !sa.Cover.Has() {
		return ""
	}
	return d.BaseURL + sa.Cover.Path(sa.Cover.Largest().Width)
}

// UploadCover reads the multipart field image and makes it sa's cover:
// checked by content, resized and stored in one write (see cover.Process).
// Nothing is written when the image is refused.
func (d *Deps) UploadCover(c *fiber.Ctx, sa *events.Salon) (*events.Salon, error) {
	mt, _, err := mime.ParseMediaType(c.Get(fiber.HeaderContentType))
	if err != nil || mt != fiber.MIMEMultipartForm {
		return nil, events.Errorf(events.EBADREQUEST, "Content-Type must be multipart/form-data, with the image in the field image.")
	}
	fh, err := c.FormFile("image")
	if err != nil {
		if errors.Is(err, fasthttp.ErrMissingFile) {
			return nil, &events.Error{Code: events.EINVALID, Message: "image: required", Fields: map[string]string{"image": "required"}}
		}
		return nil, events.Errorf(events.EBADREQUEST, "The body is not a readable multipart form.")
	}
	if fh.Size > cover.MaxBytes {
		return nil, cover.TooLarge()
	}
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, cover.MaxBytes+1))
	if err != nil {
		return nil, err
	}
	res, err := cover.Process(data)
	if err != nil {
		return nil, err
	}
	out, err := d.DB.SetSalonCover(c.UserContext(), sa.ID, res.Key, res.Images)
	if err != nil {
		return nil, err
	}
	d.Log.Info("salon cover set", "slug", out.Slug, "key", res.Key, "widths", len(res.Images), "bytes", len(data))
	return out, nil
}

// coverFieldMessages are the cover's and the host's field messages, joined
// to fieldMessageKeys so forms say them in the reader's language.
var coverFieldMessages = map[string]string{
	"must be a JPEG, PNG or WebP image":                            "err.image_type",
	"not a readable JPEG image":                                    "err.image_unreadable",
	"not a readable PNG image":                                     "err.image_unreadable",
	"not a readable WebP image":                                    "err.image_unreadable",
	"too many pixels (at most 40 megapixels, and 12000 on a side)": "err.image_pixels",
	"required when the host has an about":                          "err.host_name",
}

func init() {
	for msg, key := range coverFieldMessages {
		fieldMessageKeys[msg] = key
	}
}
