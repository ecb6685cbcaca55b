package postgres

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"sync"
	"sync/atomic"
	"time"

	"salon/events"
	"salon/storage"
)

// maxRSVPBatch bounds how many RSVPs one transaction decides, so that one
// batch holds its salons' row locks for a bounded time.
const maxRSVPBatch = 128

// defaultRSVPLanes is how many batches one process runs at once. A salon
// always goes to the same lane, so the lanes of a process never wait for
// each other's row locks, and RSVPs for different salons still commit in
// parallel on as many connections.
const defaultRSVPLanes = 8

// The states of an rsvpJob: queued until a batch takes it or its caller
// gives up on it, whichever comes first.
const (
	jobQueued int32 = iota
	jobTaken
	jobAbandoned
)

// rsvpJob is one CreateRSVP call on its way through a batch: its request,
// what its caller prepared for it, and its outcome, which the caller reads
// once done is closed.
type rsvpJob struct {
	r     storage.RSVPRequest
	ctx   context.Context
	start time.Time
	salt  []byte
	// messageID is the confirmation's Message-ID; keyHash and bodyHash
	// are the idempotency record's, empty without an Idempotency-Key.
	messageID, keyHash, bodyHash string

	state atomic.Int32
	done  chan struct{}

	// The outcome, set by decideRSVP and the batch.
	out     *storage.RSVPResult
	refusal error
	zone    string
	feed    feedRef
	err     error
}

// finish answers the job's caller.
func (j *rsvpJob) finish(err error) {
	j.err = err
	close(j.done)
}

// rsvpBatcher combines the RSVPs of one process: each lane is a goroutine
// that takes every RSVP waiting in its queue (up to maxRSVPBatch), decides
// them in one transaction and commits once, while the next ones gather in
// the queue. A commit in PostgreSQL waits for its WAL flush with the
// salons' row locks held, so one transaction per RSVP decides at most one
// RSVP per flush for a salon; a batch decides as many as were waiting.
type rsvpBatcher struct {
	once    sync.Once
	mu      sync.RWMutex
	lanes   []chan *rsvpJob
	stopped bool
	stop    chan struct{}
	wg      sync.WaitGroup
}

// start starts n lanes.
func (b *rsvpBatcher) start(db *DB, n int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.stopped {
		return
	}
	b.stop = make(chan struct{})
	b.lanes = make([]chan *rsvpJob, n)
	for i := range b.lanes {
		b.lanes[i] = make(chan *rsvpJob, 4*maxRSVPBatch)
		b.wg.Add(1)
		go db.runRSVPLane(b.lanes[i], b.stop)
	}
}

// shutdown stops the lanes once the RSVPs already queued are answered;
// RSVPs submitted after it are refused with storage.ErrClosed.
func (b *rsvpBatcher) shutdown() {
	b.mu.Lock()
	b.stopped = true
	started := b.lanes != nil
	b.mu.Unlock()
	if started {
		close(b.stop)
		b.wg.Wait()
	}
}

// enqueue puts j on the lane of its salon. The send is made under the read
// lock, so that shutdown, which takes the write lock, sees every job sent.
func (b *rsvpBatcher) enqueue(ctx context.Context, j *rsvpJob) error {
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.stopped || b.lanes == nil {
		return storage.ErrClosed
	}
	h := fnv.New32a()
	h.Write([]byte(j.r.Slug))
	select {
	case b.lanes[h.Sum32()%uint32(len(b.lanes))] <- j:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// submitRSVP hands j to its lane and waits for its outcome. A caller whose
// context ends while j is still queued gets the context's error, and j
// never runs; once a batch took j, the caller waits for j's true outcome,
// which is only known after the batch's commit.
func (db *DB) submitRSVP(ctx context.Context, j *rsvpJob) error {
	if db.closed.Load() {
		return storage.ErrClosed
	}
	db.writes.Add(1)
	defer db.writes.Done()
	if err := ctx.Err(); err != nil {
		return err
	}
	db.rsvps.once.Do(func() {
		n := db.rsvpLanes
		if n <= 0 {
			n = defaultRSVPLanes
		}
		db.rsvps.start(db, n)
	})
	if err := db.rsvps.enqueue(ctx, j); err != nil {
		return err
	}
	select {
	case <-j.done:
		return j.err
	case <-ctx.Done():
		if j.state.CompareAndSwap(jobQueued, jobAbandoned) {
			return ctx.Err()
		}
		<-j.done
		return j.err
	}
}

// runRSVPLane is one lane's goroutine. After stop it still answers what is
// left in its queue, then returns.
func (db *DB) runRSVPLane(ch chan *rsvpJob, stop chan struct{}) {
	defer db.rsvps.wg.Done()
	batch := make([]*rsvpJob, 0, maxRSVPBatch)
	for {
		select {
		case j := <-ch:
			batch = append(batch[:0], j)
		case <-stop:
			select {
			case j := <-ch:
				batch = append(batch[:0], j)
			default:
				return
			}
		}
	gather:
		for len(batch) < maxRSVPBatch {
			select {
			case j := <-ch:
				batch = append(batch, j)
			default:
				break gather
			}
		}
		db.runRSVPBatch(batch)
	}
}

// How a batch is run: all its RSVPs written in one statement (bulkRSVPs),
// else one at a time (decideRSVP), else one at a time each under a
// savepoint of its own. A batch starts in the first mode that may apply
// and moves down when one of its RSVPs fails in a way that mode cannot
// keep to itself.
const (
	modeBulk       = "bulk"
	modeOneByOne   = "one by one"
	modeSavepoints = "savepoints"
)

// errSavepoints asks for a batch to be run again with a SAVEPOINT around
// each RSVP: one of them failed after writing, or in a way that aborted
// the transaction, and only its own writes may be undone.
var errSavepoints = errors.New("storage: run the batch with savepoints")

// runRSVPBatch takes the jobs whose callers still wait, runs them in one
// transaction, and answers each once it committed (or failed).
func (db *DB) runRSVPBatch(batch []*rsvpJob) {
	jobs := make([]*rsvpJob, 0, len(batch))
	for _, j := range batch {
		if !j.state.CompareAndSwap(jobQueued, jobTaken) {
			continue // its caller gave up on it before it ran
		}
		if err := j.ctx.Err(); err != nil {
			j.finish(err)
			continue
		}
		jobs = append(jobs, j)
	}
	if len(jobs) == 0 {
		return
	}
	// Once taken, a batch runs to its real outcome whatever its callers'
	// contexts do, so a committed RSVP is never answered as failed.
	ctx := context.Background()
	mode := modeBulk
	var err error
	for attempt := 0; attempt < maxAttempts; attempt++ {
		var tx *Tx
		var ran string
		tx, ran, err = db.rsvpBatchTx(ctx, jobs, mode)
		if err == nil {
			db.afterCommit(ctx, tx)
			if db.onRSVPBatch != nil {
				db.onRSVPBatch(len(jobs), ran)
			}
			for _, j := range jobs {
				j.finish(j.err)
			}
			return
		}
		switch {
		case errors.Is(err, errNoBulk):
			mode = modeOneByOne
		case errors.Is(err, errSavepoints):
			mode = modeSavepoints
		case !retryable(err):
			attempt = maxAttempts
		}
	}
	if retryable(err) || errors.Is(err, errSavepoints) || errors.Is(err, errNoBulk) {
		err = fmt.Errorf("storage: write kept conflicting: %w", err)
	}
	for _, j := range jobs {
		j.finish(err)
	}
}

// rsvpBatchTx runs jobs in one transaction in the given mode (or, for a
// batch bulkRSVPs does not take, one by one) and commits it. It returns
// the mode it ran in.
func (db *DB) rsvpBatchTx(ctx context.Context, jobs []*rsvpJob, mode string) (*Tx, string, error) {
	sqlTx, err := db.pool.BeginTx(ctx, nil)
	if err != nil {
		return nil, "", fmt.Errorf("storage: begin write: %w", err)
	}
	defer sqlTx.Rollback()
	tx := &Tx{tx: sqlTx, now: db.Now().UTC().Truncate(time.Second), hooks: map[hookKey][]int64{}}
	salons, err := lockSalons(ctx, tx, jobs)
	if err != nil {
		return nil, "", err
	}
	ids := make([]int64, 0, len(salons))
	for _, bs := range salons {
		bs.deferred = mode != modeSavepoints
		if bs.s != nil {
			ids = append(ids, bs.s.ID)
		}
	}
	if err := readSubscribers(ctx, tx, ids, storage.EventRSVPCreated); err != nil {
		return nil, "", err
	}
	if db.observeWait != nil {
		for _, j := range jobs {
			db.observeWait(time.Since(j.start))
		}
	}
	done := false
	if mode == modeBulk {
		if err = runFn(func(tx *Tx) (err error) { done, err = db.bulkRSVPs(ctx, tx, salons, jobs); return err }, tx); err != nil {
			if retryable(err) {
				return nil, "", err
			}
			return nil, "", errNoBulk
		}
		if !done {
			mode = modeOneByOne
		}
	}
	if !done {
		if err := db.oneByOne(ctx, tx, salons, jobs, mode == modeSavepoints); err != nil {
			return nil, "", err
		}
	}
	if err := flushCounts(ctx, tx, salons); err != nil {
		if retryable(err) {
			return nil, "", err
		}
		// The guard or the check refused the batch's counts: run it again
		// with each RSVP's counts written and judged on their own.
		return nil, "", errSavepoints
	}
	if err := sqlTx.Commit(); err != nil {
		return nil, "", fmt.Errorf("storage: commit: %w", err)
	}
	return tx, mode, nil
}

// oneByOne runs jobs in tx one at a time, each decided in order by
// decideRSVP on the salons as the batch has them. A job refused before it
// wrote anything needs nothing undone. Any other failure of a job asks,
// without savepoints, for the batch to run again with them
// (errSavepoints); with them, it undoes that job's writes alone, and puts
// back the salon as the batch had it before.
func (db *DB) oneByOne(ctx context.Context, tx *Tx, salons map[string]*batchSalon, jobs []*rsvpJob, savepoints bool) error {
	for _, j := range jobs {
		bs := salons[j.r.Slug]
		if bs != nil && bs.err != nil {
			j.out, j.refusal, j.err = nil, nil, bs.err
			continue
		}
		// What to put back should the RSVP's writes be undone; without
		// savepoints they never are alone.
		var saved batchSalon
		var savedSalon events.Salon
		if savepoints {
			if bs != nil {
				saved, savedSalon = *bs, *bs.s
			}
			if _, err := tx.ExecContext(ctx, `SAVEPOINT rsvp`); err != nil {
				return fmt.Errorf("storage: savepoint: %w", err)
			}
		}
		wrote := tx.writes
		jctx := context.WithoutCancel(j.ctx)
		j.err = runFn(func(tx *Tx) error { return db.decideRSVP(jctx, tx, bs, j) }, tx)
		var refused *events.Error
		switch {
		case j.err == nil:
			if savepoints {
				if _, err := tx.ExecContext(ctx, `RELEASE SAVEPOINT rsvp`); err != nil {
					return fmt.Errorf("storage: release savepoint: %w", err)
				}
			}
		case retryable(j.err):
			return j.err
		case savepoints:
			if _, err := tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT rsvp`); err != nil {
				return fmt.Errorf("storage: rollback to savepoint: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `RELEASE SAVEPOINT rsvp`); err != nil {
				return fmt.Errorf("storage: release savepoint: %w", err)
			}
			if bs != nil {
				*bs, *saved.s = saved, savedSalon
			}
			j.out, j.refusal = nil, nil
		case errors.As(j.err, &refused) && tx.writes == wrote:
			// Refused before it wrote anything: nothing to undo.
		default:
			return errSavepoints
		}
	}
	return nil
}
