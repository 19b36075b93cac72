package resolve

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"
)

// PublicConfig is the `public` setting: which sources to ask and how many
// must agree. The zero value means the default set, DefaultAgree and
// DefaultPublicTimeout.
type PublicConfig struct {
	// Sources are dns:, doh: and url: rules (a bare http(s) URL means
	// url:). nil: the preset's set, or DefaultPublic.
	Sources []string
	// Agree is how many sources must give the same address. 0: DefaultAgree.
	Agree int
	// Timeout bounds a whole detection of one family. 0: DefaultPublicTimeout.
	Timeout time.Duration
	// Preset picks a built-in source set: "" (worldwide) or "cn" (sources
	// reachable from mainland China). Sources, when set, replace it.
	Preset string
}

const (
	// DefaultAgree is how many sources must agree on the public address.
	DefaultAgree = 2
	// DefaultPublicTimeout bounds one detection of one family.
	DefaultPublicTimeout = 5 * time.Second
	// stagger is how long a detection waits for the sources in flight
	// before it asks one more: long enough for a healthy echo to answer,
	// short enough that a hanging one costs little of the budget.
	stagger = 300 * time.Millisecond
	// reuseFor bounds how long a detection serves the other rules sharing
	// it in the same round (several configurations synced one after
	// another).
	reuseFor = 30 * time.Second
)

// Public detects the public address by agreement between independent
// sources. One Public is shared by the `public` rules of every
// configuration that uses the same settings, so that the records of one
// round cost one detection per family. It is safe for concurrent use.
type Public struct {
	agree   int
	budget  time.Duration
	stagger time.Duration
	sources map[Family][]Rule
	warn    func(msg string) // Options.Warn

	mu       sync.Mutex
	rounds   map[Family]*round
	lastWarn map[Family]string
}

// round is one detection and the rules it has served.
type round struct {
	done     chan struct{} // closed when the detection has ended
	ended    time.Time     // zero while running or when not reusable
	seen     map[*publicRule]bool
	addr     netip.Addr
	agreed   []string
	err      error
	finished bool
}

// NewPublic checks the sources of cfg for both families with o (HTTP
// client, per-request timeout, where a disagreement is reported). A source that can only reach its server
// over one family (a literal server address) is skipped for the other.
func NewPublic(cfg PublicConfig, o Options) (*Public, error) {
	p := &Public{agree: cfg.Agree, budget: cfg.Timeout, stagger: stagger, warn: o.Warn,
		sources: map[Family][]Rule{}, rounds: map[Family]*round{}, lastWarn: map[Family]string{}}
	if p.agree == 0 {
		p.agree = DefaultAgree
	}
	if p.agree < 1 || p.agree > 9 {
		return nil, fmt.Errorf("public agree must be from 1 to 9, not %d", cfg.Agree)
	}
	if p.budget == 0 {
		p.budget = DefaultPublicTimeout
	}
	if p.budget < 0 {
		return nil, fmt.Errorf("public timeout must be positive")
	}
	for _, fam := range []Family{V4, V6} {
		list := cfg.Sources
		if list == nil {
			var err error
			if list, err = presetSources(cfg.Preset, fam); err != nil {
				return nil, err
			}
		}
		for _, s := range list {
			src, err := parseSource(fam, s, o)
			if errors.Is(err, errOtherFamily) {
				continue
			}
			if err != nil {
				return nil, fmt.Errorf("public source: %v", err)
			}
			p.sources[fam] = append(p.sources[fam], src)
		}
	}
	return p, nil
}

// parseSource reads one source of `public`.
func parseSource(fam Family, s string, o Options) (Rule, error) {
	s = strings.TrimSpace(s)
	switch {
	case strings.HasPrefix(s, "dns:"):
		return ruleOrError(newDNS(fam, s, o))
	case strings.HasPrefix(s, "doh:"):
		return ruleOrError(newDoH(fam, s, o))
	case strings.HasPrefix(s, "url:"):
		return newURL(fam, s, o)
	case strings.HasPrefix(s, "http://"), strings.HasPrefix(s, "https://"):
		return newURL(fam, "url:"+s, o)
	}
	return nil, fmt.Errorf("%q is not a dns:, doh:, url: or http(s) source", clip(s, 60))
}

// ruleOrError keeps a typed nil pointer out of the Rule interface.
func ruleOrError[R Rule](r R, err error) (Rule, error) {
	if err != nil {
		return nil, err
	}
	return r, nil
}

// Sources returns the sources asked for fam, in order.
func (p *Public) Sources(fam Family) []string {
	var out []string
	for _, s := range p.sources[fam] {
		out = append(out, s.String())
	}
	return out
}

// publicRule is `public`: the agreement of several sources (Public).
type publicRule struct {
	fam Family
	p   *Public

	mu     sync.Mutex
	agreed []string
}

func newPublic(fam Family, o Options) (Rule, error) {
	p := o.Public
	if p == nil {
		var err error
		if p, err = NewPublic(PublicConfig{}, o); err != nil {
			return nil, fmt.Errorf("rule \"public\": %v", err)
		}
	}
	if n := len(p.sources[fam]); n < p.agree {
		return nil, fmt.Errorf("rule \"public\": %d %v source(s) cannot give %d agreeing answers", n, fam, p.agree)
	}
	return &publicRule{fam: fam, p: p}, nil
}

func (r *publicRule) String() string { return "public" }

// deps: the public address can change with no local event (polled), and
// it typically changes with a reconnect, which shows up as an address
// change or a default-route change; both trigger a new detection at once.
func (r *publicRule) deps() Deps { return pollDeps }

// AgreedSources implements SourceReporter.
func (r *publicRule) AgreedSources() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.agreed)
}

// SourceReporter is implemented by rules that confirm their answer with
// several sources (`public`): AgreedSources names the sources whose
// answers agreed in the rule's latest evaluation, nil if it found no
// address (or before the first).
type SourceReporter interface {
	AgreedSources() []string
}

func (r *publicRule) Resolve(ctx context.Context) (netip.Addr, error) {
	a, agreed, err := r.p.resolve(ctx, r.fam, r)
	r.mu.Lock()
	r.agreed = agreed
	r.mu.Unlock()
	return a, err
}

// resolve serves one round: a rule that has not yet used the latest
// detection (running, or ended less than reuseFor ago) shares it; a rule
// that has starts a new one.
func (p *Public) resolve(ctx context.Context, fam Family, who *publicRule) (netip.Addr, []string, error) {
	p.mu.Lock()
	rd := p.rounds[fam]
	if rd != nil && !rd.seen[who] && (!rd.finished || (!rd.ended.IsZero() && time.Since(rd.ended) < reuseFor)) {
		rd.seen[who] = true
		p.mu.Unlock()
		select {
		case <-rd.done:
			return rd.addr, rd.agreed, rd.err
		case <-ctx.Done():
			return netip.Addr{}, nil, ctx.Err()
		}
	}
	rd = &round{done: make(chan struct{}), seen: map[*publicRule]bool{who: true}}
	p.rounds[fam] = rd
	p.mu.Unlock()

	a, agreed, err := p.detect(ctx, fam)

	p.mu.Lock()
	rd.addr, rd.agreed, rd.err, rd.finished = a, agreed, err, true
	if ctx.Err() == nil {
		rd.ended = time.Now()
	}
	p.mu.Unlock()
	close(rd.done)
	return a, agreed, err
}

// detect asks the sources of fam, hedged: agree+1 at once, one more
// whenever one fails or the leading answer still lacks votes with too few
// in flight, and one more every stagger while none of that happens. It
// stops at the first address agree sources gave, or when the budget is
// spent.
func (p *Public) detect(ctx context.Context, fam Family) (netip.Addr, []string, error) {
	srcs := p.sources[fam]
	ctx, cancel := context.WithTimeout(ctx, p.budget)
	defer cancel()
	type result struct {
		i   int
		a   netip.Addr
		err error
	}
	results := make(chan result, len(srcs)) // never blocks a late source
	status := make([]string, len(srcs))
	votes := map[netip.Addr][]int{}
	next, running, best := 0, 0, 0
	start := func() {
		i := next
		next++
		running++
		status[i] = "no answer in time"
		go func() {
			a, err := srcs[i].Resolve(ctx)
			if err == nil && !isPublic(a) {
				err = fmt.Errorf("answered %v, which is not a public address", a)
			}
			results <- result{i, a, err}
		}()
	}
	for next < min(p.agree+1, len(srcs)) {
		start()
	}
	tick := time.NewTimer(p.stagger)
	defer tick.Stop()
loop:
	for running > 0 || next < len(srcs) {
		if running == 0 {
			start()
		}
		select {
		case r := <-results:
			running--
			if r.err != nil {
				status[r.i] = "failed (" + clip(r.err.Error(), 120) + ")"
				if next < len(srcs) {
					start()
				}
				continue
			}
			status[r.i] = r.a.String()
			votes[r.a] = append(votes[r.a], r.i)
			if n := len(votes[r.a]); n >= p.agree {
				var agreed []string
				for _, i := range votes[r.a] {
					agreed = append(agreed, srcs[i].String())
				}
				return r.a, agreed, nil
			} else if n > best {
				best = n
			}
			for running < p.agree-best && next < len(srcs) {
				start()
			}
		case <-tick.C:
			if next < len(srcs) {
				start()
			}
			tick.Reset(p.stagger)
		case <-ctx.Done():
			break loop
		}
	}
	if err := context.Cause(ctx); ctx.Err() != nil && !errors.Is(err, context.DeadlineExceeded) {
		return netip.Addr{}, nil, err
	}
	var report []string
	for i, s := range srcs {
		if status[i] == "" {
			status[i] = "not asked"
		}
		report = append(report, s.String()+": "+status[i])
	}
	details := strings.Join(report, "; ")
	if len(votes) > 1 {
		msg := fmt.Sprintf("public %v: the sources disagree, nothing is published: %s", fam, details)
		if p.warn == nil {
			return netip.Addr{}, nil, fmt.Errorf("%w: %s", ErrNoAddress, msg)
		}
		p.warnOnce(fam, msg, votes)
		return netip.Addr{}, nil, fmt.Errorf("%w: public %v: the sources disagree (%d different answers, see the warning), nothing is published", ErrNoAddress, fam, len(votes))
	}
	return netip.Addr{}, nil, fmt.Errorf("%w: public %v: fewer than %d sources agreed within %v: %s", ErrNoAddress, fam, p.agree, p.budget, details)
}

// warnOnce logs a disagreement unless the same answers were already
// reported last time: a lasting split warns once, not every poll.
func (p *Public) warnOnce(fam Family, msg string, votes map[netip.Addr][]int) {
	var key []string
	for a, srcs := range votes {
		key = append(key, fmt.Sprint(a, srcs))
	}
	slices.Sort(key)
	k := strings.Join(key, ",")
	p.mu.Lock()
	repeated := p.lastWarn[fam] == k
	p.lastWarn[fam] = k
	p.mu.Unlock()
	if !repeated {
		p.warn(msg)
	}
}

// notPublic are ranges that global-unicast tests let through but that no
// echo can honestly answer: shared address space (CGNAT), documentation,
// benchmarking, reserved, IETF protocol assignments, NAT64 and site-local.
var notPublic = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("192.0.2.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("203.0.113.0/24"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("64:ff9b::/96"),
	netip.MustParsePrefix("64:ff9b:1::/48"),
	netip.MustParsePrefix("2001:db8::/32"),
	netip.MustParsePrefix("3fff::/20"),
	netip.MustParsePrefix("fec0::/10"),
}

// isPublic reports whether a can be reached from the internet as far as
// the address alone tells: global unicast, not private (RFC 1918, ULA) and
// in none of the notPublic ranges.
func isPublic(a netip.Addr) bool {
	a = a.Unmap()
	if !a.IsGlobalUnicast() || a.IsPrivate() {
		return false
	}
	for _, p := range notPublic {
		if p.Contains(a) {
			return false
		}
	}
	return true
}
