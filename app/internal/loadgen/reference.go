package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
	_ "modernc.org/sqlite"

	"salon/app"
	"salon/tickets"
)

// refPragmas have the server's durability settings (storage/sqlite/db.go): WAL,
// synchronous=FULL, busy_timeout and foreign_keys, so the bare INSERT
// reference pays the same disk sync per commit. Unlike the server, which
// turns SQLite's automatic checkpoint off and checkpoints from a goroutine
// of its own, it leaves wal_autocheckpoint at its default and so checkpoints
// inline in a commit now and then, as a plain handler would.
const refPragmas = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)" +
	"&_pragma=foreign_keys(1)&_pragma=journal_size_limit(67108864)&_pragma=cache_size(-16000)&_txlock=immediate"

// serveReference runs one reference server in this process (started by
// startReference as a child, so that it competes with the load generator for
// the CPU exactly as the real server does) and prints its address.
func serveReference(kind, dir string) error {
	app := fiber.New(fiber.Config{DisableStartupMessage: true, Immutable: true})
	switch kind {
	case "hello":
		app.Get("/", func(c *fiber.Ctx) error { return c.SendString("hello") })
	case "ceiling":
		// An RSVP answer without storage: see refCeiling. No storage
		// design can answer faster than this on the same machine and load.
		key := tickets.NewSigningKey(1)
		var seq atomic.Int64
		app.Post("/rsvps", func(c *fiber.Ctx) error { return refCeiling(c, key, seq.Add(1)) })
	case "insert":
		db, err := openRefDB(dir)
		if err != nil {
			return err
		}
		defer db.Close()
		app.Post("/rsvps", func(c *fiber.Ctx) error { return refInsert(c, db) })
	default:
		return fmt.Errorf("unknown reference %q", kind)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	fmt.Println(ln.Addr().String())
	return app.Listener(ln)
}

func openRefDB(dir string) (*sql.DB, error) {
	u := "file:" + (&url.URL{Path: filepath.Join(dir, "reference.db")}).EscapedPath() + "?" + refPragmas
	db, err := sql.Open("sqlite", u)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	_, err = db.Exec(`CREATE TABLE IF NOT EXISTS rsvps (id INTEGER PRIMARY KEY, name TEXT NOT NULL,
		email TEXT NOT NULL, created_at INTEGER NOT NULL)`)
	return db, err
}

// refInsert is the plain way: decode, one transaction with one INSERT (so
// one disk sync), answer.
func refInsert(c *fiber.Ctx, db *sql.DB) error {
	var in struct {
		Name  string `json:"name"`
		Email string `json:"email"`
	}
	if err := json.Unmarshal(c.Body(), &in); err != nil {
		return c.SendStatus(fiber.StatusBadRequest)
	}
	ctx := context.Background()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `INSERT INTO rsvps (name, email, created_at) VALUES (?, ?, ?)`, in.Name, in.Email, time.Now().Unix())
	if err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	id, _ := res.LastInsertId()
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"id": id})
}

// refCeiling answers an RSVP without storing it: it decodes the JSON body,
// normalizes and validates it, signs a door code with Ed25519 and answers a
// ticket as JSON. It derives no token HMACs (the tokens are random) and does
// not check the Content-Type, both of which the server does.
func refCeiling(c *fiber.Ctx, key tickets.SigningKey, id int64) error {
	var in tickets.RSVPInput
	if err := json.Unmarshal(c.Body(), &in); err != nil {
		return c.SendStatus(fiber.StatusBadRequest)
	}
	in.Normalize()
	if err := in.Validate(); err != nil {
		return c.SendStatus(fiber.StatusUnprocessableEntity)
	}
	token := tickets.NewToken()
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"ticket": fiber.Map{
		"id": strconv.FormatInt(id, 10), "salon": "rsvp", "name": in.Name, "email": in.Email, "company": in.Company,
		"job_title": in.JobTitle, "lang": in.Lang, "status": "confirmed", "waitlist_position": nil, "checked_in_at": nil,
		"code": key.Sign(id, 1), "manage_url": "http://localhost:8080/t/" + token, "qr_url": "http://localhost:8080/t/" + token + "/qr.png",
		"ics_url": "http://localhost:8080/t/" + token + "/invite.ics", "feed_url": "http://localhost:8080/feeds/" + token + ".ics",
		"created_at": time.Now().Format(time.RFC3339)}})
}

// reference is a running reference server.
type reference struct {
	addr string
	cmd  *exec.Cmd
}

// startReference starts this program again as the reference server kind.
func startReference(kind, dir string) (*reference, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self, "-ref", kind, "-dir", dir)
	if kind == "ceiling" {
		// The same answer as salon serve's, run as salon serve runs: with
		// its threads for Go code (--procs' default), not Go's default.
		cmd.Env = append(os.Environ(), "GOMAXPROCS="+strconv.Itoa(app.ServeProcs()))
	}
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		return nil, fmt.Errorf("reference %s: %w", kind, err)
	}
	return &reference{addr: strings.TrimSpace(line), cmd: cmd}, nil
}

func (r *reference) stop() {
	r.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { r.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(3 * time.Second):
		r.cmd.Process.Kill()
		<-done
	}
}
