package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"salon/events"
	"salon/storage"
)

// SetSalonCover replaces a salon's cover images and its cover columns in
// one write, so no reader ever sees the salon name images that are not
// there yet, or that are already gone.
func (db *DB) SetSalonCover(ctx context.Context, id int64, key string, images []storage.CoverImage) (*events.Salon, error) {
	if key == "" || len(images) == 0 {
		return nil, events.Errorf(events.EINVALID, "image: no image")
	}
	sizes := make([]events.CoverSize, len(images))
	for i, im := range images {
		sizes[i] = events.CoverSize{Width: im.Width, Height: im.Height}
	}
	var out *events.Salon
	err := db.update(ctx, func(tx *Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM salons WHERE id = ?`, id).Scan(&n); err != nil {
			return fmt.Errorf("storage: unable to fetch salon %d: %w", id, err)
		} else if n == 0 {
			return notFound("Salon")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM cover_images WHERE salon_id = ?`, id); err != nil {
			return fmt.Errorf("storage: unable to remove cover: %w", err)
		}
		for _, im := range images {
			if _, err := tx.ExecContext(ctx, `INSERT INTO cover_images (salon_id, width, cover_key, height, content_type, data, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, id, im.Width, key, im.Height, im.ContentType, im.Data, tx.now.Unix()); err != nil {
				return fmt.Errorf("storage: unable to store cover: %w", err)
			}
		}
		s, err := setCoverColumns(ctx, tx, id, key, events.FormatSizes(sizes))
		if err != nil {
			return err
		}
		db.salonsChanged(tx)
		out = s
		return audit(ctx, tx, storage.ActionSalonCover, id, key)
	})
	return out, err
}

// RemoveSalonCover removes a salon's cover, if it has one.
func (db *DB) RemoveSalonCover(ctx context.Context, id int64) (*events.Salon, error) {
	var out *events.Salon
	err := db.update(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM cover_images WHERE salon_id = ?`, id)
		if err != nil {
			return fmt.Errorf("storage: unable to remove cover: %w", err)
		}
		s, err := setCoverColumns(ctx, tx, id, "", "")
		if err != nil {
			return err
		}
		out = s
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		db.salonsChanged(tx)
		return audit(ctx, tx, storage.ActionSalonCoverRemove, id, "")
	})
	return out, err
}

// setCoverColumns points salon id at a cover (or none) and returns it.
func setCoverColumns(ctx context.Context, tx *Tx, id int64, key, sizes string) (*events.Salon, error) {
	res, err := tx.ExecContext(ctx, `UPDATE salons SET cover_key = ?, cover_sizes = ?, updated_at = ? WHERE id = ?`,
		key, sizes, tx.now.Unix(), id)
	if err != nil {
		return nil, fmt.Errorf("storage: unable to set cover: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil, notFound("Salon")
	}
	s, err := scanSalon(tx.QueryRowContext(ctx, salonByID, id))
	if err != nil {
		return nil, fmt.Errorf("storage: unable to fetch salon %d: %w", id, err)
	}
	return s, nil
}

// FindCoverImage returns one stored width of a cover.
func (db *DB) FindCoverImage(ctx context.Context, key string, width int) (*storage.CoverImage, error) {
	im := storage.CoverImage{Width: width}
	err := db.read.QueryRowContext(ctx, `SELECT height, content_type, data FROM cover_images
		WHERE cover_key = ? AND width = ? LIMIT 1`, key, width).Scan(&im.Height, &im.ContentType, &im.Data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Cover image")
	} else if err != nil {
		return nil, fmt.Errorf("storage: unable to fetch cover image: %w", err)
	}
	return &im, nil
}
