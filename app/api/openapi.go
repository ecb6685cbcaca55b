package api

import (
	_ "embed"

	"github.com/gofiber/fiber/v2"
)

// openAPI is the OpenAPI 3 document of the JSON API. TestOpenAPICoversRoutes
// keeps it true to the route table.
//
//go:embed openapi.json
var openAPI []byte

// OpenAPI returns the document, for tests and tools.
func OpenAPI() []byte { return openAPI }

// Document serves the OpenAPI document.
func (s *API) Document(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	return c.Send(openAPI)
}
