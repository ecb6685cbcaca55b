package site

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	lru "github.com/hashicorp/golang-lru/v2"

	"salon/events"
	"salon/storage"
)

// coverCacheEntries bounds the covers kept in memory: a listing shows 20
// cards, and a 1600-pixel cover is a few hundred kilobytes at most.
const coverCacheEntries = 128

// coverCache keeps cover images by address. An address names the image's
// content, so the bytes never change; but a cover replaced or removed must
// stop being served, so an entry is used only while no salon has changed
// since it was read (any process's change raises the version).
type coverCache = lru.Cache[string, cachedCover]

type cachedCover struct {
	image   *storage.CoverImage
	salonsV uint64
}

func newCoverCache() *coverCache {
	c, _ := lru.New[string, cachedCover](coverCacheEntries)
	return c
}

// Cover serves a cover image at /covers/{key}/{width}.jpg. The address
// changes with the image, so browsers and proxies may keep it for a year
// without asking again; the ETag answers those that ask anyway.
func (s *Site) Cover(c *fiber.Ctx) error {
	key, file := c.Params("key"), c.Params("file")
	w, ok := strings.CutSuffix(file, ".jpg")
	width, err := strconv.Atoi(w)
	if !ok || err != nil || width <= 0 || !coverKey(key) {
		return events.Errorf(events.ENOTFOUND, "Not found.")
	}
	etag := `"` + key + "-" + strconv.Itoa(width) + `"`
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	c.Set(fiber.HeaderETag, etag)
	if inm := c.Get(fiber.HeaderIfNoneMatch); inm != "" && strings.Contains(inm, etag) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	id := key + "/" + strconv.Itoa(width)
	v := s.d.DB.SalonsVersion() // before the read: see storage.Changes
	hit, ok := s.covers.Get(id)
	im := hit.image
	if !ok || hit.salonsV != v {
		im, err = s.d.DB.FindCoverImage(c.UserContext(), key, width)
		if err != nil {
			c.Set(fiber.HeaderCacheControl, "no-store")
			c.Response().Header.Del(fiber.HeaderETag)
			return err
		}
		s.covers.Add(strings.Clone(id), cachedCover{image: im, salonsV: v})
	}
	c.Set(fiber.HeaderContentType, im.ContentType)
	return c.Send(im.Data)
}

// coverKey reports whether key has the form of a cover key (32 hex digits),
// so made-up addresses cost no query.
func coverKey(key string) bool {
	if len(key) != 32 {
		return false
	}
	for _, r := range key {
		if (r < '0' || r > '9') && (r < 'a' || r > 'f') {
			return false
		}
	}
	return true
}
