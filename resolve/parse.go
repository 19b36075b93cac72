package resolve

import (
	"context"
	"fmt"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
)

// Parse turns the raw rule strings of one family into Rules, for the real
// machine (ParseWith with zero Options). It fails with a one-line error
// naming the offending rule; callers add file and key. raw == nil or empty
// gives an empty rule list (no address can be found); a single
// "false"/"none" disables the family.
func Parse(fam Family, raw []string) (Rules, error) {
	return ParseWith(fam, raw, Options{})
}

// ParseWith is Parse with explicit Options. A bare word is accepted as an
// interface name only if o's Lister lists an interface of that name now.
func ParseWith(fam Family, raw []string, o Options) (Rules, error) {
	rs := Rules{Family: fam}
	if len(raw) == 1 && isFalse(raw[0]) {
		rs.disabled = true
		return rs, nil
	}
	p := parser{fam: fam, o: o}
	for _, s := range raw {
		rule, err := p.parseOne(s)
		if err != nil {
			return Rules{}, err
		}
		rs.List = append(rs.List, rule)
	}
	return rs, nil
}

func isFalse(s string) bool {
	s = strings.ToLower(strings.TrimSpace(s))
	return s == "false" || s == "none"
}

type parser struct {
	fam Family
	o   Options
	// ifaces caches the interface names for bare words, listed at most
	// once per ParseWith call.
	ifaces map[string]bool
}

// negIndex is a rule the original would have taken for a (negative) index.
var negIndex = regexp.MustCompile(`^-[0-9]+$`)

// parseOne classifies one rule. The order follows the original (digits,
// then the prefixed forms, then words), with our additions slotted in
// where they cannot shadow an original form.
func (p *parser) parseOne(raw string) (Rule, error) {
	s := strings.TrimSpace(raw)
	switch {
	case s == "":
		return nil, fmt.Errorf("empty address rule")
	case strings.HasPrefix(s, "cmd:"):
		return newCommand(p.fam, s, false, p.o)
	case strings.HasPrefix(s, "shell:"):
		return newCommand(p.fam, s, true, p.o)
	case strings.HasPrefix(s, "url:"):
		return newURL(p.fam, s, p.o)
	case strings.HasPrefix(s, "dns:"):
		return ruleOrError(newDNS(p.fam, s, p.o))
	case strings.HasPrefix(s, "doh:"):
		return ruleOrError(newDoH(p.fam, s, p.o))
	case strings.HasPrefix(s, "regex:"):
		return p.regex(s)
	}
	if a, err := netip.ParseAddr(s); err == nil {
		if !p.fam.Matches(a) || a.Zone() != "" {
			return nil, fmt.Errorf("rule %q is not an %v address", raw, p.fam)
		}
		return literal{a}, nil
	}
	body, opts, err := cutOptions(s)
	if err != nil {
		return nil, fmt.Errorf("rule %q: %v", raw, err)
	}
	// The remaining rules read interface addresses; they all take options.
	var (
		base  policy
		build func(l listing) (Rule, error)
	)
	word, arg, hasArg := strings.Cut(body, ":")
	arg = strings.TrimSpace(arg)
	switch {
	case isDigits(body):
		n, err := strconv.Atoi(body)
		if err != nil {
			return nil, fmt.Errorf("rule %q: index out of range", raw)
		}
		build = func(l listing) (Rule, error) { return &indexRule{listing: l, n: n}, nil }
	case negIndex.MatchString(body):
		return nil, fmt.Errorf("rule %q: negative index (indexes count from 0)", raw)
	case body == "local":
		build = func(l listing) (Rule, error) { return &indexRule{listing: l, n: 0}, nil }
	case body == "default":
		// ULA is accepted unless told otherwise: it is the kernel's own
		// pick, and the original published it (fd00::2 on its test host).
		base.ula = true
		build = func(l listing) (Rule, error) { return newDefault(l), nil }
	case body == "public":
		if opts != "" {
			return nil, fmt.Errorf("rule %q: public takes no options", raw)
		}
		return newPublic(p.fam, p.o)
	case isFalse(body):
		return nil, fmt.Errorf("rule %q: false disables the family and must be the only rule", raw)
	case hasArg && word == "iface":
		if arg == "" {
			return nil, fmt.Errorf("rule %q: missing interface name", raw)
		}
		build = func(l listing) (Rule, error) { return &ifaceRule{listing: l, name: arg}, nil }
	case hasArg && word == "prefix":
		build = func(l listing) (Rule, error) { return newPrefix(l, arg) }
	case p.isInterface(body):
		build = func(l listing) (Rule, error) { return &ifaceRule{listing: l, name: body}, nil }
	default:
		return nil, fmt.Errorf("unknown address rule %q", raw)
	}
	l, err := p.listing(s, base, opts)
	if err != nil {
		return nil, err
	}
	return build(l)
}

func (p *parser) regex(raw string) (Rule, error) {
	pattern, opts := cutRegexOptions(strings.TrimPrefix(raw, "regex:"))
	if pattern == "" {
		return nil, fmt.Errorf("rule %q: empty pattern", raw)
	}
	// Compile alone first: a pattern such as `a)|(b` only balances
	// once wrapped, and would then mean something else.
	if _, err := regexp.Compile(pattern); err != nil {
		return nil, fmt.Errorf("rule %q: %v", raw, err)
	}
	re := regexp.MustCompile(`^(?:` + pattern + `)`)
	// The pattern is the user's choice of address, so unlike the other
	// rules it may pick loopback, link-local and ULA addresses, as the
	// original's `regex:fe80` and `regex:fd00` did.
	l, err := p.listing(raw, policy{special: true, ula: true}, opts)
	if err != nil {
		return nil, err
	}
	return &regexRule{listing: l, re: re}, nil
}

// listing prepares an address-listing rule: base policy, then the
// rule's options on top.
func (p *parser) listing(raw string, base policy, opts string) (listing, error) {
	pol, err := base.withOptions(opts)
	if err != nil {
		return listing{}, fmt.Errorf("rule %q: %v", raw, err)
	}
	return listing{fam: p.fam, raw: raw, pol: pol, lister: p.o.lister(), timeout: p.o.timeout()}, nil
}

// isInterface reports whether name is an existing interface. Listing
// failures make it false: the caller then reports an unknown rule.
func (p *parser) isInterface(name string) bool {
	if strings.ContainsAny(name, " \t/:") {
		return false
	}
	if p.ifaces == nil {
		p.ifaces = map[string]bool{}
		ctx, cancel := context.WithTimeout(context.Background(), p.o.timeout())
		defer cancel()
		if s, err := p.o.lister().List(ctx); err == nil {
			for _, i := range s.Interfaces {
				p.ifaces[i.Name] = true
			}
		}
	}
	return p.ifaces[name]
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
