package main

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/valyala/fasthttp"
)

// salonServer is the salon binary running `serve` on a database of its own.
type salonServer struct {
	bin, dir, db, addr string
	cmd                *exec.Cmd
	log                *os.File
}

// cli runs one salon command on the bench database and returns its stdout.
func (s *salonServer) cli(args ...string) (string, error) {
	cmd := exec.Command(s.bin, append(args, "--db", s.db)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("salon %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(errb.String()))
	}
	return out.String(), nil
}

// freeAddr finds a free loopback port.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// start runs `salon serve` and returns how long it took from starting the
// process until /healthz answered 200.
func (s *salonServer) start() (time.Duration, error) {
	addr, err := freeAddr()
	if err != nil {
		return 0, err
	}
	s.addr = addr
	if s.log == nil {
		s.log, err = os.Create(filepath.Join(s.dir, "server.log"))
		if err != nil {
			return 0, err
		}
	}
	s.cmd = exec.Command(s.bin, "serve", "--db", s.db, "--addr", addr, "--rate-limit", "0",
		"--base-url", "http://"+addr)
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	t0 := time.Now()
	if err := s.cmd.Start(); err != nil {
		return 0, err
	}
	for time.Since(t0) < 10*time.Second {
		code, _, err := fasthttp.GetTimeout(nil, "http://"+addr+"/healthz", time.Second)
		if err == nil && code == 200 {
			return time.Since(t0), nil
		}
		time.Sleep(time.Millisecond)
	}
	s.stop()
	return 0, fmt.Errorf("salon serve did not answer /healthz within 10 s (see %s)", s.log.Name())
}

// stop asks the server to shut down cleanly and waits for it.
func (s *salonServer) stop() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
	s.cmd = nil
}

// memory returns the server's resident set now and its peak so far, in
// bytes, from /proc/<pid>/status.
func (s *salonServer) memory() (rss, peak int64, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0, 0, err
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseInt(f[1], 10, 64)
		switch f[0] {
		case "VmRSS:":
			rss = kb * 1024
		case "VmHWM:":
			peak = kb * 1024
		}
	}
	return rss, peak, nil
}

// cpu is the CPU time the server process has used so far.
func (s *salonServer) cpu() time.Duration { return procCPU(s.cmd.Process.Pid) }

// procCPU is the CPU time process pid has used so far, user and system,
// from /proc/<pid>/stat (in clock ticks of 10 ms); 0 where there is none.
func procCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name, in parentheses, may hold spaces: count from after it.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b[i+1:]))
	// After the name: state is field 3 of stat, utime 14 and stime 15.
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * 10 * time.Millisecond
}

// sampleRSS reads the server's resident set every interval until the
// returned function is called, which returns the highest sample.
func (s *salonServer) sampleRSS(every time.Duration) func() int64 {
	stop := make(chan struct{})
	done := make(chan int64)
	go func() {
		var peak int64
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			if rss, _, err := s.memory(); err == nil {
				peak = max(peak, rss)
			}
			select {
			case <-t.C:
			case <-stop:
				done <- peak
				return
			}
		}
	}()
	return func() int64 {
		close(stop)
		return <-done
	}
}

// postgres reports whether the server's database is a PostgreSQL URL.
func (s *salonServer) postgres() bool {
	return strings.HasPrefix(s.db, "postgres://") || strings.HasPrefix(s.db, "postgresql://")
}

// rssNote is what a memory row adds about whose memory it measured: on
// PostgreSQL the serve process's, not the database server's.
func (s *salonServer) rssNote() string {
	if s.postgres() {
		return "; the serve process only, PostgreSQL's own processes not counted"
	}
	return ""
}
