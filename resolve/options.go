package resolve

import (
	"context"
	"net/http"
	"time"

	"github.com/ddns-go/ddns/platform"
)

// Lister reads the machine's interfaces and addresses. Implementations must
// be safe for concurrent use. platform.List is the real one; tests supply
// fakes, or platform.ListNetns to look into a network namespace.
type Lister interface {
	List(ctx context.Context) (platform.Snapshot, error)
}

// ListerFunc adapts a function to Lister.
type ListerFunc func(ctx context.Context) (platform.Snapshot, error)

// List calls f.
func (f ListerFunc) List(ctx context.Context) (platform.Snapshot, error) { return f(ctx) }

// Options are what parsed rules use to reach the machine and the network.
// The zero value means the real machine and the defaults below. Options are
// captured at parse time and never changed afterwards.
type Options struct {
	// Lister lists interfaces and addresses for the N, local, iface:,
	// NAME, regex:, prefix: and default rules, and tells Parse whether a
	// bare word names an existing interface. nil: platform.List.
	Lister Lister
	// HTTPClient is used by url: and public. nil: a plain client with the
	// system's proxy and roots.
	HTTPClient *http.Client
	// Warn, when set, receives the one warning a disagreement between
	// public sources produces (naming every source and its answer); it is
	// given to NewPublic. nil: the details go into the rule's error instead.
	Warn func(msg string)
	// Public is the detector `public` rules share (NewPublic). nil: each
	// `public` rule gets its own, with the default sources.
	Public *Public
	// Timeout bounds each HTTP request, each command and each interface
	// listing, on top of the caller's context. 0: DefaultTimeout.
	Timeout time.Duration
}

func (o Options) lister() Lister {
	if o.Lister != nil {
		return o.Lister
	}
	return ListerFunc(platform.List)
}

func (o Options) timeout() time.Duration {
	if o.Timeout > 0 {
		return o.Timeout
	}
	return DefaultTimeout
}
