package resolve

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
)

// publicRule is `public`: ask IP-echo services in order until one answers
// with a public address of the family. Each service gets its own timeout,
// and an answer that is private, loopback, link-local or ULA (a
// misconfigured proxy, a captive portal) counts as a failure of that
// service, not as the answer.
type publicRule struct {
	fam      Family
	services []string
	f        fetcher
}

func newPublic(fam Family, o Options) (Rule, error) {
	services := o.Public
	if services == nil {
		services = DefaultPublic(fam)
	}
	if len(services) == 0 {
		return nil, fmt.Errorf("rule \"public\": no IP-echo services configured")
	}
	for _, u := range services {
		if err := checkURL(u); err != nil {
			return nil, fmt.Errorf("rule \"public\": service %v", err)
		}
	}
	return &publicRule{fam: fam, services: services, f: newFetcher(o)}, nil
}

func (r *publicRule) String() string { return "public" }

func (r *publicRule) Resolve(ctx context.Context) (netip.Addr, error) {
	var reasons []string
	for _, u := range r.services {
		a, err := r.f.fetchAddr(ctx, r.fam, u)
		if err == nil && !isPublic(a) {
			err = fmt.Errorf("%s answered %v, which is not a public address", u, a)
		}
		if err == nil {
			return a, nil
		}
		if ctx.Err() != nil {
			return netip.Addr{}, ctx.Err()
		}
		reasons = append(reasons, err.Error())
	}
	return netip.Addr{}, fmt.Errorf("%w from any IP-echo service: %s", ErrNoAddress, strings.Join(reasons, "; "))
}

// isPublic reports whether a can be reached from the internet as far as
// the address alone tells: global unicast and not private (RFC 1918, ULA).
func isPublic(a netip.Addr) bool { return a.IsGlobalUnicast() && !a.IsPrivate() }

func (r *publicRule) deps() Deps { return pollDeps }
