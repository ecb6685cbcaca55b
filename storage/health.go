package storage

import "errors"

// ErrReadOnly is wrapped in the error of a write SQLite refused because the
// database may not be written: the file, its directory or its mount is
// read-only, or the file is not its user's to write.
var ErrReadOnly = errors.New("the file, its directory or its mount is read-only")

// ErrFull is wrapped in the error of a write that found no room: the disk
// (or the file's page limit) is full.
var ErrFull = errors.New("the disk is full")
