package webhook

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"testing"
)

// TestCheckIP: the one decision refuses every internal range, without
// connecting anywhere, unless the allow list names the address; plain http
// goes only to allowed addresses.
func TestCheckIP(t *testing.T) {
	g, err := NewGuard([]string{"127.0.0.1", "10.9.0.0/16"})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		ip    string
		plain bool
		ok    bool
	}{
		{"public v4", "93.184.216.34", false, true},
		{"public v6", "2606:4700::1111", false, true},
		{"public over http", "93.184.216.34", true, false},
		{"allowed loopback", "127.0.0.1", false, true},
		{"allowed loopback over http", "127.0.0.1", true, true},
		{"other loopback", "127.0.0.2", false, false},
		{"other loopback over http", "127.0.0.2", true, false},
		{"allowed CIDR", "10.9.3.4", true, true},
		{"private 10/8", "10.1.2.3", false, false},
		{"private 172.16/12", "172.20.0.1", false, false},
		{"private 192.168/16", "192.168.1.1", false, false},
		{"CGNAT", "100.64.0.1", false, false},
		{"link-local", "169.254.10.10", false, false},
		{"metadata v4", "169.254.169.254", false, false},
		{"metadata v6", "fd00:ec2::254", false, false},
		{"unique local v6", "fd12:3456::1", false, false},
		{"link-local v6", "fe80::1", false, false},
		{"loopback v6", "::1", false, false},
		{"v4-mapped loopback", "::ffff:127.0.0.2", false, false},
		{"v4-mapped metadata", "::ffff:169.254.169.254", false, false},
		{"NAT64 of private", "64:ff9b::a00:1", false, false},
		{"multicast", "224.0.0.1", false, false},
		{"multicast v6", "ff02::1", false, false},
		{"unspecified", "0.0.0.0", false, false},
		{"unspecified v6", "::", false, false},
		{"this network", "0.1.2.3", false, false},
		{"broadcast", "255.255.255.255", false, false},
		{"benchmarking", "198.18.0.1", false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := g.CheckIP(netip.MustParseAddr(c.ip), c.plain)
			if c.ok != (err == nil) {
				t.Fatalf("CheckIP(%s, plain=%v) = %v, want ok=%v", c.ip, c.plain, err, c.ok)
			}
			if err != nil && !errors.Is(err, ErrRefused) {
				t.Fatalf("refusal %v does not wrap ErrRefused", err)
			}
		})
	}
}

// TestCheckURL: registration refuses what CheckIP refuses, after resolving
// the host, and URLs that are not plain https addresses.
func TestCheckURL(t *testing.T) {
	g, err := NewGuard([]string{"127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string][]netip.Addr{
		"hooks.example.com":    {netip.MustParseAddr("93.184.216.34")},
		"internal.example.com": {netip.MustParseAddr("93.184.216.34"), netip.MustParseAddr("10.0.0.5")},
		"meta.example.com":     {netip.MustParseAddr("169.254.169.254")},
	}
	g.lookup = func(_ context.Context, host string) ([]netip.Addr, error) {
		if a, ok := names[host]; ok {
			return a, nil
		}
		return nil, errors.New("no such host")
	}
	cases := []struct{ url, want string }{
		{"https://hooks.example.com/in", ""},
		{"https://127.0.0.1:8443/in", ""},
		{"http://127.0.0.1:9000/in", ""},
		{"http://hooks.example.com/in", "must be an https URL"},
		{"https://internal.example.com/in", "private"},
		{"https://meta.example.com/latest", "private"},
		{"https://169.254.169.254/latest/meta-data", "private"},
		{"https://[fd00:ec2::254]/", "private"},
		{"https://127.0.0.2/in", "private"},
		{"https://[::1]/in", "private"},
		{"https://nowhere.example.com/", "does not resolve"},
		{"ftp://hooks.example.com/", "https"},
		{"https://user:pw@hooks.example.com/", "password"},
		{"hooks.example.com/in", "absolute"},
		{"", "absolute"},
	}
	for _, c := range cases {
		err := g.CheckURL(context.Background(), c.url)
		if (c.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("CheckURL(%q) = %v, want %q", c.url, err, c.want)
		}
	}
}

// FuzzCheckURL: any text is refused or accepted without panicking, and
// nothing accepted points at a refused address literal.
func FuzzCheckURL(f *testing.F) {
	for _, s := range []string{"https://127.0.0.2/", "https://[::ffff:10.0.0.1]/", "http://127.0.0.1:1/", "https://1.1.1.1/x?y#z"} {
		f.Add(s)
	}
	g, _ := NewGuard([]string{"127.0.0.1"})
	g.lookup = func(context.Context, string) ([]netip.Addr, error) { return nil, errors.New("offline") }
	f.Fuzz(func(t *testing.T, raw string) {
		if g.CheckURL(context.Background(), raw) != nil {
			return
		}
		if !strings.HasPrefix(raw, "http") {
			t.Fatalf("accepted %q", raw)
		}
	})
}

// TestNewGuardRefusesJunk: a bad allow list entry is a usage error.
func TestNewGuardRefusesJunk(t *testing.T) {
	if _, err := NewGuard([]string{"not-an-ip"}); err == nil {
		t.Fatal("accepted a bad entry")
	}
}
