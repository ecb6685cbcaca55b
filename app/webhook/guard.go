// Package webhook delivers the webhook queue: it signs each delivery the
// Standard Webhooks way and posts it, with back-off, and it guards every
// address it posts to against server-side request forgery, at
// registration and again, after DNS, at each connection.
package webhook

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
)

// Guard decides which addresses webhooks may reach: public addresses over
// https, and the admin's allow list (--webhook-allow) over http too.
type Guard struct {
	allow []netip.Prefix
	// lookup resolves a host name; tests replace it.
	lookup func(ctx context.Context, host string) ([]netip.Addr, error)
}

// NewGuard parses the allow list: addresses or CIDRs.
func NewGuard(allow []string) (*Guard, error) {
	g := &Guard{lookup: func(ctx context.Context, host string) ([]netip.Addr, error) {
		return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	}}
	for _, a := range allow {
		a = strings.TrimSpace(a)
		if a == "" {
			continue
		}
		p, err := netip.ParsePrefix(a)
		if err != nil {
			ip, ierr := netip.ParseAddr(a)
			if ierr != nil {
				return nil, fmt.Errorf("--webhook-allow: %q is not an address or CIDR", a)
			}
			p = netip.PrefixFrom(ip.Unmap(), ip.Unmap().BitLen())
		}
		g.allow = append(g.allow, p.Masked())
	}
	return g, nil
}

// blockedRanges are refused beyond what netip's predicates name: CGNAT,
// "this network", IETF protocol assignments, benchmarking, reserved and
// broadcast space, and NAT64 and 6to4 prefixes that embed IPv4 addresses.
// The metadata addresses (169.254.169.254, fd00:ec2::254) fall in the
// link-local and unique-local ranges.
var blockedRanges = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("64:ff9b::/96"),
	netip.MustParsePrefix("64:ff9b:1::/48"),
	netip.MustParsePrefix("2002::/16"),
	netip.MustParsePrefix("fd00:ec2::254/128"),
	netip.MustParsePrefix("169.254.169.254/32"),
}

// ErrRefused is wrapped by every refusal of an address.
var ErrRefused = errors.New("address not allowed for webhooks")

// CheckIP decides whether a connection to ip may be made, with plain
// http when plain is set. It is the one decision: registration and every
// connection ask it, and it never connects.
func (g *Guard) CheckIP(ip netip.Addr, plain bool) error {
	ip = ip.Unmap()
	for _, p := range g.allow {
		if p.Contains(ip) {
			return nil
		}
	}
	if plain {
		return fmt.Errorf("%w: plain http only to addresses in --webhook-allow, not %s", ErrRefused, ip)
	}
	if !Public(ip) {
		return fmt.Errorf("%w: %s is a private, loopback, link-local, multicast or metadata address", ErrRefused, ip)
	}
	return nil
}

// Public reports whether ip is a public unicast address.
func Public(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() || ip.IsUnspecified() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() ||
		ip.IsMulticast() || ip.IsLinkLocalMulticast() || ip.IsInterfaceLocalMulticast() || !ip.IsGlobalUnicast() {
		return false
	}
	for _, p := range blockedRanges {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

// CheckURL checks a webhook address at registration: an absolute http(s)
// URL without credentials, whose host resolves only to addresses CheckIP
// allows. The error is for the registrant: it names the problem, never
// an internal error.
func (g *Guard) CheckURL(ctx context.Context, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Host == "" || u.Opaque != "" {
		return errors.New("not an absolute URL")
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return errors.New("must be an https URL")
	}
	if u.User != nil {
		return errors.New("must not hold a user name or password")
	}
	if u.Fragment != "" {
		return errors.New("must not have a fragment")
	}
	host := u.Hostname()
	addrs, err := g.resolve(ctx, host)
	if err != nil {
		return fmt.Errorf("host %s does not resolve", host)
	}
	for _, ip := range addrs {
		if err := g.CheckIP(ip, u.Scheme == "http"); err != nil {
			if u.Scheme == "http" {
				return errors.New("must be an https URL, unless its address is in --webhook-allow")
			}
			return errors.New("resolves to a private, loopback, link-local or metadata address")
		}
	}
	return nil
}

func (g *Guard) resolve(ctx context.Context, host string) ([]netip.Addr, error) {
	if ip, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		return []netip.Addr{ip}, nil
	}
	addrs, err := g.lookup(ctx, host)
	if err == nil && len(addrs) == 0 {
		err = errors.New("no addresses")
	}
	return addrs, err
}

// control is a net.Dialer Control: it runs after DNS, on the address about
// to be connected to, so a name that resolved to a public address at
// registration cannot be pointed at an internal one later.
func (g *Guard) control(plain bool) func(network, address string, _ syscall.RawConn) error {
	return func(network, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return fmt.Errorf("%w: %s", ErrRefused, address)
		}
		return g.CheckIP(ap.Addr(), plain)
	}
}
