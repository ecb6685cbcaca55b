package app

import "github.com/gofiber/fiber/v2"

// calendarRoutes registers the calendar files and feeds.
func (s *Server) calendarRoutes(r fiber.Router) {
	_ = r
}
