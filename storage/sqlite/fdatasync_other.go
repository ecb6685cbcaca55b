//go:build !linux

package sqlite

import "os"

// fdatasync flushes f to disk; off Linux, with Sync (on macOS Go asks for
// F_FULLFSYNC, which is stronger than SQLite's default).
func fdatasync(f *os.File) error { return f.Sync() }
