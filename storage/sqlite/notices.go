package sqlite

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"
)

// Deferred notices (migration 0023). An RSVP writes the notice it queues
// (confirmation, waitlisted, pending) into two columns of its ticket row
// instead of an outbox row of its own, and the writer copies the notices of
// every ticket above notice_mark into the outbox in one statement, raising
// the mark in the same transaction:
//
//   - before any write other than an RSVP (they may read or change the
//     outbox, or queue a later notice for the same ticket, which must come
//     after the RSVP's), and before an RSVP queues a resend;
//   - before the outbox is read (copyNoticesForRead);
//   - in the commit of a batch of RSVPs once noticeEvery has passed since
//     the last copy, so that the outbox lags the RSVPs by that at most
//     while they arrive, and the mail worker, woken by each of those
//     commits, copies the rest when it claims.
//
// A notice is in the ticket's row from the RSVP's commit on, so it is as
// durable as the ticket, and it reaches the outbox exactly once: the copy
// and the mark move together.

// noticeEvery is how long RSVPs' notices may wait in their tickets while
// RSVPs keep arriving. The copy is one INSERT ... SELECT for all of them,
// a small part of what each of their own INSERTs cost.
const noticeEvery = 100 * time.Millisecond

// notices is the writer's knowledge of the deferred notices.
type notices struct {
	// behind is false only when every committed notice is in the outbox;
	// it starts true, for notices left by an earlier process.
	behind atomic.Bool
	// last is when the writer last copied (the writer's own).
	last time.Time
}

// deferNotice records that tx wrote a ticket with a notice in it.
func (tx *Tx) deferNotice() {
	tx.batch.noticesAdded = true
	tx.queuedMail()
}

// noticeFlags are a batch's notice flags, kept across a write run under a
// savepoint so that a write rolled back leaves them as they were.
type noticeFlags struct{ added, copied, mail bool }

func (b *writeBatch) noticeFlags() noticeFlags {
	return noticeFlags{b.noticesAdded, b.noticesCopied, b.mail}
}

func (b *writeBatch) setNoticeFlags(f noticeFlags) {
	b.noticesAdded, b.noticesCopied, b.mail = f.added, f.copied, f.mail
}

// noticesPending reports whether notices may be waiting in tickets for the
// transaction of b.
func (db *DB) noticesPending(b *writeBatch) bool {
	return b.noticesAdded || (db.notices.behind.Load() && !b.noticesCopied)
}

// copyNotices copies the deferred notices above the mark into the outbox,
// due now, in ticket order, and raises the mark, when any may be waiting.
func (db *DB) copyNotices(ctx context.Context, tx *Tx) error {
	if !db.noticesPending(tx.batch) {
		return nil
	}
	var mark, top int64
	if err := tx.QueryRowContext(ctx, `SELECT ticket_id, COALESCE((SELECT MAX(id) FROM tickets), 0) FROM notice_mark`).Scan(&mark, &top); err != nil {
		return fmt.Errorf("storage: unable to read the notice mark: %w", err)
	}
	if top > mark {
		// A message id is 128 random bits, as enqueue's; it names the
		// message, it guards nothing.
		if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (kind, salon_id, ticket_id, recipient, lang, payload,
			message_id, next_attempt_at, created_at)
			SELECT notice_kind, salon_id, id, email, lang, notice_payload, lower(hex(randomblob(16))), ?, created_at
			FROM tickets WHERE id > ? AND id <= ? AND notice_kind IS NOT NULL ORDER BY id`, tx.now.Unix(), mark, top); err != nil {
			return fmt.Errorf("storage: unable to queue deferred notices: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE notice_mark SET ticket_id = ?`, top); err != nil {
			return fmt.Errorf("storage: unable to raise the notice mark: %w", err)
		}
		tx.batch.mail = true
	}
	tx.batch.noticesAdded, tx.batch.noticesCopied = false, true
	db.notices.last = time.Now()
	return nil
}

// noticesCommitted updates what the writer knows once b has committed.
func (db *DB) noticesCommitted(b *writeBatch) {
	switch {
	case b.noticesAdded:
		db.notices.behind.Store(true)
	case b.noticesCopied:
		db.notices.behind.Store(false)
	}
}

// copyNoticesForRead brings the outbox up to date before it is read: the
// writer copies the deferred notices first (see run), when any may wait.
// A store that refuses writes (a failed sync) still shows the outbox as it
// stands.
func (db *DB) copyNoticesForRead(ctx context.Context) error {
	if !db.notices.behind.Load() || db.failed() != nil {
		return nil
	}
	return db.updateApart(ctx, func(*Tx) error { return nil })
}
