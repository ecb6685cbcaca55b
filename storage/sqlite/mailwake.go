package sqlite

// OnMailQueued registers f to run after every commit that queued mail (a new
// outbox row, or a failed message put back in the queue), once per batch.
// The mail worker registers its wake-up here, so a write that queues mail
// wakes it itself and no caller has to remember to. f runs on the goroutine
// that syncs commits and must not block or write.
func (db *DB) OnMailQueued(f func()) { db.mailQueued.Store(&f) }

// queuedMail marks this write as one that queued mail; the writer tells
// OnMailQueued's function once its batch has committed and been synced.
func (tx *Tx) queuedMail() { tx.mail = true }

// wakeMail runs the OnMailQueued function, if there is one.
func (db *DB) wakeMail() {
	if f := db.mailQueued.Load(); f != nil {
		(*f)()
	}
}
