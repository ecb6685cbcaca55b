package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

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
}

// writeBatch is what the writes of one batch share besides the transaction: the
// writer's prepared statements, and those bound to this transaction.
type writeBatch struct {
	stmts *stmtCache
	bound map[*sql.Stmt]*sql.Stmt
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
}

// update runs fn inside the writer. The single writer goroutine gathers the
// writes waiting for it, runs each under its own SAVEPOINT (a failing one
// rolls back alone), commits once (one disk sync for the batch), then answers
// each caller. fn must only touch the database through tx and must not call
// update itself.
func (db *DB) update(ctx context.Context, fn func(*Tx) error) error {
	job := &writeJob{ctx: ctx, fn: fn, done: make(chan error, 1), enqueued: time.Now()}
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
	// for the last time; then nobody will run the job. The writer answers every
	// job it runs before it stops, so once stopped is closed an empty done
	// means the job never ran.
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

func (db *DB) writer() {
	defer close(db.stopped)
	batch := make([]*writeJob, 0, maxBatch)
	for {
		var first *writeJob
		select {
		case first = <-db.jobs:
		case <-db.closing:
			// Finish what was queued before Close, then stop.
			for {
				select {
				case j := <-db.jobs:
					db.runBatch(append(batch[:0], j))
				default:
					return
				}
			}
		}
		batch = append(batch[:0], first)
	gather:
		for len(batch) < maxBatch {
			select {
			case j := <-db.jobs:
				batch = append(batch, j)
			default:
				break gather
			}
		}
		db.runBatch(batch)
	}
}

// runBatch runs one batch, answers its callers, then prepares the statements
// the batch met for the first time, while the connection is free.
func (db *DB) runBatch(batch []*writeJob) {
	db.runBatchAnswer(batch)
	db.wstmts.preparePending(context.Background())
}

func (db *DB) runBatchAnswer(batch []*writeJob) {
	start := time.Now()
	if db.observeWait != nil {
		for _, j := range batch {
			db.observeWait(start.Sub(j.enqueued))
		}
	}
	results := make([]error, len(batch))
	err := db.runBatchTx(batch, results)
	for i, j := range batch {
		if err != nil && results[i] == nil {
			results[i] = err
		}
		j.done <- results[i]
	}
}

func (db *DB) runBatchTx(batch []*writeJob, results []error) error {
	ctx := context.Background()
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("storage: begin write: %w", err)
	}
	defer sqlTx.Rollback()
	now := db.Now().UTC().Truncate(time.Second)
	b := &writeBatch{stmts: db.wstmts, bound: make(map[*sql.Stmt]*sql.Stmt)}
	btx := &Tx{Tx: sqlTx, now: now, batch: b}
	mail, salons, tickets := false, false, false
	for i, j := range batch {
		if err := j.ctx.Err(); err != nil {
			results[i] = err
			continue
		}
		tx := &Tx{Tx: sqlTx, now: now, batch: b}
		if _, err := btx.ExecContext(ctx, `SAVEPOINT w`); err != nil {
			return fmt.Errorf("storage: savepoint: %w", err)
		}
		results[i] = runJob(j, tx)
		if results[i] != nil {
			if _, err := btx.ExecContext(ctx, `ROLLBACK TO w`); err != nil {
				return fmt.Errorf("storage: rollback to savepoint: %w", err)
			}
		} else {
			j.after = tx.after
			mail = mail || tx.mail
			salons, tickets = salons || tx.salons, tickets || tx.tickets
		}
		if _, err := btx.ExecContext(ctx, `RELEASE w`); err != nil {
			return fmt.Errorf("storage: release savepoint: %w", err)
		}
	}
	sv, tv, err := countChanges(ctx, btx, salons, tickets)
	if err != nil {
		return fmt.Errorf("storage: count changes: %w", err)
	}
	if err := sqlTx.Commit(); err != nil {
		// Every write of the batch is answered this error, and update runs
		// the callbacks only of a write answered nil.
		return fmt.Errorf("storage: commit: %w", err)
	}
	// Before the callers are answered, so a caller sees its own change.
	raise(&db.changes.salons, sv)
	raise(&db.changes.tickets, tv)
	db.ckCommit.Add(1)
	select {
	case db.ckWake <- struct{}{}:
	default:
	}
	if mail {
		db.wakeMail()
	}
	return nil
}

// ckEvery spaces checkpoints: each costs a sync of the database file, so
// under a stream of commits one runs at most this often.
const ckEvery = 25 * time.Millisecond

// checkpointer copies committed WAL frames into the database file (a
// PASSIVE checkpoint: it never blocks the writer or readers) after commits,
// on its own connection, so that the single writer spends its time on
// writes. SQLite's automatic checkpoint would run inside the writer's
// commit, about a tenth of the writer's time under load. Once everything is
// copied and no reader needs the old frames, the writer's next transaction
// starts the WAL over from its beginning, so it stays small.
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
			db.ck.ExecContext(context.Background(), `PRAGMA wal_checkpoint(PASSIVE)`)
		}
		select {
		case <-time.After(ckEvery):
		case <-db.stopped:
			return
		}
	}
}

// runJob runs one write, turning a panic into an error so that one bad write
// cannot take down the writer and every caller waiting on it.
func runJob(j *writeJob, tx *Tx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("storage: write panicked: %v", r)
		}
	}()
	return j.fn(tx)
}
