package tickets_test

import (
	"testing"

	"salon/tickets"
)

// BenchmarkDecide is the capacity decision alone; the whole RSVP write it
// sits in (salon read, ticket, counts, notice, in one savepoint) is
// storage's BenchmarkCreateRSVP.
func BenchmarkDecide(b *testing.B) {
	n := 0
	for i := 0; b.Loop(); i++ {
		if s, _ := tickets.Decide(100, i%200, 1, false, true); s == tickets.StatusConfirmed {
			n++
		}
	}
	if n == 0 {
		b.Fatal("never confirmed")
	}
}

// BenchmarkRSVPInput is what every RSVP does before it reaches the writer:
// normalizing and validating the attendee's input.
func BenchmarkRSVPInput(b *testing.B) {
	for b.Loop() {
		in := tickets.RSVPInput{Name: "  Ana  Souza ", Email: "Ana.Souza@Example.COM ", Company: "Bench Ltd", JobTitle: "Engineer", Lang: "zh-CN"}
		in.Normalize()
		if err := in.Validate(); err != nil {
			b.Fatal(err)
		}
	}
}
