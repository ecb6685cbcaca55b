package app

import (
	"context"

	"salon/storage"
	"salon/tickets"
)

// LoadKeySet builds the ticket key set from the signing keys db keeps,
// making the first key on a new database. The server builds it once at
// start; a rotation (salon key rotate) takes effect at the next start.
func LoadKeySet(ctx context.Context, db storage.Store) (*tickets.KeySet, error) {
	stored, err := db.LoadSigningKeys(ctx)
	if err != nil {
		return nil, err
	}
	if len(stored) == 0 {
		if _, err := db.AddSigningKey(ctx, tickets.NewStoredKey); err != nil {
			return nil, err
		}
		if stored, err = db.LoadSigningKeys(ctx); err != nil {
			return nil, err
		}
	}
	return tickets.NewKeySet(stored)
}

// rotateSigningKey adds a signing key that signs from now on and returns
// its id and the key set that includes it; older keys stay valid for the
// codes already handed out.
func rotateSigningKey(ctx context.Context, db storage.Store) (uint32, *tickets.KeySet, error) {
	// A database with no key yet gets its first one, so the rotation
	// always leaves an older key beside the new one.
	if _, err := LoadKeySet(ctx, db); err != nil {
		return 0, nil, err
	}
	id, err := db.AddSigningKey(ctx, tickets.NewStoredKey)
	if err != nil {
		return 0, nil, err
	}
	keys, err := LoadKeySet(ctx, db)
	return id, keys, err
}
