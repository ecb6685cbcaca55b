// Package sqlite is the SQLite backend of storage. It keeps salons,
// tickets, accounts and the mail outbox in one SQLite file: a pool of readers
// beside a single writer goroutine that commits waiting writes together.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	msqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"salon/events"
	"salon/storage"
	"salon/tickets"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// DB is the open database.
type DB struct {
	path  string
	read  *readPool
	write *sql.DB
	// wstmts are the writer connection's prepared statements.
	wstmts *stmtCache
	// wcache is the writer goroutine's salon cache (see salonCache).
	wcache *salonCache
	// notices is what the writer knows of the deferred notices (notices.go).
	notices notices
	// raw are the writer's statements on its driver connection (rawRow).
	raw *rawStmts
	// ck is the checkpointer's connection; ckWake tells it of a commit.
	ck       *sql.DB
	ckWake   chan struct{}
	ckCommit atomic.Uint64
	ckDone   chan struct{}
	// walFrames is the WAL's length in frames at the checkpointer's last
	// look; walRestarts counts the writer's catch-ups (see restartWAL).
	walFrames, walRestarts atomic.Int64

	jobs    chan *writeJob
	closing chan struct{}
	// stopped is closed once the writer has stopped and the syncer has
	// answered every write the writer ran.
	stopped chan struct{}
	once    sync.Once

	// groups are committed batches on their way to the syncer; syncFree
	// holds a token while the syncer has nothing to sync (see writer).
	groups   chan *group
	syncFree chan struct{}
	wal      *walFile
	// syncErr is set by the first failed WAL sync (see failed).
	syncErr atomic.Pointer[error]
	// syncs, syncNanos and reruns count WAL syncs, the time spent in them
	// and batches run again with savepoints, for benchmarks and tests.
	syncs, syncNanos, reruns atomic.Int64

	opts options

	changes changes
	// mailQueued is told after a commit that queued mail (OnMailQueued).
	mailQueued atomic.Pointer[func()]

	// key is the server secret from which manage and feed tokens are derived.
	key []byte

	// Clock is the store's clock (Now); tests replace it.
	Clock func() time.Time
	// observeWait, when set, is told how long each write waited for the writer.
	observeWait func(time.Duration)
}

var _ storage.Store = (*DB)(nil)

// Now returns the store's time, from Clock.
func (db *DB) Now() time.Time { return db.Clock() }

// ObserveWriteWait sets f to be told how long each write waited for the
// writer goroutine; set it before the first write.
func (db *DB) ObserveWriteWait(f func(time.Duration)) { db.observeWait = f }

// pragmas apply to every connection; busy_timeout comes first so that the
// others never fail on a locked database.
const pragmas = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)" +
	"&_pragma=foreign_keys(1)&_pragma=journal_size_limit(67108864)"

// Page cache per connection, in KiB. The writer's holds the index pages
// that every RSVP touches; readers share the OS page cache beyond theirs.
// Caches fill up as the file grows, so these bound the server's memory.
const (
	writerCache = "&_pragma=cache_size(-16000)"
	readerCache = "&_pragma=cache_size(-8000)"
	ckCache     = "&_pragma=cache_size(-500)"
)

// readers is the size of the read pool: reads are CPU-bound in SQLite, so
// more connections than a couple per core only add page caches.
const readers = 4

// options are how Open sets up the writer. Open uses defaultOptions; tests
// and benchmarks vary them to compare with the way it was before group
// commit and to make syncs fail.
type options struct {
	// fullSync commits with synchronous=FULL, each commit syncing the WAL
	// inside the writer, and no syncer.
	fullSync bool
	// savepoints runs every write under a SAVEPOINT of its own, not only
	// the writes of a batch that has to be run again.
	savepoints bool
	// ckEvery spaces checkpoints.
	ckEvery time.Duration
	// restartFrames is the WAL length from which the writer catches the
	// checkpoint up itself (see restartWAL); zero is the package's
	// restartFrames, negative never.
	restartFrames int64
	// noticeEvery spaces the copies of deferred notices made at commit;
	// zero is the package's noticeEvery.
	noticeEvery time.Duration
	// sync, when set, replaces the syncer's WAL sync.
	sync func() error
	// plainWAL opens the writer through SQLite's own VFS, its frames
	// written two system calls each, not gathered (see walvfs.go).
	plainWAL bool
}

func defaultOptions() options { return options{ckEvery: ckEvery} }

// Open opens (creating if needed) the database at path, applies migrations
// and starts the writer.
func Open(ctx context.Context, path string) (*DB, error) {
	return open(ctx, path, defaultOptions())
}

func open(ctx context.Context, path string, opts options) (*DB, error) {
	if path == "" {
		return nil, fmt.Errorf("storage: database path required")
	}
	if opts.noticeEvery == 0 {
		opts.noticeEvery = noticeEvery
	}
	u := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + pragmas
	// temp_store=memory keeps the statement journal behind each write's
	// SAVEPOINT in memory: it only serves ROLLBACK TO within the open
	// transaction (durability is the WAL's), and as a temporary file it cost
	// a pwrite per changed page per write, a fifth of the writer's CPU.
	// wal_autocheckpoint=0: the checkpointer goroutine copies the WAL into
	// the database on a connection of its own, off the writer's path.
	// synchronous=NORMAL on the writer alone: its commits are synced by the
	// syncer goroutine before they are answered (see sync.go); the last
	// pragma given wins.
	wu := u + writerCache + "&_pragma=temp_store(memory)&_pragma=wal_autocheckpoint(0)&_txlock=immediate"
	if !opts.fullSync {
		wu += "&_pragma=synchronous(NORMAL)"
	}
	if !opts.plainWAL {
		if err := registerWALVFS(); err != nil {
			return nil, err
		}
		wu += "&vfs=" + walVFSName
	}
	write, wc, err := openWriter(wu)
	if err != nil {
		return nil, fmt.Errorf("storage: open writer: %w", err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	write.SetConnMaxIdleTime(0)

	db := &DB{
		path:    path,
		write:   write,
		wstmts:  newStmtCache(write),
		wcache:  newSalonCache(),
		raw:     &rawStmts{wc: wc},
		jobs:    make(chan *writeJob, 1024),
		ckWake:  make(chan struct{}, 1),
		closing: make(chan struct{}),
		stopped: make(chan struct{}),
		ckDone:  make(chan struct{}),
		Clock:   time.Now,

		groups:   make(chan *group, maxBatch),
		syncFree: make(chan struct{}, 1),
		wal:      &walFile{dbPath: path, path: path + "-wal"},
		opts:     opts,
	}
	db.syncFree <- struct{}{}
	db.notices.behind.Store(true)
	if err := db.prepare(ctx); err != nil {
		write.Close()
		return nil, err
	}
	// What prepare committed (migrations, the server key) is synced before
	// any write can depend on it.
	if !opts.fullSync {
		if err := db.syncWAL(); err != nil {
			write.Close()
			db.wal.close()
			return nil, db.cannotWrite(fmt.Errorf("storage: sync %s: %w", db.path, err))
		}
	}
	read, err := sql.Open("sqlite", u+readerCache+"&_pragma=query_only(1)")
	if err != nil {
		write.Close()
		db.wal.close()
		return nil, fmt.Errorf("storage: open readers: %w", err)
	}
	read.SetMaxOpenConns(readers)
	read.SetMaxIdleConns(readers)
	db.read = &readPool{DB: read, stmts: newStmtCache(read)}
	ck, err := sql.Open("sqlite", u+ckCache)
	if err != nil {
		write.Close()
		read.Close()
		db.wal.close()
		return nil, fmt.Errorf("storage: open checkpointer: %w", err)
	}
	ck.SetMaxOpenConns(1)
	ck.SetMaxIdleConns(1)
	db.ck = ck
	go db.writer()
	go db.syncer()
	go db.checkpointer()
	return db, nil
}

// prepare checks the journal mode, migrates the file and loads the server
// key, all on the writer connection before anyone else can use the
// database. It reads no more of the file than that: the integrity check,
// which reads all of it (5 s at a million tickets), is CheckIntegrity, run
// after the server answers and by `salon check`.
func (db *DB) prepare(ctx context.Context) error {
	var mode string
	if err := db.write.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return db.cannotWrite(fmt.Errorf("storage: open %s: %w", db.path, err))
	}
	if mode != "wal" {
		return fmt.Errorf("storage: journal mode is %q, want wal", mode)
	}
	if err := db.migrate(ctx); err != nil {
		return db.cannotWrite(err)
	}
	if err := db.probeOnOpen(ctx); err != nil {
		return err
	}
	key, err := db.loadKey(ctx, "token_key")
	if err != nil {
		return err
	}
	db.key = key
	return nil
}

// migrate applies each embedded migration not yet applied, one transaction
// per file, in name order.
func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("storage: create migrations table: %w", err)
	}
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("storage: list migrations: %w", err)
	}
	sort.Strings(names)
	if err := db.refuseNewerSchema(ctx, names); err != nil {
		return err
	}
	// A migration may rebuild a table others refer to (SQLite's way of
	// changing a column), which with foreign keys enforced would cascade or
	// fail on DROP TABLE. So they are off while migrating, as SQLite's docs
	// advise, and each migration is checked with foreign_key_check before
	// it commits. The pragma only takes effect outside a transaction, and the
	// writer pool has exactly one connection, so it covers the migrations.
	if _, err := db.write.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
		return fmt.Errorf("storage: migrations: %w", err)
	}
	for _, name := range names {
		if err := db.migrateFile(ctx, name); err != nil {
			return err
		}
	}
	if _, err := db.write.ExecContext(ctx, `PRAGMA foreign_keys = ON`); err != nil {
		return fmt.Errorf("storage: migrations: %w", err)
	}
	return nil
}

// refuseNewerSchema fails when the file records a migration this binary
// does not have: a newer release changed the schema, and writing to it with
// older code could break what that release relies on.
func (db *DB) refuseNewerSchema(ctx context.Context, names []string) error {
	known := make(map[string]bool, len(names))
	for _, n := range names {
		known[n] = true
	}
	rows, err := db.write.QueryContext(ctx, `SELECT name FROM migrations ORDER BY name`)
	if err != nil {
		return fmt.Errorf("storage: read migrations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return fmt.Errorf("storage: read migrations: %w", err)
		}
		if !known[name] {
			short := strings.TrimSuffix(strings.TrimPrefix(name, "migrations/"), ".sql")
			return fmt.Errorf("storage: database schema is newer than this salon (migration %s unknown); use a newer release", short)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("storage: read migrations: %w", err)
	}
	return nil
}

func (db *DB) migrateFile(ctx context.Context, name string) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("storage: begin migration: %w", err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM migrations WHERE name = ?`, name).Scan(&n); err != nil {
		return fmt.Errorf("storage: check migration %s: %w", name, err)
	} else if n > 0 {
		return nil
	}
	body, err := fs.ReadFile(migrationFS, name)
	if err != nil {
		return fmt.Errorf("storage: read migration %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return fmt.Errorf("storage: apply migration %s: %w", name, err)
	}
	rows, err := tx.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return fmt.Errorf("storage: check migration %s: %w", name, err)
	}
	broken := rows.Next()
	rows.Close()
	if broken {
		return fmt.Errorf("storage: migration %s leaves rows whose foreign keys point nowhere", name)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO migrations (name, applied_at) VALUES (?, ?)`, name, time.Now().Unix()); err != nil {
		return fmt.Errorf("storage: record migration %s: %w", name, err)
	}
	return tx.Commit()
}

// loadKey returns the named 32-byte secret, making it from crypto/rand the
// first time.
func (db *DB) loadKey(ctx context.Context, name string) ([]byte, error) {
	var key []byte
	err := db.write.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, name).Scan(&key)
	if errors.Is(err, sql.ErrNoRows) {
		key = tickets.RandomBytes(32)
		_, err = db.write.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)`, name, key)
	}
	if err != nil {
		return nil, fmt.Errorf("storage: load %s: %w", name, err)
	}
	return key, nil
}

// Close stops the writer after the writes already queued, then closes both
// pools. It is safe to call more than once.
func (db *DB) Close() error {
	db.once.Do(func() { close(db.closing) })
	<-db.stopped
	var errs []error
	if db.ck != nil {
		<-db.ckDone
		errs = append(errs, db.ck.Close())
	}
	if db.read != nil {
		errs = append(errs, db.read.Close())
	}
	db.raw.close()
	db.wstmts.close()
	errs = append(errs, db.write.Close())
	db.wal.close()
	return errors.Join(errs...)
}

// Ping checks that the database answers a query.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	return db.read.QueryRowContext(ctx, `SELECT 1`).Scan(&one)
}

// Key returns the server secret that tokens are derived from.
func (db *DB) Key() []byte { return db.key }

// Backup writes a consistent copy of the live database to out with VACUUM
// INTO on a connection of its own, so a running server is not disturbed. The
// copy is written beside out and renamed, so out is either whole or absent.
func Backup(ctx context.Context, path, out string) error {
	u := "file:" + (&url.URL{Path: path}).EscapedPath() + "?_pragma=busy_timeout(10000)"
	conn, err := sql.Open("sqlite", u)
	if err != nil {
		return fmt.Errorf("storage: open for backup: %w", err)
	}
	defer conn.Close()
	conn.SetMaxOpenConns(1)
	var n int
	if err := conn.QueryRowContext(ctx, `SELECT COUNT(*) FROM migrations`).Scan(&n); err != nil {
		return fmt.Errorf("storage: %s is not a salon database: %w", path, err)
	}
	tmp := fmt.Sprintf("%s.tmp-%x", out, tickets.RandomBytes(4))
	if _, err := conn.ExecContext(ctx, `VACUUM INTO ?`, tmp); err != nil {
		return fmt.Errorf("storage: vacuum into: %w", err)
	}
	if err := renameFile(tmp, out); err != nil {
		return fmt.Errorf("storage: move backup into place: %w", err)
	}
	return nil
}

// isUniqueViolation reports whether err is a UNIQUE or PRIMARY KEY
// constraint failure, by SQLite's extended result code, never by its text.
func isUniqueViolation(err error) bool {
	var e *msqlite.Error
	if errors.As(err, &e) {
		c := e.Code()
		return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// notFound is the one answer for unknown and hidden things alike.
func notFound(what string) error {
	return events.Errorf(events.ENOTFOUND, "%s not found.", what)
}
