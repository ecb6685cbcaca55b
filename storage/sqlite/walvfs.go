package sqlite

// The writer's connection opens its files through walVFSName, SQLite's own
// unix VFS with one change: the frames of a WAL transaction reach the file
// in one pwrite, not two per frame. SQLite writes each frame as a 24-byte
// header and then the page (walWriteOneFrame), so a commit of 40 pages cost
// 80 system calls on the writer's path; here the frames are gathered in a
// buffer and written when the commit frame (the one whose header carries
// the database size) is complete, inside that frame's xWrite, so a failed
// write still fails the commit as it did.
//
// Nothing else may observe the WAL file before the buffer is written:
//   - every other call on the WAL file (read, sync, size, truncate, file
//     control, close) writes the buffer first, and a write that does not
//     follow the buffer's end writes it first too;
//   - other connections only read frames the wal-index header says are
//     committed, and the writer publishes that header in walIndexWriteHdr
//     around an xShmBarrier on the database file, which writes any buffer
//     of the connection's WAL before it returns (it never finds one: the
//     commit frame's write has emptied it).
//
// Only frames appended at or past the furthest point written are gathered;
// SQLite's rewrites of frames inside a transaction (a page written twice,
// the checksums recomputed after) pass straight through.

import (
	"fmt"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"unsafe"

	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

const walVFSName = "salon-wal"

const (
	walFrameHdr = 24      // bytes of a WAL frame header
	walBufMax   = 4 << 20 // a buffer this full is written at once
	walBufFirst = 256 << 10
	// walWriteMax is the most the unix VFS writes in one call: it masks
	// each write's length to 17 bits (seekAndWriteFd).
	walWriteMax = 124 << 10
)

// fileExt is what this VFS adds to each file object, after the unix VFS's
// own: SQLite allocates szOsFile bytes and the unix VFS uses the first
// unixSz. It lives in SQLite's memory, so it holds no Go pointers.
type fileExt struct {
	orig uintptr // the unix VFS's io methods, called through
	peer uintptr // a database's WAL file, a WAL file's database

	buf    uintptr // gathered frames (SQLite's allocator)
	bufCap int64
	bufLen int64
	bufOff int64 // file offset of buf's first byte
	hwm    int64 // end of the furthest write
	// commitPage is the offset of the page that completes a gathered
	// commit frame, -1 when none is gathered.
	commitPage int64
}

var (
	walVFSOnce sync.Once
	walVFSErr  error

	// SQLite keeps the addresses of these; package variables do not move.
	walVFS sqlite3.Tsqlite3_vfs
	dbIO   sqlite3.Tsqlite3_io_methods
	walIO  sqlite3.Tsqlite3_io_methods

	unixOpen uintptr // the unix VFS's xOpen
	unixSz   uintptr // its file object's size, rounded up to 8

	ioMu    sync.Mutex
	dbOrig  uintptr // the io methods dbIO wraps, set at first open
	walOrig uintptr // the io methods walIO wraps
)

// walStats counts what the VFS did, for tests and benchmarks.
var walStats struct {
	gathered atomic.Int64 // writes gathered into a buffer
	flushes  atomic.Int64 // buffers written
	direct   atomic.Int64 // writes passed straight through
	barrier  atomic.Int64 // buffers written by the barrier (expected 0)
}

// registerWALVFS registers walVFSName once per process.
func registerWALVFS() error {
	walVFSOnce.Do(func() { walVFSErr = doRegisterWALVFS() })
	return walVFSErr
}

func doRegisterWALVFS() error {
	tls := libc.NewTLS()
	defer tls.Close()
	unix := sqlite3.Xsqlite3_vfs_find(tls, 0)
	if unix == 0 {
		return fmt.Errorf("storage: no default SQLite VFS")
	}
	walVFS = *(*sqlite3.Tsqlite3_vfs)(ptr(unix))
	unixOpen = walVFS.FxOpen
	unixSz = (uintptr(walVFS.FszOsFile) + 7) &^ 7
	walVFS.FszOsFile = int32(unixSz + unsafe.Sizeof(fileExt{}))
	walVFS.FpNext = 0
	name, err := libc.CString(walVFSName)
	if err != nil {
		return err
	}
	walVFS.FzName = name
	*(*func(*libc.TLS, uintptr, uintptr, uintptr, int32, uintptr) int32)(unsafe.Pointer(&walVFS.FxOpen)) = vfsOpen
	if rc := sqlite3.Xsqlite3_vfs_register(tls, uintptr(unsafe.Pointer(&walVFS)), 0); rc != sqlite3.SQLITE_OK {
		return fmt.Errorf("storage: register SQLite VFS %s: %d", walVFSName, rc)
	}
	return nil
}

// ptr turns an address in SQLite's memory into a pointer.
func ptr(u uintptr) unsafe.Pointer { return *(*unsafe.Pointer)(unsafe.Pointer(&u)) }

func extOf(pFile uintptr) *fileExt { return (*fileExt)(ptr(pFile + unixSz)) }

func methodsOf(pFile uintptr) uintptr { return (*sqlite3.Tsqlite3_file)(ptr(pFile)).FpMethods }

func origOf(pFile uintptr) *sqlite3.Tsqlite3_io_methods {
	return (*sqlite3.Tsqlite3_io_methods)(ptr(extOf(pFile).orig))
}

// wrapDB builds dbIO from the io methods the unix VFS gives a database
// file, the first time, and says whether orig is those.
func wrapDB(orig uintptr) bool {
	ioMu.Lock()
	defer ioMu.Unlock()
	if dbOrig != 0 {
		return orig == dbOrig
	}
	o := *(*sqlite3.Tsqlite3_io_methods)(ptr(orig))
	if o.FiVersion < 2 || o.FxShmBarrier == 0 {
		return false
	}
	dbIO = o
	*(*func(*libc.TLS, uintptr))(unsafe.Pointer(&dbIO.FxShmBarrier)) = dbShmBarrier
	*(*func(*libc.TLS, uintptr) int32)(unsafe.Pointer(&dbIO.FxClose)) = dbClose
	dbOrig = orig
	return true
}

// wrapWAL builds walIO from the io methods the unix VFS gives a WAL file
// (not a database's: WAL files take no locks of their own), the first
// time, and says whether orig is those.
func wrapWAL(orig uintptr) bool {
	ioMu.Lock()
	defer ioMu.Unlock()
	if walOrig != 0 {
		return orig == walOrig
	}
	walIO = *(*sqlite3.Tsqlite3_io_methods)(ptr(orig))
	*(*func(*libc.TLS, uintptr) int32)(unsafe.Pointer(&walIO.FxClose)) = walClose
	*(*func(*libc.TLS, uintptr, uintptr, int32, int64) int32)(unsafe.Pointer(&walIO.FxRead)) = walRead
	*(*func(*libc.TLS, uintptr, uintptr, int32, int64) int32)(unsafe.Pointer(&walIO.FxWrite)) = walWrite
	*(*func(*libc.TLS, uintptr, int64) int32)(unsafe.Pointer(&walIO.FxTruncate)) = walTruncate
	*(*func(*libc.TLS, uintptr, int32) int32)(unsafe.Pointer(&walIO.FxSync)) = walSync
	*(*func(*libc.TLS, uintptr, uintptr) int32)(unsafe.Pointer(&walIO.FxFileSize)) = walFileSize
	*(*func(*libc.TLS, uintptr, int32, uintptr) int32)(unsafe.Pointer(&walIO.FxFileControl)) = walFileControl
	if walIO.FiVersion >= 3 && walIO.FxFetch != 0 {
		*(*func(*libc.TLS, uintptr, int64, int32, uintptr) int32)(unsafe.Pointer(&walIO.FxFetch)) = walFetch
	}
	walOrig = orig
	return true
}

func vfsOpen(tls *libc.TLS, pVfs, zName, pFile uintptr, flags int32, pOutFlags uintptr) int32 {
	rc := (*(*func(*libc.TLS, uintptr, uintptr, uintptr, int32, uintptr) int32)(unsafe.Pointer(&unixOpen)))(tls, pVfs, zName, pFile, flags, pOutFlags)
	if rc != sqlite3.SQLITE_OK {
		return rc
	}
	orig := methodsOf(pFile)
	x := extOf(pFile)
	*x = fileExt{orig: orig, commitPage: -1}
	if orig == 0 || zName == 0 {
		return rc
	}
	switch {
	case flags&sqlite3.SQLITE_OPEN_MAIN_DB != 0:
		if wrapDB(orig) {
			(*sqlite3.Tsqlite3_file)(ptr(pFile)).FpMethods = uintptr(unsafe.Pointer(&dbIO))
		}
	case flags&sqlite3.SQLITE_OPEN_WAL != 0:
		// The WAL's database was opened through this VFS too (a
		// connection opens all its files through one), so its barrier
		// can reach this file's buffer.
		db := sqlite3.Xsqlite3_database_file_object(tls, zName)
		if db == 0 || methodsOf(db) != uintptr(unsafe.Pointer(&dbIO)) || !wrapWAL(orig) {
			return rc
		}
		x.peer = db
		extOf(db).peer = pFile
		(*sqlite3.Tsqlite3_file)(ptr(pFile)).FpMethods = uintptr(unsafe.Pointer(&walIO))
	}
	return rc
}

func origWrite(tls *libc.TLS, pFile, pBuf uintptr, amt int32, off int64) int32 {
	fp := origOf(pFile).FxWrite
	return (*(*func(*libc.TLS, uintptr, uintptr, int32, int64) int32)(unsafe.Pointer(&fp)))(tls, pFile, pBuf, amt, off)
}

// flush writes the gathered frames. On failure they are dropped: the
// transaction they belong to fails with the error.
func flush(tls *libc.TLS, pFile uintptr) int32 {
	x := extOf(pFile)
	if x.bufLen == 0 {
		return sqlite3.SQLITE_OK
	}
	n, off := x.bufLen, x.bufOff
	x.bufLen = 0
	x.commitPage = -1
	walStats.flushes.Add(1)
	for done := int64(0); done < n; {
		c := min(n-done, walWriteMax)
		if rc := origWrite(tls, pFile, x.buf+uintptr(done), int32(c), off+done); rc != sqlite3.SQLITE_OK {
			return rc
		}
		done += c
	}
	if off+n > x.hwm {
		x.hwm = off + n
	}
	return sqlite3.SQLITE_OK
}

// gather appends amt bytes at pBuf to the buffer, growing it.
func gather(tls *libc.TLS, x *fileExt, pBuf uintptr, amt int64) bool {
	if need := x.bufLen + amt; need > x.bufCap {
		c := max(x.bufCap*2, walBufFirst)
		for c < need {
			c *= 2
		}
		b := libc.Xrealloc(tls, x.buf, uint64(c))
		if b == 0 {
			return false
		}
		x.buf, x.bufCap = b, c
	}
	libc.Xmemcpy(tls, x.buf+uintptr(x.bufLen), pBuf, uint64(amt))
	x.bufLen += amt
	walStats.gathered.Add(1)
	return true
}

func walWrite(tls *libc.TLS, pFile, pBuf uintptr, amt int32, off int64) int32 {
	x := extOf(pFile)
	n := int64(amt)
	if x.bufLen > 0 && (off != x.bufOff+x.bufLen || x.bufLen+n > walBufMax) {
		if rc := flush(tls, pFile); rc != sqlite3.SQLITE_OK {
			return rc
		}
	}
	if off == 0 {
		x.hwm = 0 // a new WAL header: the log starts over
	}
	switch {
	case x.bufLen > 0:
		// Contiguous with the gathered frames.
	case amt == walFrameHdr && off >= x.hwm:
		x.bufOff = off
	default:
		walStats.direct.Add(1)
		rc := origWrite(tls, pFile, pBuf, amt, off)
		if rc == sqlite3.SQLITE_OK && off+n > x.hwm {
			x.hwm = off + n
		}
		return rc
	}
	if !gather(tls, x, pBuf, n) {
		if rc := flush(tls, pFile); rc != sqlite3.SQLITE_OK {
			return rc
		}
		walStats.direct.Add(1)
		return origWrite(tls, pFile, pBuf, amt, off)
	}
	if amt == walFrameHdr {
		// Bytes 4-7 of a frame header are the database's size after a
		// commit, zero in every other frame.
		h := unsafe.Slice((*byte)(ptr(pBuf)), walFrameHdr)
		if h[4]|h[5]|h[6]|h[7] != 0 {
			x.commitPage = off + walFrameHdr
		}
		return sqlite3.SQLITE_OK
	}
	if off == x.commitPage {
		return flush(tls, pFile)
	}
	return sqlite3.SQLITE_OK
}

func walRead(tls *libc.TLS, pFile, pBuf uintptr, amt int32, off int64) int32 {
	if rc := flush(tls, pFile); rc != sqlite3.SQLITE_OK {
		return rc
	}
	fp := origOf(pFile).FxRead
	return (*(*func(*libc.TLS, uintptr, uintptr, int32, int64) int32)(unsafe.Pointer(&fp)))(tls, pFile, pBuf, amt, off)
}

func walTruncate(tls *libc.TLS, pFile uintptr, size int64) int32 {
	if rc := flush(tls, pFile); rc != sqlite3.SQLITE_OK {
		return rc
	}
	x := extOf(pFile)
	fp := origOf(pFile).FxTruncate
	rc := (*(*func(*libc.TLS, uintptr, int64) int32)(unsafe.Pointer(&fp)))(tls, pFile, size)
	if size < x.hwm {
		x.hwm = size
	}
	return rc
}

func walSync(tls *libc.TLS, pFile uintptr, flags int32) int32 {
	if rc := flush(tls, pFile); rc != sqlite3.SQLITE_OK {
		return rc
	}
	fp := origOf(pFile).FxSync
	return (*(*func(*libc.TLS, uintptr, int32) int32)(unsafe.Pointer(&fp)))(tls, pFile, flags)
}

func walFileSize(tls *libc.TLS, pFile, pSize uintptr) int32 {
	if rc := flush(tls, pFile); rc != sqlite3.SQLITE_OK {
		return rc
	}
	fp := origOf(pFile).FxFileSize
	return (*(*func(*libc.TLS, uintptr, uintptr) int32)(unsafe.Pointer(&fp)))(tls, pFile, pSize)
}

func walFileControl(tls *libc.TLS, pFile uintptr, op int32, pArg uintptr) int32 {
	if rc := flush(tls, pFile); rc != sqlite3.SQLITE_OK {
		return rc
	}
	fp := origOf(pFile).FxFileControl
	return (*(*func(*libc.TLS, uintptr, int32, uintptr) int32)(unsafe.Pointer(&fp)))(tls, pFile, op, pArg)
}

func walFetch(tls *libc.TLS, pFile uintptr, off int64, amt int32, pp uintptr) int32 {
	if rc := flush(tls, pFile); rc != sqlite3.SQLITE_OK {
		return rc
	}
	fp := origOf(pFile).FxFetch
	return (*(*func(*libc.TLS, uintptr, int64, int32, uintptr) int32)(unsafe.Pointer(&fp)))(tls, pFile, off, amt, pp)
}

func walClose(tls *libc.TLS, pFile uintptr) int32 {
	x := extOf(pFile)
	rc := flush(tls, pFile)
	if x.peer != 0 {
		extOf(x.peer).peer = 0
		x.peer = 0
	}
	if x.buf != 0 {
		libc.Xfree(tls, x.buf)
		x.buf, x.bufCap = 0, 0
	}
	fp := origOf(pFile).FxClose
	if crc := (*(*func(*libc.TLS, uintptr) int32)(unsafe.Pointer(&fp)))(tls, pFile); rc == sqlite3.SQLITE_OK {
		rc = crc
	}
	return rc
}

func dbClose(tls *libc.TLS, pFile uintptr) int32 {
	x := extOf(pFile)
	if x.peer != 0 {
		extOf(x.peer).peer = 0
		x.peer = 0
	}
	fp := origOf(pFile).FxClose
	return (*(*func(*libc.TLS, uintptr) int32)(unsafe.Pointer(&fp)))(tls, pFile)
}

// dbShmBarrier is the database file's memory barrier. The writer calls it
// between the two copies of the wal-index header it publishes a commit
// with, so the connection's WAL is written before any reader can accept
// the header. It finds nothing to write unless SQLite changed the order of
// its writes; if it does and the write fails, no commit may be published
// over frames that are not in the file, and the process stops (the
// commit is then rolled back by WAL recovery; it was not yet answered).
func dbShmBarrier(tls *libc.TLS, pFile uintptr) {
	if w := extOf(pFile).peer; w != 0 && extOf(w).bufLen > 0 {
		walStats.barrier.Add(1)
		if rc := flush(tls, w); rc != sqlite3.SQLITE_OK {
			// Not a panic: one raised inside SQLite's call could be
			// recovered above it (the writer turns a write's panic into
			// an error) and leave SQLite half way through a function.
			slog.Error("storage: WAL frames could not be written before their commit was published; stopping", "rc", rc)
			os.Exit(1)
		}
	}
	fp := origOf(pFile).FxShmBarrier
	(*(*func(*libc.TLS, uintptr))(unsafe.Pointer(&fp)))(tls, pFile)
}
