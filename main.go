// Command salon runs Salon: industry salons with RSVPs, a fair waitlist, QR
// tickets, calendar feeds and mail, on one SQLite file.
package main

import (
	"os"

	"salon/app"
)

func main() {
	os.Exit(app.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
