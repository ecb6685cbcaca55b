package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"salon/storage/postgres"
	"salon/storage/sqlite"
)

// Integrity states, as /healthz names them.
const (
	integrityChecking = "checking"
	integrityOK       = "ok"
	integrityDamaged  = "damaged"
	integrityFailed   = "check_failed"
)

// integrityState is the last background integrity check's outcome.
type integrityState struct{ v atomic.Pointer[string] }

func (s *integrityState) set(v string) { s.v.Store(&v) }

// get is the state, "" before any check began (a server built for tests).
func (s *integrityState) get() string {
	if p := s.v.Load(); p != nil {
		return *p
	}
	return ""
}

// CheckIntegrity runs the quick integrity check once, after the server
// answers: the check reads the whole database (5 s at a million tickets on
// SQLite), which is why it is not on the start path. The outcome goes to
// the log, to the salon_integrity series and to /healthz's integrity
// field; damage leaves the server running, since a damaged index still
// serves most requests and an operator decides (salon check, a backup).
func (s *Server) CheckIntegrity(ctx context.Context) {
	s.integrity.set(integrityChecking)
	start := time.Now()
	problems, err := s.db.CheckIntegrity(ctx, true)
	took := time.Since(start)
	switch {
	case err != nil:
		if ctx.Err() != nil {
			return
		}
		s.integrity.set(integrityFailed)
		s.log.Error("integrity check could not run", "err", err, "took", took.String())
	case len(problems) > 0:
		s.integrity.set(integrityDamaged)
		s.d.Metrics.SetIntegrity(true, took)
		first := problems[:min(len(problems), 5)]
		s.log.Error("integrity check: the database is damaged; run salon check, and restore from a backup", "problems", len(problems),
			"first", first, "took", took.String())
	default:
		s.integrity.set(integrityOK)
		s.d.Metrics.SetIntegrity(false, took)
		s.log.Info("integrity check: no damage found", "took", took.String())
	}
}

// errDamaged is salon check's failure when the check found damage.
var errDamaged = errors.New("the database is damaged")

// runCheck is `salon check`: the full integrity check, printed, exit 1 on
// damage. On SQLite it opens the file without migrating or writing, so a
// damaged file is examined as it is.
func runCheck(args []string, stdout, stderr io.Writer) error {
	var dbPath string
	var quick bool
	f := newEnvFlags("salon check")
	f.fs.SetOutput(stderr)
	f.bindDB(&dbPath)
	f.fs.BoolVar(&quick, "quick", false, "skip the slowest checks (SQLite: quick_check instead of integrity_check)")
	if err := f.parse(args); err != nil {
		return err
	}
	ctx := context.Background()
	start := time.Now()
	var problems []string
	var err error
	if postgres.IsURL(dbPath) {
		db, oerr := openDB(dbPath)
		if oerr != nil {
			return oerr
		}
		defer db.Close()
		problems, err = db.CheckIntegrity(ctx, quick)
	} else {
		problems, err = sqlite.CheckFile(ctx, dbPath, quick)
	}
	if err != nil {
		return err
	}
	for _, p := range problems {
		fmt.Fprintln(stdout, p)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %d problems found in %s (listed above); restore from a backup", errDamaged, len(problems), displayDB(dbPath))
	}
	fmt.Fprintf(stdout, "ok: no damage found in %s (%.1f s)\n", displayDB(dbPath), time.Since(start).Seconds())
	return nil
}
