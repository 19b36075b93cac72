package resolve

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"
)

// Family is an address family: V4 for A records, V6 for AAAA records.
type Family int

const (
	V4 Family = 4
	V6 Family = 6
)

func (f Family) String() string { return fmt.Sprintf("IPv%d", int(f)) }

// RecordType is the DNS record type that carries addresses of f.
func (f Family) RecordType() string {
	if f == V6 {
		return "AAAA"
	}
	return "A"
}

// Matches reports whether a is a valid address of family f. IPv4-mapped
// IPv6 addresses are not IPv6 addresses for this purpose.
func (f Family) Matches(a netip.Addr) bool {
	if !a.IsValid() {
		return false
	}
	if f == V4 {
		return a.Is4()
	}
	return a.Is6() && !a.Is4In6()
}

// DefaultTimeout bounds every rule that talks to the network or runs a
// program, so one hung command cannot stall a sync.
const DefaultTimeout = 5 * time.Second

// ErrNoAddress is wrapped by every "this rule yielded nothing" error.
var ErrNoAddress = errors.New("no address")

// Rule is one parsed index4/index6 entry.
type Rule interface {
	// Resolve returns the rule's current address of the family it was
	// parsed for, or an error wrapping ErrNoAddress (or a transport or
	// command error) when it has none this round. It honours ctx.
	Resolve(ctx context.Context) (netip.Addr, error)
	// String returns the rule as the user wrote it (for logs).
	String() string
}

// Rules is an ordered list of rules for one family. The zero value has no
// rules; Disabled reports the explicit `false`.
type Rules struct {
	Family   Family
	List     []Rule
	disabled bool
}

// Disabled reports whether the user turned this family off (`false`).
func (r Rules) Disabled() bool { return r.disabled }

// Resolve evaluates the rules in order and returns the first address. When
// none yields, the error lists every rule's reason, in order.
func (r Rules) Resolve(ctx context.Context) (netip.Addr, error) {
	a, _, err := r.ResolveSources(ctx)
	return a, err
}

// ResolveSources is Resolve that also names the sources that agreed on the
// answer when the rule that gave it asks several (see SourceReporter); nil
// otherwise. The status endpoint shows them, so a user can see why an
// address was believed.
func (r Rules) ResolveSources(ctx context.Context) (netip.Addr, []string, error) {
	if r.disabled {
		return netip.Addr{}, nil, fmt.Errorf("%v is disabled", r.Family)
	}
	if len(r.List) == 0 {
		return netip.Addr{}, nil, fmt.Errorf("no address rules configured for %v: %w", r.Family, ErrNoAddress)
	}
	var reasons []string
	for _, rule := range r.List {
		a, err := rule.Resolve(ctx)
		if err == nil && r.Family.Matches(a) {
			var sources []string
			if sr, ok := rule.(SourceReporter); ok {
				sources = sr.AgreedSources()
			}
			return a, sources, nil
		}
		if err == nil {
			err = fmt.Errorf("%v is not an %v address", a, r.Family)
		}
		if ctx.Err() != nil {
			return netip.Addr{}, nil, ctx.Err()
		}
		reasons = append(reasons, fmt.Sprintf("%s: %v", rule, err))
	}
	return netip.Addr{}, nil, fmt.Errorf("%w: %s", ErrNoAddress, strings.Join(reasons, "; "))
}

// literal is a fixed address written in the configuration.
type literal struct{ a netip.Addr }

func (l literal) Resolve(context.Context) (netip.Addr, error) { return l.a, nil }
func (l literal) String() string                              { return l.a.String() }
func (l literal) deps() Deps                                  { return Deps{} }
