package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	msqlite "modernc.org/sqlite"

	"salon/storage"
)

// maxBatch bounds how many writes share one commit, so one slow batch cannot
// hold many callers.
const maxBatch = 256

// Tx is a write transaction as seen by one write: the shared transaction of
// its batch, plus callbacks to run only once the batch has committed.
type Tx struct {
	*sql.Tx
	now   time.Time
	after []func()
	batch *writeBatch
	// mail is set by a write that queued mail (queuedMail).
	mail bool
	// salons and tickets are set by a write that changed them.
	salons, tickets bool
	// wrote is set once a statement of this write may have changed a row
	// (see stmt.go); a write that fails before it has nothing to undo.
	wrote bool
	// cache is the writer's salon cache, for a write queued with
	// updateCached; counts are its changes to the cached counts.
	cache  *salonCache
	counts []countChange
}

// writeBatch is what the writes of one batch share besides the transaction: the
// writer's prepared statements, and those bound to this transaction.
type writeBatch struct {
	stmts *stmtCache
	bound map[*sql.Stmt]*sql.Stmt
	raw   *rawStmts
	// noticesAdded is set by a write that deferred a notice into its
	// ticket since the batch last copied them, noticesCopied once the
	// batch has copied them (see notices.go); mail once a copy queued some.
	noticesAdded, noticesCopied, mail bool
}

// AfterCommit registers f to run after this write's batch commits; f never
// runs for a write that failed or a batch that did not commit.
func (tx *Tx) AfterCommit(f func()) { tx.after = append(tx.after, f) }

type writeJob struct {
	ctx      context.Context
	fn       func(*Tx) error
	done     chan error
	enqueued time.Time
	after    []func()
	// cache is how the write stands to the writer's salon cache.
	cache cacheUse
}

// cacheUse is how a write stands to the writer's salon cache (salonCache).
type cacheUse int

const (
	// cacheUnknown: the write may read or change anything, so the cached
	// counts are written before it runs and the cache is emptied after.
	cacheUnknown cacheUse = iota
	// cacheThrough: the write reads and changes salons only through the
	// cache (updateCached).
	cacheThrough
	// cacheApart: the write touches nothing the cache holds (updateApart).
	cacheApart
)

// update runs fn inside the writer. The single writer goroutine runs the
// writes waiting for it in one open transaction, commits them together and
// answers each caller once that commit is on disk (see group). A write that
// fails without having written anything fails alone; one that fails after
// writing has the batch run again with a SAVEPOINT per write, so that it
// rolls back alone. So fn may run more than once: it must set, not
// accumulate, what it hands out, and must have no effect outside tx. fn must
// only touch the database through tx and must not call update itself.
func (db *DB) update(ctx context.Context, fn func(*Tx) error) error {
	return db.queue(ctx, fn, cacheUnknown)
}

// updateCached is update for a write that reads its salon with
// tx.rsvpSalon, changes its counts only with tx.addCachedCounts and changes
// nothing else of salons, webhooks or accounts (see salonCache).
func (db *DB) updateCached(ctx context.Context, fn func(*Tx) error) error {
	return db.queue(ctx, fn, cacheThrough)
}

// updateApart is update for a write that touches nothing the salon cache
// holds: it reads no salon and changes no salon, webhook or account (the
// moves of the mail and webhook queues, sessions, sign-in throttling). It
// runs without the batch's counts written first and leaves the cache as it
// is, so that the mail and webhook workers, which write about as often as
// RSVPs arrive, do not empty it between RSVPs.
func (db *DB) updateApart(ctx context.Context, fn func(*Tx) error) error {
	return db.queue(ctx, fn, cacheApart)
}

func (db *DB) queue(ctx context.Context, fn func(*Tx) error, cache cacheUse) error {
	job := &writeJob{ctx: ctx, fn: fn, done: make(chan error, 1), enqueued: time.Now(), cache: cache}
	select {
	case <-db.closing:
		return storage.ErrClosed
	default:
	}
	select {
	case db.jobs <- job:
	case <-ctx.Done():
		return ctx.Err()
	case <-db.closing:
		return storage.ErrClosed
	}
	// Once queued the write may commit, so wait for its real outcome even if
	// the caller has gone: answering early could report a committed RSVP as failed.
	// The send can also win against Close after the writer drained the queue
	// for the last time; then nobody will run the job. Every job the writer
	// runs is answered before stopped is closed, so once stopped is closed an
	// empty done means the job never ran.
	var err error
	select {
	case err = <-job.done:
	case <-db.stopped:
		select {
		case err = <-job.done:
		default:
			return storage.ErrClosed
		}
	}
	if err == nil {
		for _, f := range job.after {
			f()
		}
	}
	return err
}

// batch is the writer's open transaction and the writes run in it so far.
type batch struct {
	tx      *sql.Tx
	now     time.Time
	shared  *writeBatch
	jobs    []*writeJob
	results []error
	// txs are the writes' views of the transaction, for what their commit
	// triggers (mail, changed salons or tickets, callbacks).
	txs []*Tx
	// savepoints is set once the batch runs each write under a SAVEPOINT of
	// its own: always with options.savepoints, else after a write failed
	// having written.
	savepoints bool
}

// newTx is a fresh view of b's transaction: one write's own, or the
// batch's for what the writer does between writes.
func (b *batch) newTx() *Tx { return &Tx{Tx: b.tx, now: b.now, batch: b.shared} }

// writer is the single writer goroutine. It keeps one transaction open,
// runs each write as it arrives, and commits when the syncer is free to
// sync that commit (or the batch is full), so that the writes arriving
// while the disk syncs the previous commit join the next one instead of
// waiting for it. With options.fullSync it commits as soon as the queue is
// empty, each commit syncing the disk itself, as before group commit.
func (db *DB) writer() {
	defer close(db.groups)
	var b *batch
	for {
		if b == nil {
			db.restartWAL()
			select {
			case j := <-db.jobs:
				b = db.begin(j)
				if b == nil {
					continue
				}
			case <-db.closing:
				db.drainOnClose()
				return
			}
		}
		// Run what is queued now, without waiting.
	drain:
		for len(b.jobs) < maxBatch {
			select {
			case j := <-db.jobs:
				if !db.add(b, j) {
					b = nil
					break drain
				}
			default:
				break drain
			}
		}
		if b == nil {
			continue
		}
		if len(b.jobs) < maxBatch && !db.opts.fullSync {
			// Commit once the syncer is free; until then take more writes.
			select {
			case <-db.syncFree:
			default:
				select {
				case <-db.syncFree:
				case j := <-db.jobs:
					if !db.add(b, j) {
						b = nil
					}
					continue
				case <-db.closing:
					db.commit(b)
					db.drainOnClose()
					return
				}
			}
		}
		db.commit(b)
		b = nil
	}
}

// drainOnClose runs the writes queued before Close, one batch, then stops.
func (db *DB) drainOnClose() {
	var b *batch
	for {
		select {
		case j := <-db.jobs:
			if b == nil {
				if b = db.begin(j); b == nil {
					continue
				}
			} else if !db.add(b, j) {
				b = nil
				continue
			}
			if len(b.jobs) == maxBatch {
				db.commit(b)
				b = nil
			}
		default:
			if b != nil {
				db.commit(b)
			}
			return
		}
	}
}

// begin opens a transaction and runs j in it; nil when the transaction
// could not begin (j is answered the error).
func (db *DB) begin(j *writeJob) *batch {
	if err := db.failed(); err != nil {
		j.done <- err
		return nil
	}
	sqlTx, err := db.write.BeginTx(context.Background(), nil)
	if err != nil {
		j.done <- fmt.Errorf("storage: begin write: %w", err)
		return nil
	}
	// Another connection's commit empties the salon cache; so does one
	// grown past its bound (nothing of it is unwritten between batches).
	if len(db.wcache.bySlug) > maxCachedSalons {
		db.wcache.reset()
	}
	b := &batch{tx: sqlTx, now: db.Now().UTC().Truncate(time.Second), savepoints: db.opts.savepoints,
		shared: &writeBatch{stmts: db.wstmts, bound: make(map[*sql.Stmt]*sql.Stmt), raw: db.raw}}
	if err := db.wcache.checkVersion(context.Background(), b.newTx()); err != nil {
		sqlTx.Rollback()
		j.done <- err
		return nil
	}
	if !db.add(b, j) {
		return nil
	}
	return b
}

// add runs j in b. It reports false when b is gone: the batch could not go
// on (a savepoint or the re-run failed), and every write of it, j too, has
// been answered that error.
func (db *DB) add(b *batch, j *writeJob) bool {
	if db.observeWait != nil {
		db.observeWait(time.Since(j.enqueued))
	}
	b.jobs = append(b.jobs, j)
	b.results = append(b.results, nil)
	b.txs = append(b.txs, nil)
	i := len(b.jobs) - 1
	if err := db.run(b, i); err != nil {
		db.abandon(b, err)
		return false
	}
	if b.results[i] != nil && !b.savepoints && needsUndo(b.txs[i], b.results[i]) {
		if err := db.rerun(b); err != nil {
			db.abandon(b, err)
			return false
		}
	}
	return true
}

// run runs the i-th write of b, under a SAVEPOINT when b.savepoints; the
// error returned is the batch's (a savepoint that failed), the write's own
// outcome goes to b.results[i].
func (db *DB) run(b *batch, i int) error {
	j := b.jobs[i]
	tx := b.newTx()
	b.txs[i] = tx
	if err := j.ctx.Err(); err != nil {
		b.results[i] = err
		return nil
	}
	ctx := context.Background()
	if j.cache != cacheThrough {
		// Any write but an RSVP finds the RSVPs' notices in the outbox.
		if err := db.copyNotices(ctx, b.newTx()); err != nil {
			return err
		}
	}
	switch j.cache {
	case cacheThrough:
		tx.cache = db.wcache
	case cacheUnknown:
		// A write that does not go through the cache reads the salons as
		// they stand, so the batch's counts are written first (outside its
		// savepoint: they are the earlier writes'), and whatever it changes
		// is read again by the writes after it.
		if err := db.wcache.flush(ctx, b.newTx()); err != nil {
			return err
		}
		defer db.wcache.reset()
	}
	if !b.savepoints {
		b.results[i] = runJob(j, tx)
		db.undoCounts(tx, b.results[i])
		return nil
	}
	if _, err := tx.ExecContext(ctx, `SAVEPOINT w`); err != nil {
		return fmt.Errorf("storage: savepoint: %w", err)
	}
	notices := b.shared.noticeFlags()
	b.results[i] = runJob(j, tx)
	db.undoCounts(tx, b.results[i])
	if b.results[i] != nil {
		if _, err := tx.ExecContext(ctx, `ROLLBACK TO w`); err != nil {
			return fmt.Errorf("storage: rollback to savepoint: %w", err)
		}
		// A copy of notices the write made is undone with it.
		b.shared.setNoticeFlags(notices)
	}
	if _, err := tx.ExecContext(ctx, `RELEASE w`); err != nil {
		return fmt.Errorf("storage: release savepoint: %w", err)
	}
	return nil
}

// undoCounts takes back the cached count changes of a write that failed.
// Without savepoints, a write that made any has the batch run again anyway
// (needsUndo), which starts the cache afresh.
func (db *DB) undoCounts(tx *Tx, err error) {
	if err != nil && len(tx.counts) > 0 {
		db.wcache.undo(tx.counts)
		tx.counts = nil
	}
}

// needsUndo reports whether a write that failed may have left changes in
// the transaction: it wrote something, or SQLite itself failed (some
// failures roll back more than the statement), or it panicked midway. A
// write refused before it wrote (salon full, not found, a duplicate INSERT,
// which SQLite undoes alone) needs nothing undone.
func needsUndo(tx *Tx, err error) bool {
	var se *msqlite.Error
	if tx.wrote || errors.Is(err, errPanicked) {
		return true
	}
	return errors.As(err, &se) && !isUniqueViolation(err)
}

// rerun rolls b back and runs all its writes again in a new transaction,
// each under its own SAVEPOINT, so that the one that failed after writing
// rolls back alone. The writes run in the same order, at the same time
// (b.now), on the same database, so they decide as they did.
func (db *DB) rerun(b *batch) error {
	b.tx.Rollback()
	db.wcache.reset()
	db.reruns.Add(1)
	sqlTx, err := db.write.BeginTx(context.Background(), nil)
	if err != nil {
		b.tx = nil
		return fmt.Errorf("storage: begin write: %w", err)
	}
	b.tx, b.savepoints = sqlTx, true
	b.shared.bound = make(map[*sql.Stmt]*sql.Stmt)
	b.shared.setNoticeFlags(noticeFlags{})
	for i := range b.jobs {
		b.results[i] = nil
		if err := db.run(b, i); err != nil {
			return err
		}
	}
	return nil
}

// abandon rolls b back and answers each of its writes err, or its own
// error for one that failed by itself.
func (db *DB) abandon(b *batch, err error) {
	if b.tx != nil {
		b.tx.Rollback()
	}
	db.wcache.reset()
	for i, j := range b.jobs {
		if b.results[i] != nil {
			j.done <- b.results[i]
		} else {
			j.done <- err
		}
	}
	db.wstmts.preparePending(context.Background())
}

// commit commits b and hands it to the syncer, which answers its writes
// once the commit is on disk; a batch that cannot commit is answered its
// error at once. Then it prepares the statements the batch met for the
// first time, while the connection is free.
func (db *DB) commit(b *batch) {
	defer db.wstmts.preparePending(context.Background())
	g := &group{jobs: b.jobs, results: b.results}
	err := db.failed()
	var sv, tv uint64
	if err == nil {
		sv, tv, err = db.commitTx(b, g)
	}
	if err != nil {
		b.tx.Rollback()
		db.wcache.reset()
		// Every write of the batch is answered this error, and update runs
		// the callbacks only of a write answered nil.
		for i := range g.results {
			if g.results[i] == nil {
				g.results[i] = err
			}
		}
		db.answer(g, nil)
		return
	}
	// Before the callers are answered, so a caller sees its own change.
	raise(&db.changes.salons, sv)
	raise(&db.changes.tickets, tv)
	db.ckCommit.Add(1)
	select {
	case db.ckWake <- struct{}{}:
	default:
	}
	if db.opts.fullSync {
		// The commit synced the WAL itself.
		db.answer(g, nil)
		return
	}
	db.groups <- g
}

// commitTx counts b's changes and commits it, noting in g what the commit
// must trigger once it is on disk.
func (db *DB) commitTx(b *batch, g *group) (sv, tv uint64, err error) {
	salons, tickets := false, false
	for i, tx := range b.txs {
		if g.results[i] != nil {
			continue
		}
		b.jobs[i].after = tx.after
		g.mail = g.mail || tx.mail
		salons, tickets = salons || tx.salons, tickets || tx.tickets
	}
	btx := b.newTx()
	if time.Since(db.notices.last) >= db.opts.noticeEvery {
		if err := db.copyNotices(context.Background(), btx); err != nil {
			return 0, 0, err
		}
	}
	g.mail = g.mail || b.shared.mail
	if err := db.wcache.flush(context.Background(), btx); err != nil {
		return 0, 0, err
	}
	sv, tv, err = countChanges(context.Background(), btx, salons, tickets)
	if err != nil {
		return 0, 0, fmt.Errorf("storage: count changes: %w", err)
	}
	if err := b.tx.Commit(); err != nil {
		return 0, 0, fmt.Errorf("storage: commit: %w", err)
	}
	db.noticesCommitted(b.shared)
	return sv, tv, nil
}

// errPanicked marks the error of a write that panicked.
var errPanicked = errors.New("storage: write panicked")

// runJob runs one write, turning a panic into an error so that one bad write
// cannot take down the writer and every caller waiting on it.
func runJob(j *writeJob, tx *Tx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %v", errPanicked, r)
		}
	}()
	return j.fn(tx)
}
