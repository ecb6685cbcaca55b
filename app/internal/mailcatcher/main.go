// Command mailcatcher is a local SMTP server for trying Salon's mail: it
// accepts every message and writes it as an .eml file that a mail client
// opens (QR code inline, invitation attached). Not for production.
//
//	go run ./app/internal/mailcatcher --addr 127.0.0.1:2525 --dir mail
//	go run . serve --smtp 'smtp://127.0.0.1:2525?tls=none'
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/emersion/go-smtp"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:2525", "address to listen on")
	dir := flag.String("dir", "mail", "directory for the .eml files")
	flag.Parse()
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		log.Fatal(err)
	}
	s := smtp.NewServer(&backend{dir: *dir})
	s.Addr, s.Domain = *addr, "localhost"
	s.AllowInsecureAuth = true
	s.ReadTimeout, s.WriteTimeout = time.Minute, time.Minute
	s.MaxMessageBytes = 10 << 20
	log.Printf("mailcatcher: listening on %s, writing to %s", *addr, *dir)
	log.Fatal(s.ListenAndServe())
}

type backend struct {
	dir string
	n   atomic.Int64
}

func (b *backend) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{b: b}, nil }

type session struct {
	b    *backend
	from string
	to   []string
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error { s.from = from; return nil }
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error   { s.to = append(s.to, to); return nil }
func (s *session) Reset()                                      { s.from, s.to = "", nil }
func (s *session) Logout() error                               { return nil }

func (s *session) Data(r io.Reader) error {
	n := s.b.n.Add(1)
	name := filepath.Join(s.b.dir, fmt.Sprintf("%s-%04d.eml", time.Now().Format("20060102-150405"), n))
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := io.Copy(f, r); err != nil {
		return err
	}
	log.Printf("mailcatcher: %s -> %v saved as %s", s.from, s.to, name)
	return nil
}
