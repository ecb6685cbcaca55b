package storage

import "errors"

// ErrClosed is returned for writes after Close.
var ErrClosed = errors.New("storage: database closed")
