package mailer

import (
	"strings"
	"testing"
)

func TestParseConfig(t *testing.T) {
	for _, tc := range []struct {
		name, raw string
		want      Config
		err       string // a fragment of the error; empty means success
	}{
		{name: "empty means no sending", raw: "", want: Config{}},
		{name: "starttls default port", raw: "smtp://mail.example.com",
			want: Config{Host: "mail.example.com", Port: 587, TLS: TLSStartTLS}},
		{name: "starttls with credentials", raw: "smtp://ana%40example.com:p%3Ass@mail.example.com:2525",
			want: Config{Host: "mail.example.com", Port: 2525, Username: "ana@example.com", Password: "p:ss", TLS: TLSStartTLS}},
		{name: "implicit tls default port", raw: "smtps://u:p@mail.example.com",
			want: Config{Host: "mail.example.com", Port: 465, Username: "u", Password: "p", TLS: TLSImplicit}},
		{name: "no tls default port", raw: "smtp://localhost?tls=none",
			want: Config{Host: "localhost", Port: 25, TLS: TLSNone}},
		{name: "no tls explicit port", raw: "smtp://127.0.0.1:1025?tls=none",
			want: Config{Host: "127.0.0.1", Port: 1025, TLS: TLSNone}},
		{name: "explicit port 25 kept", raw: "smtp://relay:25",
			want: Config{Host: "relay", Port: 25, TLS: TLSStartTLS}},
		{name: "ipv6 host", raw: "smtp://[::1]:2525",
			want: Config{Host: "::1", Port: 2525, TLS: TLSStartTLS}},
		{name: "user without password", raw: "smtp://apikey@mail.example.com",
			want: Config{Host: "mail.example.com", Port: 587, Username: "apikey", TLS: TLSStartTLS}},
		{name: "trailing slash", raw: "smtp://mail.example.com/",
			want: Config{Host: "mail.example.com", Port: 587, TLS: TLSStartTLS}},

		{name: "wrong scheme", raw: "http://mail.example.com", err: "scheme must be smtp or smtps"},
		{name: "no scheme", raw: "mail.example.com:587", err: "scheme"},
		{name: "no host", raw: "smtp://:587", err: "no host"},
		{name: "bad port", raw: "smtp://mail.example.com:0", err: "not a port number"},
		{name: "port too big", raw: "smtp://mail.example.com:70000", err: "not a port number"},
		{name: "port not a number", raw: "smtp://mail.example.com:abc", err: "unable to parse"},
		{name: "unknown tls", raw: "smtp://mail.example.com?tls=maybe", err: "tls must be none"},
		{name: "smtps without tls", raw: "smtps://mail.example.com?tls=none", err: "always TLS"},
		{name: "unknown parameter", raw: "smtp://mail.example.com?timeout=5s", err: "unknown parameter"},
		{name: "path", raw: "smtp://mail.example.com/inbox", err: "must look like"},
		{name: "password without user", raw: "smtp://:secret@mail.example.com", err: "no user name"},
		// Errors never repeat the password, wherever the URL goes wrong.
		{name: "unparsable port with password", raw: "smtp://u:secret@h:abc", err: "unable to parse"},
		{name: "bad port with password", raw: "smtp://u:secret@h:0", err: "not a port number"},
		{name: "wrong scheme with password", raw: "http://u:secret@h", err: "scheme must be smtp or smtps"},
		{name: "path with password", raw: "smtp://u:secret@h/inbox", err: "must look like"},
		{name: "unknown parameter with password", raw: "smtp://u:secret@h?timeout=5s", err: "unknown parameter"},
		{name: "bad escape in password", raw: "smtp://u:secret%zz@h", err: "unable to parse"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseConfig(tc.raw)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("ParseConfig(%q) error = %v, want one containing %q", tc.raw, err, tc.err)
				}
				if strings.Contains(err.Error(), "secret") {
					t.Errorf("error repeats the password: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseConfig(%q): %v", tc.raw, err)
			}
			if got != tc.want {
				t.Fatalf("ParseConfig(%q) =\n %+v, want\n %+v", tc.raw, got, tc.want)
			}
			if tc.raw != "" && got.Enabled() != true {
				t.Errorf("Enabled() = false")
			}
		})
	}
}

func TestConfig_StringHidesPassword(t *testing.T) {
	c, err := ParseConfig("smtp://ana:s3cret@mail.example.com?tls=none")
	if err != nil {
		t.Fatal(err)
	}
	if s := c.String(); strings.Contains(s, "s3cret") || s != "smtp://ana@mail.example.com:25?tls=none" {
		t.Fatalf("String() = %q", s)
	}
	if s := (Config{}).String(); s != "none" {
		t.Fatalf("zero String() = %q", s)
	}
}

func FuzzParseConfig(f *testing.F) {
	for _, s := range []string{"", "smtp://u:p@h:1", "smtps://h", "smtp://h?tls=none", "smtp://[::1", "smtp://h:99999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		c, err := ParseConfig(raw)
		if err != nil {
			return
		}
		if raw != "" && (c.Host == "" || c.Port < 1 || c.Port > 65535 || c.TLS == "") {
			t.Fatalf("ParseConfig(%q) accepted an unusable %+v", raw, c)
		}
	})
}
