package web

import (
	"fmt"
	"io/fs"
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/filesystem"

	"salon/static"
)

// VersionedStatic serves the embedded static files under the content
// version (static.URL), where a file never changes, so browsers may keep it
// a year without asking.
func VersionedStatic() fiber.Handler {
	return withCacheControl(filesystem.New(filesystem.Config{Root: http.FS(static.FS)}), "public, max-age=31536000, immutable")
}

// UnversionedStatic serves the old unversioned URLs, for a page some phone
// kept from before; they must be asked for again each time. Another
// build's version answers 404, uncached: its files are not here, and the
// current ones under its name would be cached as its.
func UnversionedStatic() fiber.Handler {
	unversioned := withCacheControl(filesystem.New(filesystem.Config{Root: http.FS(static.FS)}), "no-cache")
	return func(c *fiber.Ctx) error {
		first, _, _ := strings.Cut(strings.TrimPrefix(c.Path(), "/static/"), "/")
		if static.IsVersion(first) {
			return fiber.ErrNotFound
		}
		return unversioned(c)
	}
}

// withCacheControl sets Cache-Control on the files h serves, and only on
// them: a 404 falls through to the error page, which says no-store.
func withCacheControl(h fiber.Handler, value string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		err := h(c)
		if err == nil && c.Response().StatusCode() == fiber.StatusOK {
			c.Set(fiber.HeaderCacheControl, value)
		}
		return err
	}
}

// staticURL is the template function "static": the versioned URL of a
// static file. A name with no file is an error, so a typo in a template
// fails its test rather than a browser.
func staticURL(name string) (string, error) {
	if _, err := fs.Stat(static.FS, name); err != nil {
		return "", fmt.Errorf("web: no static file %q", name)
	}
	return static.URL(name), nil
}
