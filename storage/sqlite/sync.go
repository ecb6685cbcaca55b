package sqlite

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"
)

// Durable group commit. The writer connection commits with
// synchronous=NORMAL: SQLite writes the commit's frames to the WAL and
// returns without syncing. The syncer goroutine then syncs the WAL file
// once for every commit handed to it since its last sync, and only then
// answers the writes of those commits. Meanwhile the writer runs the next
// writes in a new transaction, so the disk's sync and the writer's CPU
// overlap instead of taking turns.
//
// Why a write answered nil is on disk:
//
//   - its commit's frames were written to the WAL (write(2) returned)
//     before the commit was handed to the syncer, and the syncer's
//     fdatasync began after that, so it flushes them: dirty pages belong
//     to the file, not to the descriptor that wrote them;
//   - the syncer syncs the file the WAL path names at that moment. The
//     WAL is reused from its start after a checkpoint (the same file,
//     overwritten), which changes nothing above. It is replaced or removed
//     only when a connection closes with nobody else on the file, which
//     first copies all of it into the database and syncs that; then the
//     commit is in the synced database, and the syncer syncs the database
//     file as well before it opens the new WAL;
//   - SQLite overwrites the WAL from its start only after a checkpoint has
//     copied every frame into the database file and synced it (in WAL mode
//     a checkpoint syncs the WAL before copying and the database after,
//     with synchronous NORMAL as with FULL), and syncs the new WAL header
//     itself. So a commit whose frames a restarted WAL overwrote before the
//     syncer reached them is already in the synced database;
//   - a failed sync fails every write of the commits it covered, and the
//     store refuses writes from then on (errSyncFailed): after a failed
//     fsync the kernel may have dropped the pages it could not write, and
//     a later sync that succeeds proves nothing about them.
//
// Commits are visible to readers from the moment they commit, a sync
// before they are answered: a page may show an RSVP that a power cut
// then takes back. Every write that follows it (the mail worker's claim of
// its confirmation, say) is answered only after a later sync, which covers
// it too, so nothing leaves the machine on the strength of an unsynced
// commit.

// group is one committed batch waiting for its sync.
type group struct {
	jobs    []*writeJob
	results []error
	// mail is set when a write of the batch queued mail.
	mail bool
}

// errSyncFailed is the error of every write once a WAL sync has failed.
var errSyncFailed = errors.New("storage: the database could not be synced to disk; restart the server once the disk is sound")

// failed is the error that refuses every write after a failed sync, or nil.
func (db *DB) failed() error {
	if p := db.syncErr.Load(); p != nil {
		return *p
	}
	return nil
}

// syncer syncs the WAL for the commits the writer hands it, as many as are
// waiting per sync, then answers their writes. It stops when the writer has
// stopped and every commit is answered.
func (db *DB) syncer() {
	defer close(db.stopped)
	for g := range db.groups {
		gs := []*group{g}
	more:
		for {
			select {
			case g, ok := <-db.groups:
				if !ok {
					break more
				}
				gs = append(gs, g)
			default:
				break more
			}
		}
		err := db.failed()
		if err == nil {
			start := time.Now()
			if serr := db.syncWAL(); serr != nil {
				// Logged once, as it puts the store out of service.
				slog.Error("storage: WAL sync failed; every write is refused from now on", "db", db.path, "err", serr)
				err = fmt.Errorf("%w (%v)", errSyncFailed, serr)
				db.syncErr.CompareAndSwap(nil, &err)
			}
			db.syncs.Add(1)
			db.syncNanos.Add(int64(time.Since(start)))
		}
		for _, g := range gs {
			db.answer(g, err)
		}
		select {
		case db.syncFree <- struct{}{}:
		default:
		}
	}
}

// answer wakes the mail worker if a write of g queued mail and is about to
// be answered nil (before the answer, so that a caller's mail is on its way
// when it returns), then answers each write of g its own outcome, or err
// for one that succeeded when err is set.
func (db *DB) answer(g *group, err error) {
	if g.mail && err == nil {
		db.wakeMail()
	}
	for i, j := range g.jobs {
		r := g.results[i]
		if r == nil {
			r = err
		}
		j.done <- r
	}
}

// syncWAL is the syncer's sync: options.sync when a test set one, else
// walFile.sync.
func (db *DB) syncWAL() error {
	if db.opts.sync != nil {
		return db.opts.sync()
	}
	return db.wal.sync()
}

// walFile is the syncer's handle on the WAL file.
type walFile struct {
	dbPath, path string
	f            *os.File
}

// sync flushes the WAL file the path names now to disk. When that is not
// the file it synced last (or the first time), it syncs the database file
// too: a WAL is replaced only after it was all copied into the database.
func (w *walFile) sync() error {
	cur, err := os.Stat(w.path)
	if w.f != nil {
		if held, herr := w.f.Stat(); err == nil && herr == nil && os.SameFile(cur, held) {
			return fdatasync(w.f)
		}
		w.f.Close()
		w.f = nil
	}
	if err := syncFile(w.dbPath); err != nil {
		return err
	}
	if errors.Is(err, os.ErrNotExist) {
		// No WAL: everything is in the database file, just synced.
		return nil
	} else if err != nil {
		return err
	}
	f, err := os.Open(w.path)
	if err != nil {
		return err
	}
	w.f = f
	return fdatasync(f)
}

func (w *walFile) close() {
	if w.f != nil {
		w.f.Close()
	}
}

// ckEvery spaces checkpoints: each costs a sync of the WAL and of the
// database file and copies the pages changed since the last one, so under a
// stream of commits one runs at most this often. Before restartWAL, a
// longer interval grew the WAL under an RSVP storm (200 ms: 7% less CPU
// per RSVP but 616 MB over 100,000 RSVPs, against 193 MB at 25 ms); now
// the writer bounds it either way.
const ckEvery = 25 * time.Millisecond

// checkpointer copies committed WAL frames into the database file (a
// PASSIVE checkpoint: it never blocks the writer or readers) after commits,
// on its own connection, so that the single writer spends its time on
// writes. SQLite's automatic checkpoint would run inside the writer's
// commit, about a tenth of the writer's time under load. Once everything is
// copied and no reader needs the old frames, the writer's next transaction
// starts the WAL over from its beginning; under a storm that moment rarely
// comes by itself, so the checkpointer also records the WAL's length for
// restartWAL.
func (db *DB) checkpointer() {
	defer close(db.ckDone)
	var done uint64
	for {
		select {
		case <-db.ckWake:
		case <-db.stopped:
			return
		}
		if n := db.ckCommit.Load(); n != done {
			done = n
			// An error here (a busy database) only delays the copy to the
			// next commit; the data is safe in the WAL.
			var busy, frames, copied int64
			if db.ck.QueryRowContext(context.Background(), `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &frames, &copied) == nil {
				db.walFrames.Store(frames)
			}
		}
		select {
		case <-time.After(db.opts.ckEvery):
		case <-db.stopped:
			return
		}
	}
}

// restartFrames is the WAL length, in frames (about 4 KiB each), from which
// the writer catches the checkpoint up itself between two batches (see
// restartWAL).
const restartFrames = 4096

// restartWAL lets the WAL start over from its beginning once the
// checkpointer has seen it grow past restartFrames. SQLite starts a WAL
// over only at the first write of a transaction that began when every
// frame was already copied into the database; under a stream of RSVPs the
// writer begins its next batch right after committing the last, so the
// checkpointer, a commit behind, never catches up in time and the WAL grows
// by every commit (hundreds of megabytes over a storm; each sync then
// extends the file, and a crash recovery reads all of it). Here, between
// two batches, the writer copies what the checkpointer has not yet (a
// PASSIVE checkpoint: it never waits for a reader), so its next
// transaction begins on a fully copied WAL and its first commit writes from
// the start of the file. A reader still on old frames makes SQLite keep the
// WAL as it is; the writer tries again after the checkpointer's next look.
func (db *DB) restartWAL() {
	limit := cmp.Or(db.opts.restartFrames, restartFrames)
	if limit < 0 || db.walFrames.Load() < limit {
		return
	}
	db.walFrames.Store(0)
	db.walRestarts.Add(1)
	// An error (the checkpointer's own checkpoint running) only leaves it
	// to the next try; the data is safe in the WAL.
	db.write.ExecContext(context.Background(), `PRAGMA wal_checkpoint(PASSIVE)`)
}
