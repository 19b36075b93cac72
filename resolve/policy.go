package resolve

import (
	"fmt"
	"net"
	"net/netip"
	"regexp"
	"strings"

	"github.com/ddns-go/ddns/platform"
)

// policy decides which interface addresses a rule may answer with, and
// which it prefers. Tentative and DAD-failed addresses are never usable,
// whatever the policy says.
type policy struct {
	temporary  bool // allow IPv6 privacy addresses
	deprecated bool // allow addresses past their preferred lifetime
	ula        bool // allow IPv6 unique local addresses (fc00::/7)
	special    bool // allow loopback and link-local addresses (regex: only)
}

// optionsTail matches an option list: key=value pairs joined by "&".
var optionsTail = regexp.MustCompile(`^[A-Za-z_]+=[^&=?]*(&[A-Za-z_]+=[^&=?]*)*$`)

// cutOptions splits "BODY?OPTIONS" at the first "?". A "?" with nothing
// or something malformed after it is an error, so typos do not silently
// become part of an interface name.
func cutOptions(s string) (body, opts string, err error) {
	body, opts, found := strings.Cut(s, "?")
	if found && !optionsTail.MatchString(opts) {
		return "", "", fmt.Errorf("bad options %q (want key=value joined by &)", opts)
	}
	return body, opts, nil
}

// cutRegexOptions is cutOptions for regex:, whose pattern may itself
// contain "?": options start at the last "?" only if what follows is a
// well-formed option list. Address text never contains "=" or "&", so a
// pattern ending that way could not match anything anyway.
func cutRegexOptions(s string) (pattern, opts string) {
	i := strings.LastIndexByte(s, '?')
	if i < 0 || !optionsTail.MatchString(s[i+1:]) {
		return s, ""
	}
	return s[:i], s[i+1:]
}

// withOptions applies "key=value&..." to p. Each option is a boolean
// that allows one kind of address the policy otherwise refuses.
func (p policy) withOptions(opts string) (policy, error) {
	if opts == "" {
		return p, nil
	}
	seen := map[string]bool{}
	for _, kv := range strings.Split(opts, "&") {
		k, v, _ := strings.Cut(kv, "=")
		var field *bool
		switch k {
		case "temporary":
			field = &p.temporary
		case "deprecated":
			field = &p.deprecated
		case "ula":
			field = &p.ula
		default:
			return p, fmt.Errorf("unknown option %q (known: temporary, deprecated, ula)", k)
		}
		if seen[k] {
			return p, fmt.Errorf("option %q given twice", k)
		}
		seen[k] = true
		b, ok := parseBool(v)
		if !ok {
			return p, fmt.Errorf("option %s=%q: want true or false", k, v)
		}
		*field = b
	}
	return p, nil
}

func parseBool(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "true", "yes", "on", "1":
		return true, true
	case "false", "no", "off", "0":
		return false, true
	}
	return false, false
}

// skip returns why p does not accept a, or "" if it does.
func (p policy) skip(a platform.Addr) string {
	ip := a.Addr()
	switch {
	case a.Flags&platform.DADFailed != 0: // Linux keeps Tentative set too
		return "duplicate (DAD failed)"
	case a.Flags&platform.Tentative != 0:
		return "tentative"
	case !p.special && ip.IsLoopback():
		return "loopback"
	case !p.special && (ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast()):
		return "link-local"
	case !p.temporary && a.Flags&platform.Temporary != 0:
		return "temporary, allow with temporary=true"
	case !p.deprecated && a.Flags&platform.Deprecated != 0:
		return "deprecated, allow with deprecated=true"
	case !p.ula && isULA(ip):
		return "ULA, allow with ula=true"
	case ip.IsUnspecified() || ip.IsMulticast():
		return "not unicast"
	}
	return ""
}

func isULA(a netip.Addr) bool { return a.Is6() && !a.Is4In6() && a.IsPrivate() }

// rank orders accepted addresses, lower is better: current before
// deprecated, stable before temporary, global before ULA. Equal ranks keep
// the listing order.
func rank(a platform.Addr) int {
	r := 0
	if a.Flags&platform.Deprecated != 0 {
		r += 4
	}
	if a.Flags&platform.Temporary != 0 {
		r += 2
	}
	if isULA(a.Addr()) {
		r++
	}
	return r
}

// candidates are the addresses of one family that a rule considered, in
// listing order, with those it skipped and why (for the log line that
// explains an empty answer; formatted only then).
type candidates struct {
	ok      []platform.Addr
	skipped []skipped
}

type skipped struct {
	a   platform.Addr
	why string
}

// collect returns the addresses of family fam in s that keep returns true
// for and p accepts. Interfaces that are administratively down are left
// out: their addresses do not answer. An address whose interface is not
// listed (it vanished between the two dumps) is given the benefit of the
// doubt.
func collect(s platform.Snapshot, fam Family, p policy, keep func(platform.Addr) bool) candidates {
	var c candidates
	for _, a := range s.Addrs {
		if !fam.Matches(a.Addr()) || !keep(a) {
			continue
		}
		why := p.skip(a)
		if why == "" {
			if ifc, ok := s.InterfaceByIndex(a.Index); ok && ifc.Flags&net.FlagUp == 0 {
				why = "interface down"
			}
		}
		if why != "" {
			c.skipped = append(c.skipped, skipped{a, why})
			continue
		}
		c.ok = append(c.ok, a)
	}
	return c
}

// best returns the accepted address of lowest rank, the first listed
// among equals.
func (c candidates) best() (platform.Addr, bool) {
	if len(c.ok) == 0 {
		return platform.Addr{}, false
	}
	b := c.ok[0]
	for _, a := range c.ok[1:] {
		if rank(a) < rank(b) {
			b = a
		}
	}
	return b, true
}

// none is the "unknown this round" error for an empty candidate set,
// naming what was skipped and why (at most maxSkipped of them).
func (c candidates) none(what string) error {
	const maxSkipped = 4
	if len(c.skipped) == 0 {
		return fmt.Errorf("%w: %s", ErrNoAddress, what)
	}
	var parts []string
	for _, s := range c.skipped[:min(len(c.skipped), maxSkipped)] {
		parts = append(parts, fmt.Sprintf("%v on %s: %s", s.a.Addr(), s.a.Iface, s.why))
	}
	if n := len(c.skipped) - maxSkipped; n > 0 {
		parts = append(parts, fmt.Sprintf("and %d more", n))
	}
	return fmt.Errorf("%w: %s (skipped %s)", ErrNoAddress, what, strings.Join(parts, "; "))
}
