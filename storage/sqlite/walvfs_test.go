package sqlite

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

type walCounts struct{ gathered, flushes, direct, barrier int64 }

func readWALStats() walCounts {
	return walCounts{walStats.gathered.Load(), walStats.flushes.Load(), walStats.direct.Load(), walStats.barrier.Load()}
}

func (a walCounts) minus(b walCounts) walCounts {
	return walCounts{a.gathered - b.gathered, a.flushes - b.flushes, a.direct - b.direct, a.barrier - b.barrier}
}

// pageValue is a value of about a page, different for every key and round.
func pageValue(key string, round int) []byte {
	return bytes.Repeat([]byte(fmt.Sprintf("%s/%d;", key, round)), 3000/len(key))
}

// copyFiles copies the database and its WAL, as a crash would leave them:
// without the shared-memory index, so that opening the copy recovers the
// WAL from the file alone, checksum by checksum.
func copyFiles(t *testing.T, path string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "copy.db")
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(path + suffix)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst+suffix, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// wantValues checks that db holds value(k) for every key, and passes
// SQLite's integrity check.
func wantValues(t *testing.T, db *DB, keys []string, value func(string) []byte) {
	t.Helper()
	ctx := context.Background()
	for _, k := range keys {
		var got []byte
		if err := db.read.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, k).Scan(&got); err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		if !bytes.Equal(got, value(k)) {
			t.Fatalf("%s holds %.40q..., want %.40q...", k, got, value(k))
		}
	}
	var ok string
	if err := db.read.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
		t.Fatalf("integrity_check: %q, %v", ok, err)
	}
}

// TestWALVFS_OneWritePerCommit: a commit of 40 page-sized values reaches
// the WAL as one buffer (written in pieces of at most 124 KiB; SQLite's own
// VFS makes two writes per frame), and what it wrote is a WAL that SQLite
// recovers from the file alone, as after a crash.
// With plainWAL the same commit gathers nothing.
func TestWALVFS_OneWritePerCommit(t *testing.T) {
	ctx := context.Background()
	keys := make([]string, 40)
	for i := range keys {
		keys[i] = fmt.Sprintf("page-%02d", i)
	}
	value := func(k string) []byte { return pageValue(k, 0) }
	commit := func(db *DB) walCounts {
		before := readWALStats()
		err := db.update(ctx, func(tx *Tx) error {
			for _, k := range keys {
				if err := putSettingValue(ctx, k, value(k))(tx); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return readWALStats().minus(before)
	}
	// No checkpoints and no WAL restarts: the copy must find everything
	// in the WAL, and the database file does not change under the copy.
	opts := options{ckEvery: time.Hour, restartFrames: -1}

	path := filepath.Join(t.TempDir(), "salon.db")
	db := openWith(t, path, opts)
	d := commit(db)
	t.Logf("gathered %d writes into %d, %d direct", d.gathered, d.flushes, d.direct)
	if d.flushes != 1 || d.direct != 0 || d.barrier != 0 {
		t.Fatalf("the commit took %d buffered writes and %d direct ones (barrier %d); want one and none", d.flushes, d.direct, d.barrier)
	}
	if d.gathered < 2*int64(len(keys)) {
		t.Fatalf("gathered %d writes; want at least a header and a page for each of %d values", d.gathered, len(keys))
	}
	wantValues(t, db, keys, value)
	wantValues(t, openWith(t, copyFiles(t, path), opts), keys, value)

	plain := options{ckEvery: time.Hour, restartFrames: -1, plainWAL: true}
	pdb := openWith(t, filepath.Join(t.TempDir(), "plain.db"), plain)
	if d := commit(pdb); d != (walCounts{}) {
		t.Fatalf("with plainWAL the commit went through the gathering VFS: %+v", d)
	}
	wantValues(t, pdb, keys, value)
}

// TestWALVFS_SpilledTransaction: a transaction larger than the writer's
// page cache spills frames into the WAL before its commit, then writes some
// of those pages again, which SQLite does in place in the WAL and follows
// with a pass that rewrites the frames' checksums. Those rewrites pass
// straight through; the result must read back, pass the integrity check,
// and recover from the files alone.
func TestWALVFS_SpilledTransaction(t *testing.T) {
	ctx := context.Background()
	const n = 7000 // about 28 MB of values, over the writer's 16 MB cache
	keys := make([]string, n)
	for i := range keys {
		keys[i] = fmt.Sprintf("big-%05d", i)
	}
	rewritten := func(k string) bool { return k < "big-00500" }
	value := func(k string) []byte {
		if rewritten(k) {
			return pageValue(k, 1)
		}
		return pageValue(k, 0)
	}
	opts := options{ckEvery: time.Hour, restartFrames: -1}
	path := filepath.Join(t.TempDir(), "salon.db")
	db := openWith(t, path, opts)
	before := readWALStats()
	err := db.update(ctx, func(tx *Tx) error {
		for _, k := range keys {
			if err := putSettingValue(ctx, k, pageValue(k, 0))(tx); err != nil {
				return err
			}
		}
		for _, k := range keys {
			if !rewritten(k) {
				continue
			}
			if _, err := tx.ExecContext(ctx, `UPDATE settings SET value = ? WHERE key = ?`, pageValue(k, 1), k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	d := readWALStats().minus(before)
	t.Logf("gathered %d writes into %d, %d direct, barrier %d", d.gathered, d.flushes, d.direct, d.barrier)
	if d.direct == 0 {
		t.Fatal("no write passed straight through: the transaction did not rewrite spilled frames, so it tests nothing")
	}
	if d.barrier != 0 {
		t.Fatalf("the barrier found %d buffers to write; the commit frame should have written them", d.barrier)
	}
	wantValues(t, db, keys, value)
	wantValues(t, openWith(t, copyFiles(t, path), opts), keys, value)
}

// TestWALVFS_RandomWrites: batches of writes of random sizes (a byte to
// 40 KB, so frames of one page and of many), updates and deletes of
// earlier keys, and writes that fail after writing (their batch is run
// again with savepoints, rolled back to each), from 8 writers at once,
// each on keys of its own. After every round the store must hold exactly
// what the writes that succeeded made, and a copy of the files, taken as
// a crash would leave them, must recover the same.
func TestWALVFS_RandomWrites(t *testing.T) {
	ctx := context.Background()
	opts := options{ckEvery: time.Hour, restartFrames: -1}
	path := filepath.Join(t.TempDir(), "salon.db")
	db := openWith(t, path, opts)
	rng := rand.New(rand.NewPCG(1, 2))
	const writers = 8
	models := make([]map[string][]byte, writers)
	for w := range models {
		models[w] = map[string][]byte{}
	}
	refused := errors.New("refused after writing")
	before := readWALStats()
	for round := range 4 {
		type op struct {
			key   string
			value []byte // nil deletes
			fail  bool
		}
		ops := make([][]op, writers)
		for w := range ops {
			for range 40 {
				o := op{key: fmt.Sprintf("rand-%d-%02d", w, rng.IntN(40)), fail: rng.IntN(10) == 0}
				if rng.IntN(5) > 0 {
					o.value = bytes.Repeat([]byte{byte(rng.IntN(256))}, 1+rng.IntN(40000))
				}
				ops[w] = append(ops[w], o)
			}
		}
		var wg sync.WaitGroup
		errs := make(chan error, writers)
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for _, o := range ops[w] {
					err := db.update(ctx, func(tx *Tx) error {
						var err error
						if o.value == nil {
							_, err = tx.ExecContext(ctx, `DELETE FROM settings WHERE key = ?`, o.key)
						} else {
							_, err = tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
								ON CONFLICT (key) DO UPDATE SET value = excluded.value`, o.key, o.value)
						}
						if err == nil && o.fail {
							return refused
						}
						return err
					})
					switch {
					case o.fail && errors.Is(err, refused):
					case err != nil:
						errs <- fmt.Errorf("%s: %w", o.key, err)
						return
					case o.value == nil:
						delete(models[w], o.key)
					default:
						models[w][o.key] = o.value
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		want := map[string][]byte{}
		for _, m := range models {
			for k, v := range m {
				want[k] = v
			}
		}
		live := readSettings(t, db, "rand-%")
		copied := openWith(t, copyFiles(t, path), opts)
		for name, got := range map[string]map[string][]byte{"the store": live, "the recovered copy": readSettings(t, copied, "rand-%")} {
			if len(got) != len(want) {
				t.Fatalf("round %d: %s holds %d keys, the writes made %d", round, name, len(got), len(want))
			}
			for k, v := range want {
				if !bytes.Equal(got[k], v) {
					t.Fatalf("round %d: %s holds %d bytes for %s, the writes made %d", round, name, len(got[k]), k, len(v))
				}
			}
		}
		var ok string
		if err := copied.read.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
			t.Fatalf("round %d: integrity_check of the copy: %q, %v", round, ok, err)
		}
		copied.Close()
	}
	if d := readWALStats().minus(before); d.gathered == 0 || d.flushes == 0 || d.barrier != 0 {
		t.Fatalf("the writes went through the gathering VFS as %+v; want writes gathered and flushed, none by the barrier", d)
	}
}

// readSettings returns the settings whose key is LIKE pattern.
func readSettings(t *testing.T, db *DB, pattern string) map[string][]byte {
	t.Helper()
	rows, err := db.read.QueryContext(context.Background(), `SELECT key, value FROM settings WHERE key LIKE ?`, pattern)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string][]byte{}
	for rows.Next() {
		var k string
		var v []byte
		if err := rows.Scan(&k, &v); err != nil {
			t.Fatal(err)
		}
		out[k] = v
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
