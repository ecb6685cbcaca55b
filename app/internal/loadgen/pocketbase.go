package main

import (
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/valyala/fasthttp"
)

// pocketBaseDir is the PocketBase peer's own module (its go.mod keeps
// PocketBase out of the salon build), relative to the module root the bench
// runs from.
const pocketBaseDir = "app/internal/loadgen/pocketbase"

// pocketBase is the peer app running `serve` on a fresh directory.
type pocketBase struct {
	addr, dataFile string
	cmd            *exec.Cmd
}

// startPocketBase builds the peer into dir and serves it on a fresh data
// directory there, waiting for /api/health.
func startPocketBase(dir string) (*pocketBase, error) {
	bin := filepath.Join(dir, "pocketbase")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = pocketBaseDir
	build.Env = append(os.Environ(), "GOWORK=off")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return nil, fmt.Errorf("building the PocketBase peer in %s: %w", pocketBaseDir, err)
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	logf, err := os.Create(filepath.Join(dir, "pocketbase.log"))
	if err != nil {
		return nil, err
	}
	data := filepath.Join(dir, "pb_data")
	p := &pocketBase{addr: addr, dataFile: filepath.Join(data, "data.db")}
	p.cmd = exec.Command(bin, "serve", "--http", addr, "--dir", data)
	p.cmd.Stdout, p.cmd.Stderr = logf, logf
	if err := p.cmd.Start(); err != nil {
		return nil, err
	}
	for t0 := time.Now(); time.Since(t0) < 30*time.Second; time.Sleep(20 * time.Millisecond) {
		code, _, err := fasthttp.GetTimeout(nil, "http://"+addr+"/api/health", time.Second)
		if err == nil && code == 200 {
			return p, nil
		}
	}
	p.stop()
	return nil, fmt.Errorf("PocketBase did not answer /api/health within 30 s (see %s)", logf.Name())
}

func (p *pocketBase) stop() {
	if p == nil || p.cmd == nil || p.cmd.Process == nil {
		return
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		p.cmd.Process.Kill()
		<-done
	}
}

// pocketBaseLoad creates records in the tickets collection with the RSVP
// row's load: the same connections, the same 100 salons, the same bodies,
// the same bounds.
func (b *bench) pocketBaseLoad(p *pocketBase) outcome {
	addr := p.addr
	return load{addr: addr, conns: b.conns, dur: b.rsvpDur, max: b.rsvpMax, build: func(i int64, req *fasthttp.Request) bool {
		post(req, addr, "/api/collections/tickets/records", "", pocketBaseBody(i))
		return true
	}, check: status(200)}.run()
}

// pocketBaseBody is rsvpBody with the salon as a field.
func pocketBaseBody(i int64) []byte {
	n := strconv.FormatInt(i, 10)
	return []byte(`{"salon":"rsvp-` + strconv.FormatInt(i%rsvpSalons, 10) + `","name":"Guest ` + n + `","email":"g` + n +
		`@bench.example","company":"Bench Ltd","job_title":"Engineer"}`)
}

// records counts the tickets PocketBase stored, read from its data file
// after it stopped: every 200 must be a stored record.
func (p *pocketBase) records() (int64, error) {
	db, err := sql.Open("sqlite", "file:"+p.dataFile+"?mode=ro")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var n int64
	err = db.QueryRow(`SELECT COUNT(*) FROM tickets`).Scan(&n)
	return n, err
}
