package postgres

import (
	"errors"
	"fmt"
	"net"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// pgconnConfig parses a database URL. Its error never repeats the URL,
// which may carry a password.
func pgconnConfig(url string) (*pgx.ConnConfig, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, errors.New("storage: the PostgreSQL URL in --db is not valid (expected postgres://user:password@host:port/database)")
	}
	return cfg, nil
}

// describeConnError turns a failure to connect into one line that says
// what is wrong, naming the server and database but never the password.
func describeConnError(err error, database string) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "28P01", "28000":
			return fmt.Errorf("storage: PostgreSQL refused the user name or password in --db (%s)", pe.Code)
		case "3D000":
			return fmt.Errorf("storage: PostgreSQL database %q does not exist; create it first (createdb)", database)
		}
		return fmt.Errorf("storage: PostgreSQL: %s (%s)", pe.Message, pe.Code)
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	if errors.As(err, &ce) || errors.As(err, &ne) {
		return errors.New("storage: cannot reach the PostgreSQL server in --db: check its host and port, and that it runs")
	}
	return errors.New("storage: cannot connect to the PostgreSQL server in --db")
}
