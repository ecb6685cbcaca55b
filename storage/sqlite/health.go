package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	msqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"salon/storage"
)

// probeRoom is how many pages the write probe must be able to take. An RSVP
// usually needs none beyond the pages it changes, a batch of them a few, so
// a file with less room than this is reported unwritable a little early
// rather than late.
const probeRoom = 16

// CheckWritable proves that a write can commit now. Through the single
// writer, like every write, it takes room for a few pages and gives it back,
// then commits a one-row update. Open runs the same probe, so a file that
// cannot be written is refused at start-up.
func (db *DB) CheckWritable(ctx context.Context) error {
	err := db.update(ctx, func(tx *Tx) error {
		tx.wrote = true // the probe writes through the sql.Tx itself
		return probeWrite(ctx, tx.Tx, tx.now)
	})
	return db.cannotWrite(err)
}

// probeOnOpen runs the write probe on the writer connection before the
// writer goroutine starts.
func (db *DB) probeOnOpen(ctx context.Context) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return db.cannotWrite(err)
	}
	defer tx.Rollback()
	if err := probeWrite(ctx, tx, time.Now()); err != nil {
		return db.cannotWrite(err)
	}
	return db.cannotWrite(tx.Commit())
}

// probeWrite is the probe itself. Beginning a transaction is not enough:
// SQLite begins one on a read-only file and fails only at the first write,
// and a one-row update rewrites a page the file already has, so it passes
// on a file that cannot grow; hence the room, taken under a savepoint.
func probeWrite(ctx context.Context, tx *sql.Tx, now time.Time) error {
	if _, err := tx.ExecContext(ctx, `SAVEPOINT room`); err != nil {
		return fmt.Errorf("storage: probe: %w", err)
	}
	_, err := tx.ExecContext(ctx, `UPDATE health SET room = zeroblob(? * (SELECT page_size FROM pragma_page_size())) WHERE id = 1`, probeRoom)
	if _, rerr := tx.ExecContext(ctx, `ROLLBACK TO room`); rerr != nil && err == nil {
		err = rerr
	}
	if _, rerr := tx.ExecContext(ctx, `RELEASE room`); rerr != nil && err == nil {
		err = rerr
	}
	if err != nil {
		return fmt.Errorf("storage: probe: %w", err)
	}
	res, err := tx.ExecContext(ctx, `UPDATE health SET probes = probes + 1, probed_at = ? WHERE id = 1`, now.Unix())
	if err != nil {
		return fmt.Errorf("storage: probe: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return fmt.Errorf("storage: probe: health row missing (%d, %v)", n, err)
	}
	return nil
}

// cannotWrite turns a write refused for want of a writable file or of room
// into one line that says so and names the file; other errors pass as they
// are. It reads SQLite's result code, never the message.
func (db *DB) cannotWrite(err error) error {
	var e *msqlite.Error
	if err == nil || !errors.As(err, &e) {
		return err
	}
	switch e.Code() & 0xff {
	case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM:
		return fmt.Errorf("storage: cannot write to %s: %w (%v)", db.path, storage.ErrReadOnly, e)
	case sqlite3.SQLITE_FULL:
		return fmt.Errorf("storage: cannot write to %s: %w (%v)", db.path, storage.ErrFull, e)
	case sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN:
		return fmt.Errorf("storage: cannot write to %s: %w", db.path, e)
	}
	return err
}

// SetMaxPageCount caps the pages the database file may hold, on the writer
// connection, and returns the cap in force (SQLite never sets it below the
// file's size). Past it every write fails with SQLITE_FULL, as on a full
// disk, which is how tests show what a full disk does.
func (db *DB) SetMaxPageCount(ctx context.Context, n int64) (int64, error) {
	var got int64
	if err := db.write.QueryRowContext(ctx, fmt.Sprintf(`PRAGMA max_page_count = %d`, n)).Scan(&got); err != nil {
		return 0, fmt.Errorf("storage: set max_page_count: %w", err)
	}
	return got, nil
}
