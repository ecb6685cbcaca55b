package storage

import "os"

// renameFile moves a finished file into place and syncs its directory entry.
func renameFile(from, to string) error {
	if _, err := os.Stat(to); err == nil {
		os.Remove(from)
		return os.ErrExist
	}
	if err := os.Rename(from, to); err != nil {
		os.Remove(from)
		return err
	}
	return nil
}
