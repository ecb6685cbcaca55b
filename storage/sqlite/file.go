package sqlite

import (
	"os"
	"path/filepath"
)

// renameFile moves a finished file into place without replacing one already
// there: it syncs the file's contents, renames it, then syncs the directory
// so that the new entry survives a crash too. On failure before the rename,
// from is removed; an error from the last sync means to is in place but may
// not survive a crash.
func renameFile(from, to string) error {
	if _, err := os.Stat(to); err == nil {
		os.Remove(from)
		return os.ErrExist
	}
	if err := syncFile(from); err != nil {
		os.Remove(from)
		return err
	}
	if err := os.Rename(from, to); err != nil {
		os.Remove(from)
		return err
	}
	return syncFile(filepath.Dir(to))
}

// syncFile flushes a file, or a directory's entries, to disk.
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
