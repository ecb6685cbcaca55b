//go:build !race

package api_test

// raceDetector is true in a -race build, whose shadow memory makes heap
// figures meaningless.
const raceDetector = false
