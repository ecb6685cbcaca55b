package app

import (
	"context"
	"time"
)

// setupTTL is how long the first-admin link printed by `salon serve` works.
const setupTTL = 24 * time.Hour

// SetupLink returns a one-time link that creates the first admin account,
// or "" when an admin exists. Each call replaces the previous link; only
// the token's hash is stored.
func (s *Server) SetupLink(ctx context.Context) (string, error) {
	has, err := s.db.HasAdmin(ctx)
	if err != nil || has {
		return "", err
	}
	token, err := s.db.CreateSetupToken(ctx, setupTTL)
	if err != nil {
		return "", err
	}
	return s.cfg.BaseURL + "/setup/" + token, nil
}
