//go:build race

package cover

// raceEnabled: the race detector makes image code ten times slower or more.
const raceEnabled = true
