package app

import (
	"embed"

	"salon/app/web"
)

//go:embed templates/*.html
var templateFS embed.FS

func newPages() (*web.Templates, error) {
	return web.ParseTemplates(templateFS, nil, "index", "salon", "ticket")
}
