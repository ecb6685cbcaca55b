// Package door serves the door: the scanner page and its service worker,
// and the check-in API door devices call with a door link's token or a
// staff account's. It imports no other surface.
package door

import (
	"bytes"
	"crypto/ed25519"
	"embed"
	"encoding/json"
	"io/fs"
	"net/url"
	"sync"

	"github.com/gofiber/fiber/v2"

	"salon/app/web"
	"salon/static"
	"salon/tickets"
)

//go:embed templates/*.html
var templateFS embed.FS

// Door serves the scanner page, its service worker and the door devices'
// API.
type Door struct {
	d     *web.Deps
	pages *web.Templates
}

// New builds the door on the kernel.
func New(d *web.Deps) (*Door, error) {
	t, err := web.ParseTemplates(templateFS, nil, "door")
	if err != nil {
		return nil, err
	}
	return &Door{d: d, pages: t}, nil
}

// doorStrings are the texts the door page's modules show, keyed as in the catalogue. The
// values are placeholder names the script fills in; the server passes them
// as the format arguments so a translation may move them around.
var doorStrings = map[string][]any{
	"door.title":               nil,
	"door.loading":             nil,
	"door.key_label":           nil,
	"door.key_help":            nil,
	"door.key_save":            nil,
	"door.key_rejected":        nil,
	"door.key_forget":          nil,
	"door.settings":            nil,
	"door.forget_help":         nil,
	"door.forget_confirm":      nil,
	"door.forget_yes":          nil,
	"door.forget_keep":         nil,
	"door.camera_start":        nil,
	"door.camera_denied":       nil,
	"door.camera_hint":         nil,
	"door.ok":                  nil,
	"door.already":             nil,
	"door.already_at":          {"{time}"},
	"door.not_confirmed":       nil,
	"door.not_confirmed_help":  nil,
	"door.wrong_salon":         nil,
	"door.wrong_salon_help":    nil,
	"door.invalid":             nil,
	"door.invalid_help":        nil,
	"door.failed":              nil,
	"door.unknown_guest":       nil,
	"door.offline":             nil,
	"door.offline_note":        nil,
	"door.online":              nil,
	"door.queue":               {"{n}"},
	"door.synced":              nil,
	"door.flagged":             {"{name}", "{time}"},
	"door.count":               {"{checked}", "{confirmed}"},
	"door.updated":             {"{time}"},
	"door.no_data":             nil,
	"door.tap":                 nil,
	"door.search_label":        nil,
	"door.search_none":         nil,
	"door.checkin":             nil,
	"door.status_waitlisted":   nil,
	"door.status_cancelled":    nil,
	"door.status_checked_in":   {"{time}"},
	"door.manual_heading":      nil,
	"door.scan_heading":        nil,
	"door.queue_upload_failed": nil,
	// Parties and approval.
	"door.party":           {"{n}"},
	"door.party_admit":     {"{seats}"},
	"door.status_pending":  nil,
	"door.status_declined": nil,
}

type doorPage struct {
	web.Page
	Slug string
	// Config and Strings are written into JSON blocks that the page's
	// modules read: the page has no inline script, so the CSP holds.
	Config doorConfig
	// Strings are the script's texts in the page's language.
	Strings map[string]string
}

// doorConfig is what the door page's modules take from the server rather
// than copy: the ticket code format, so the phone's offline check is the
// server's, and where the API and the service worker are.
type doorConfig struct {
	MaxCodeLen    int    `json:"max_code_len"`
	CodeVersion   int    `json:"code_version"`
	CodeContext   string `json:"code_context"`
	CodeAlphabet  string `json:"code_alphabet"`
	MinPayload    int    `json:"min_payload"`
	SignatureSize int    `json:"signature_size"`
	DoorURL       string `json:"door_url"`
	CheckinsURL   string `json:"checkins_url"`
	ServiceWorker string `json:"service_worker"`
	Scope         string `json:"service_worker_scope"`
	// Cache is the service worker's cache, where the page keeps a copy of
	// itself; it is named after the static version, as door-sw.js's is.
	Cache string `json:"cache"`
}

// WorkerURL is where the service worker is served: from /door/ rather than
// /static/, because a worker may only control pages under its own path;
// from here it covers every /door/{slug} page, so a reload without network
// still opens the scanner.
const (
	WorkerURL       = "/door/sw.js"
	doorWorkerScope = "/door/"
)

// doorCache is the name of the service worker's cache for this build. A
// new static version gets a new cache; the worker deletes the old ones.
func doorCache() string { return "salon-door-" + static.Version }

func newDoorConfig(slug string) doorConfig {
	api := "/api/v1/salons/" + url.PathEscape(slug)
	return doorConfig{
		MaxCodeLen:    tickets.MaxCodeLen,
		CodeVersion:   tickets.CodeVersion,
		CodeContext:   tickets.CodeContext,
		CodeAlphabet:  tickets.CodeAlphabet,
		MinPayload:    tickets.MinPayload,
		SignatureSize: ed25519.SignatureSize,
		DoorURL:       api + "/door",
		CheckinsURL:   api + "/checkins",
		ServiceWorker: WorkerURL,
		Scope:         doorWorkerScope,
		Cache:         doorCache(),
	}
}

// Page serves the scanner page. It holds no guest data itself: the
// page's script fetches that with the door link's token or a staff token,
// so the page is the same for everyone and safe to cache offline.
func (s *Door) Page(c *fiber.Ctx) error {
	p := doorPage{Page: web.NewPage(c, ""), Slug: c.Params("slug")}
	p.Config = newDoorConfig(p.Slug)
	p.Title = p.T("door.title")
	p.Strings = make(map[string]string, len(doorStrings))
	for key, args := range doorStrings {
		p.Strings[key] = p.T(key, args...)
	}
	c.Set(fiber.HeaderCacheControl, "no-cache")
	return s.pages.Render(c, fiber.StatusOK, "door", p)
}

// ServiceWorker serves static/door-sw.js after a first line that
// names the static version, its cache and the versioned files to keep. A
// browser installs a new worker only when the worker's bytes change, so
// this line is what brings a new worker, with the new files, after a
// deploy. no-cache makes browsers check for one on every visit.
func (s *Door) ServiceWorker(c *fiber.Ctx) error {
	body, err := doorWorkerBody()
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/javascript; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "no-cache")
	return c.Send(body)
}

// doorWorkerBody is the service worker's body, built once: the embedded
// files do not change while the server runs.
var doorWorkerBody = sync.OnceValues(doorWorker)

// doorWorker builds the service worker's body.
func doorWorker() ([]byte, error) {
	src, err := fs.ReadFile(static.FS, "door-sw.js")
	if err != nil {
		return nil, err
	}
	shell, err := doorShell()
	if err != nil {
		return nil, err
	}
	cfg, err := json.Marshal(map[string]any{"version": static.Version, "cache": doorCache(), "shell": shell})
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString("var CONFIG = ")
	b.Write(cfg)
	b.WriteString(";\n")
	b.Write(src)
	return b.Bytes(), nil
}

// doorShell lists the versioned URLs a door page loads, for the service
// worker to fetch on install: the page's styles and scripts, every module
// and worker under door/, and the vendored decoders, including the Ed25519
// fallback that only browsers without it in WebCrypto load.
func doorShell() ([]string, error) {
	names := []string{"style.css", "app.js", "door.css", "vendor/jsqr/jsQR.js", "vendor/noble-ed25519/index.js"}
	mods, err := fs.Glob(static.FS, "door/*.js")
	if err != nil {
		return nil, err
	}
	names = append(names, mods...)
	urls := make([]string, 0, len(names))
	for _, n := range names {
		if _, err := fs.Stat(static.FS, n); err != nil {
			return nil, err
		}
		urls = append(urls, static.URL(n))
	}
	return urls, nil
}
