// Command pocketbase is the peer `task bench` measures the RSVP row
// against: a plain PocketBase v0.36 app with one collection shaped like
// Salon's tickets (salon, name, email, company, job_title, a unique index
// on salon+email) whose create rule is open, so that anyone may POST a
// record as anyone may RSVP. Everything else keeps PocketBase's defaults
// (its SQLite settings, request logs, no rate limits).
//
// It lives in a module of its own so that PocketBase and its dependencies
// stay out of the salon build, `go vet ./...` and `go test ./...`; the
// bench builds it with `go build` in this directory and starts it with
//
//	pocketbase serve --http 127.0.0.1:PORT --dir DIR
//
// on a fresh DIR. The collection is made when serving starts if it is not
// there yet.
package main

import (
	"log"

	"github.com/pocketbase/pocketbase"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// collection is the tickets-like collection's name.
const collection = "tickets"

func main() {
	app := pocketbase.New()
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		if err := ensureTickets(se.App); err != nil {
			return err
		}
		// A fresh directory has no superuser, and PocketBase would open
		// its installer in a browser; the bench needs none.
		se.InstallerFunc = nil
		return se.Next()
	})
	if err := app.Start(); err != nil {
		log.Fatal(err)
	}
}

// ensureTickets makes the tickets collection unless it exists.
func ensureTickets(app core.App) error {
	if _, err := app.FindCollectionByNameOrId(collection); err == nil {
		return nil
	}
	c := core.NewBaseCollection(collection)
	// Anyone may create a record; nobody but a superuser lists, reads,
	// changes or deletes them (nil rules).
	c.CreateRule = types.Pointer("")
	c.Fields.Add(
		&core.TextField{Name: "salon", Required: true, Max: 64},
		&core.TextField{Name: "name", Required: true, Max: 200},
		&core.EmailField{Name: "email", Required: true},
		&core.TextField{Name: "company", Max: 200},
		&core.TextField{Name: "job_title", Max: 200},
		&core.AutodateField{Name: "created", OnCreate: true},
	)
	c.AddIndex("idx_tickets_salon_email", true, "salon, email", "")
	return app.Save(c)
}
