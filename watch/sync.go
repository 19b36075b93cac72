// Package watch decides when to look again and runs the sync: resolve the
// rules, compare with the state file, publish what changed.
package watch

import (
	"context"
	"errors"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/ddns-go/ddns/internal/state"
	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/resolve"
)

// Target is one configuration, ready to sync.
type Target struct {
	Label     string // where it came from, for logs
	Provider  string // canonical provider name
	Publisher publish.Provider
	HTTP      *http.Client // the provider's client; connections a network change may have broken are closed (dropConns)
	Readable  bool         // the provider reads before it writes (see publish.Info.Readable)
	// Concurrency is how many records are published at once when several
	// change together (0 = 1). The provider's HTTP client rate-limits
	// the requests themselves.
	Concurrency int
	Families    []Family
	TTL         int
	Line        string
	Extra       publish.Extra
	State       *state.State // nil = no state file; configurations may share one
	Log         zerolog.Logger
	// Fingerprint identifies the provider account and every option that
	// shapes a publish (provider, credentials, endpoint, proxy, TLS, TTL,
	// line, extra parameters), typically as a digest. Across a reload the
	// reactor keeps the running publisher, its HTTP client (rate-limiter
	// tokens, remembered zones) and a permanent failure verdict only while
	// the fingerprint stays the same; "" never matches. It must not hold a
	// credential in clear: it may end up in memory dumps, never in logs.
	Fingerprint string
	// Redact masks secrets in error texts handed to an Observer; nil =
	// errors are passed as they are.
	Redact func(string) string

	// unresolved remembers why a family had no address, so that a
	// long-running reactor reports a failing rule once, not every poll.
	unresolved map[resolve.Family]string
}

// Family pairs one family's rules with the domains that get its address.
type Family struct {
	Rules   resolve.Rules
	Domains []string
}

// Outcome counts what a sync did.
type Outcome struct {
	Published  int              // records written
	Current    int              // records already holding the address
	Failed     int              // records whose publish failed
	Unresolved []resolve.Family // families with domains but no address this round
}

// OK reports whether every record is now current.
func (o Outcome) OK() bool { return o.Failed == 0 && len(o.Unresolved) == 0 }

// Sync is the one-shot sync: it resolves each family independently (the
// original skipped IPv6 when IPv4 failed) and publishes every domain whose
// state differs, attempting all of them even when some fail. The state is
// updated only after the provider confirmed; saving it is the caller's job.
func Sync(ctx context.Context, t *Target) Outcome {
	var out Outcome
	t.each(ctx, &out, func(fam resolve.Family, domain string, addr netip.Addr) result {
		if t.current(fam, domain, addr, zerolog.InfoLevel) {
			return current
		}
		if err := t.publishRetrying(ctx, fam, domain, addr); err != nil {
			t.Log.Error().Msgf("Failed to update %s record for %s: %v", fam.RecordType(), domain, err)
			return failed
		}
		return published
	})
	return out
}

// result is what happened to one record in a sync.
type result int

const (
	current result = iota
	published
	failed
)

// One-shot retries: a run from cron should ride out a provider's brief
// hiccup (a 503, a 429 with a short Retry-After) but not hang; the next run
// tries again anyway, since the state is only updated on success.
const (
	oneShotAttempts = 3
	oneShotWait     = time.Second
	oneShotMaxWait  = 10 * time.Second
)

// publishRetrying publishes with up to oneShotAttempts attempts for
// transient errors, waiting 1 s, then 2 s, or what Retry-After asks (at
// most 10 s).
func (t *Target) publishRetrying(ctx context.Context, fam resolve.Family, domain string, addr netip.Addr) error {
	wait := oneShotWait
	for attempt := 1; ; attempt++ {
		_, err := t.publish(ctx, fam, domain, addr, true)
		if err == nil || publish.IsPermanent(err) || attempt == oneShotAttempts {
			return err
		}
		if ra := publish.RetryAfter(err); ra > wait {
			wait = ra
		}
		if wait > oneShotMaxWait {
			return err
		}
		t.Log.Warn().Msgf("%s[%s]: %v; retrying in %v", domain, fam.RecordType(), err, wait)
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
		wait *= 2
	}
}

// job is one record to sync with the address its rules gave.
type job struct {
	fam     resolve.Family
	domain  string
	addr    netip.Addr
	sources []string // the sources that agreed on addr (public); nil otherwise
}

// resolveJobs resolves every family that has domains and returns one job
// per domain; families without an address are counted in out.
func (t *Target) resolveJobs(ctx context.Context, out *Outcome) []job {
	var jobs []job
	total := 0
	for _, f := range t.Families {
		total += len(f.Domains)
		if len(f.Domains) == 0 {
			continue
		}
		if f.Rules.Disabled() {
			t.Log.Debug().Msgf("%v is disabled (index%d: false): %d domain(s) skipped", f.Rules.Family, f.Rules.Family, len(f.Domains))
			continue
		}
		addr, sources, err := f.Rules.ResolveSources(ctx)
		if err != nil {
			t.reportUnresolved(f.Rules, err)
			out.Unresolved = append(out.Unresolved, f.Rules.Family)
			continue
		}
		if _, was := t.unresolved[f.Rules.Family]; was {
			delete(t.unresolved, f.Rules.Family)
			t.Log.Info().Msgf("%v address found again: %s", f.Rules.Family, addr)
		}
		for _, d := range f.Domains {
			jobs = append(jobs, job{f.Rules.Family, d, addr, sources})
		}
	}
	if total == 0 {
		t.Log.Warn().Msg("no domains configured: set ipv4 and/or ipv6")
	}
	return jobs
}

// each resolves every family that has domains and calls fn for each of
// its domains with the address, up to t.Concurrency calls at a time, and
// counts the results in out.
func (t *Target) each(ctx context.Context, out *Outcome, fn func(resolve.Family, string, netip.Addr) result) {
	jobs := t.resolveJobs(ctx, out)
	var mu sync.Mutex
	var wg sync.WaitGroup
	slots := make(chan struct{}, max(t.Concurrency, 1))
	for _, j := range jobs {
		slots <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-slots; wg.Done() }()
			r := fn(j.fam, j.domain, j.addr)
			mu.Lock()
			defer mu.Unlock()
			out.count(r)
		}()
	}
	wg.Wait()
}

func (o *Outcome) count(r result) {
	switch r {
	case current:
		o.Current++
	case published:
		o.Published++
	case failed:
		o.Failed++
	}
}

// reportUnresolved logs why a family has no address, once per reason. A
// rule waiting for one interface (not created yet, or without an address
// yet: a PPP or VPN link at boot) is expected and said as such.
func (t *Target) reportUnresolved(rules resolve.Rules, err error) {
	fam := rules.Family
	msg := err.Error()
	waiting := ""
	var missing *resolve.MissingInterfaceError
	if errors.As(err, &missing) {
		waiting = missing.Name
	} else if d := rules.Deps(); errors.Is(err, resolve.ErrNoAddress) && len(d.Interfaces) == 1 && !d.Poll && !d.DefaultRoute {
		waiting = d.Interfaces[0]
	}
	// While waiting for one interface the reason may change (absent,
	// then up without an address): the wait is said once all the same.
	key := msg
	if waiting != "" {
		key = "waiting for " + waiting
	}
	if t.unresolved[fam] == key {
		t.Log.Debug().Msgf("still no %v address: %s", fam, msg)
		return
	}
	if t.unresolved == nil {
		t.unresolved = map[resolve.Family]string{}
	}
	t.unresolved[fam] = key
	if waiting != "" {
		t.Log.Warn().Msgf("waiting for %s: it has no %v address yet; its records are published when it has one", waiting, fam)
		t.Log.Debug().Msgf("%v: %s", fam, msg)
		return
	}
	t.Log.Error().Msgf("Fail to get %v address: %s; records left unchanged", fam, msg)
}

// current reports (and logs at level) whether the state file says domain
// already holds addr at this provider. The one-shot run logs it at INFO
// as the original did; the reactor at DEBUG, since every event would
// repeat it for every record.
func (t *Target) current(fam resolve.Family, domain string, addr netip.Addr, level zerolog.Level) bool {
	if t.State == nil {
		return false
	}
	e, ok := t.State.Get(state.Key(domain, fam.RecordType()))
	if !ok || e.Addr != addr.String() || (e.Provider != "" && e.Provider != t.Provider) {
		return false
	}
	if level == zerolog.InfoLevel {
		t.Log.Info().Msgf("%s[%s] address not changed, using cache: %s", domain, fam.RecordType(), addr)
	} else {
		t.Log.Debug().Msgf("%s[%s] unchanged: %s", domain, fam.RecordType(), addr)
	}
	return true
}

// publish sends one record to the provider and, on success, logs it and
// records it in the state. useHint passes the ids remembered in the state
// so the provider can update by id.
func (t *Target) publish(ctx context.Context, fam resolve.Family, domain string, addr netip.Addr, useHint bool) (publish.Result, error) {
	typ := fam.RecordType()
	key := state.Key(domain, typ)
	rec := publish.Record{Domain: domain, Type: typ, Addr: addr, TTL: t.TTL, Line: t.Line, Extra: t.Extra}
	if t.State != nil && useHint {
		if e, ok := t.State.Get(key); ok && (e.Provider == "" || e.Provider == t.Provider) {
			rec.Hint = publish.Hint{ZoneID: e.ZoneID, ZoneName: e.ZoneName, RecordID: e.RecordID}
		}
	}
	res, err := t.Publisher.Set(ctx, rec)
	if err != nil {
		return res, err
	}
	if res.Unchanged {
		t.Log.Info().Msgf("%s[%s] already holds %s at the provider", domain, typ, addr)
	} else {
		t.Log.Warn().Msgf("set %s[%v]: %s successfully.", domain, fam, addr)
	}
	if t.State != nil {
		t.State.Put(key, state.Entry{Addr: addr.String(), Provider: t.Provider, ZoneID: res.ZoneID, ZoneName: res.ZoneName, RecordID: res.RecordID, Updated: time.Now().UTC().Truncate(time.Second)})
	}
	return res, nil
}

// save writes the state file if it changed, logging a failure (a state
// file that cannot be written costs extra API calls, never an update).
func (t *Target) save(log zerolog.Logger) {
	if t.State == nil {
		return
	}
	if err := t.State.Save(); err != nil {
		log.Warn().Msgf("%v", err)
	}
}
