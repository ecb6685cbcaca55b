package storage

import "errors"

// ErrClosed is returned for writes after Close.
var ErrClosed = errors.New("storage: database closed")

// ErrReadOnly is wrapped in the error of a write the store refused because
// the database may not be written: for SQLite, the file, its directory or
// its mount is read-only, or the file is not its user's to write.
var ErrReadOnly = errors.New("the file, its directory or its mount is read-only")

// ErrFull is wrapped in the error of a write that found no room: the disk
// (or the database's size limit) is full.
var ErrFull = errors.New("the disk is full")
