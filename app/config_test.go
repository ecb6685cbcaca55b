package app

import (
	"flag"
	"net"
	"regexp"
	"testing"
	"time"
)

// TestServeFlagsHaveEnvironment checks the contract's rule that every flag
// of `salon serve` has an environment variable, by walking the flag set
// itself rather than a list that could fall behind it, and that each
// variable really sets its flag's default.
func TestServeFlagsHaveEnvironment(t *testing.T) {
	envOf := regexp.MustCompile(`\(env (SALON_[A-Z_]+)\)$`)
	values := map[string]string{
		"db": "env.db", "addr": ":9999", "base-url": "https://env.example", "smtp": "smtp://env.example:25",
		"mail-from": "Env <env@example.com>", "rate-limit": "7", "trusted-proxies": "10.0.0.1",
		"shutdown-timeout": "3s", "retention-days": "30", "webhook-allow": "127.0.0.1, 10.9.0.0/16",
		"wallet-cert": "pass.pem", "wallet-key": "pass.key", "wallet-wwdr": "wwdr.pem",
		"wallet-pass-type-id": "pass.example.salon", "wallet-team-id": "A1B2C3D4E5",
		"privacy-contact": "Privacy <dpo@example.com>",
		"gogc":            "250", "memory-limit": "64MiB", "procs": "3",
	}
	var c Config
	f := newEnvFlags("salon serve")
	f.bindServe(&c)
	n := 0
	f.fs.VisitAll(func(fl *flag.Flag) {
		n++
		m := envOf.FindStringSubmatch(fl.Usage)
		if m == nil {
			t.Errorf("--%s has no environment variable in its usage %q", fl.Name, fl.Usage)
			return
		}
		v, ok := values[fl.Name]
		if !ok {
			t.Errorf("--%s: no test value; add one", fl.Name)
			return
		}
		t.Setenv(m[1], v)
	})
	if n != len(values) {
		t.Errorf("serve has %d flags, the test knows %d", n, len(values))
	}
	// Registered again now that the variables are set: each is the default.
	var c2 Config
	f2 := newEnvFlags("salon serve")
	f2.bindServe(&c2)
	f2.fs.VisitAll(func(fl *flag.Flag) {
		if got := fl.Value.String(); got != values[fl.Name] && !(fl.Name == "shutdown-timeout" && got == (3*time.Second).String()) {
			t.Errorf("--%s: environment gave %q, want %q", fl.Name, got, values[fl.Name])
		}
	})
	if err := f2.parse([]string{"--shutdown-timeout", "5s"}); err != nil {
		t.Fatal(err)
	}
	if len(c2.WebhookAllow) != 2 || c2.WebhookAllow[1] != "10.9.0.0/16" {
		t.Fatalf("SALON_WEBHOOK_ALLOW: %q", c2.WebhookAllow)
	}
	if c2.ShutdownTimeout != 5*time.Second || c2.RateLimit != 7 {
		t.Fatalf("flag should win over SALON_SHUTDOWN_TIMEOUT: %+v", c2)
	}
	t.Setenv("SALON_SHUTDOWN_TIMEOUT", "soon")
	f3 := newEnvFlags("salon serve")
	f3.bindServe(&Config{})
	if err := f3.parse(nil); err == nil || !regexp.MustCompile(`SALON_SHUTDOWN_TIMEOUT`).MatchString(err.Error()) {
		t.Fatalf("bad SALON_SHUTDOWN_TIMEOUT: %v", err)
	}
}

// FuzzCheckListenAddr: whatever --addr says, checking it does not panic, and
// an address it accepts with an IP literal (or no host) is one the network
// stack takes without a lookup.
func FuzzCheckListenAddr(f *testing.F) {
	for _, s := range []string{":8080", ":0", ":65535", ":65536", ":99999", ":-1", ":+80", "127.0.0.1:80", "[::1]:443", "localhost", "", "::1", "[::1]", "host:http"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, addr string) {
		if checkListenAddr(addr) != nil {
			return
		}
		host, _, _ := net.SplitHostPort(addr)
		if host != "" && net.ParseIP(host) == nil {
			return
		}
		if _, err := net.ResolveTCPAddr("tcp", addr); err != nil {
			t.Fatalf("accepted %q, which the network stack refuses: %v", addr, err)
		}
	})
}

// TestRetentionDays: the default keeps personal data a year after the
// salon; 0 keeps it; a negative number is bad usage.
func TestRetentionDays(t *testing.T) {
	for _, c := range []struct {
		args []string
		want int
		bad  bool
	}{{nil, 365, false}, {[]string{"--retention-days", "0"}, 0, false}, {[]string{"--retention-days", "-1"}, 0, true}} {
		cfg := Config{}
		f := newEnvFlags("salon serve")
		f.bindServe(&cfg)
		err := f.parse(c.args)
		if c.bad {
			if _, ok := err.(usageError); !ok {
				t.Errorf("%v: %v, want bad usage", c.args, err)
			}
			continue
		}
		if err != nil || cfg.RetentionDays != c.want {
			t.Errorf("%v: %d (%v), want %d", c.args, cfg.RetentionDays, err, c.want)
		}
	}
}

// TestWebhookAllowRefusesJunk: an --webhook-allow entry that is neither an
// address nor a CIDR is bad usage, before anything is opened.
func TestWebhookAllowRefusesJunk(t *testing.T) {
	var c Config
	f := newEnvFlags("salon serve")
	f.bindServe(&c)
	err := f.parse([]string{"--webhook-allow", "127.0.0.1,intranet"})
	if _, ok := err.(usageError); !ok {
		t.Fatalf("parse: %v", err)
	}
}
