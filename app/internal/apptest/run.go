package apptest

import "time"

// Finishes runs f and ends the test process if it does not return in time:
// a calendar render that loops cannot be stopped, and left running it
// would eat the machine's memory while the other tests go on. It panics
// outside the test's goroutine, as the test's cleanups would wait for the
// workers, and a looping worker never stops.
func Finishes(what string, f func()) {
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		go panic(what + " did not finish within 5s")
		select {}
	}
}
