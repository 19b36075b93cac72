package watch

import (
	"context"
	"net/netip"
	"time"

	"github.com/cenkalti/backoff/v4"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/resolve"
)

// Backoff between publish attempts of one record: 1 s, doubling, capped at
// 5 min, ±20 % jitter so many agents behind one outage do not retry in
// step, and no give-up while the address is still wanted.
const (
	retryInitial = time.Second
	retryMax     = 5 * time.Minute
	retryJitter  = 0.2
)

// pending is a record whose last publish failed.
type pending struct {
	addr      netip.Addr
	next      time.Time // not before
	permanent bool      // retrying cannot help until the address or configuration changes
	attempts  int
	err       string // the last error, for the observer
	b         *backoff.ExponentialBackOff
}

func newPending(addr netip.Addr, initial, max time.Duration) *pending {
	return &pending{addr: addr, b: backoff.NewExponentialBackOff(
		backoff.WithInitialInterval(initial),
		backoff.WithMultiplier(2),
		backoff.WithMaxInterval(max),
		backoff.WithRandomizationFactor(retryJitter),
		backoff.WithMaxElapsedTime(0),
	)}
}

// sync is one reactor sync of a target. It publishes what differs from
// the state, honours pending retries (a newer address supersedes a pending
// one; a permanent failure waits for a new address or configuration), and
// returns the earliest time a retry is due. With reverify, records are
// re-read at providers that can be read (written only if different) and
// re-sent to the others when older than ForceAfter.
func (t *runTarget) sync(ctx context.Context, r *Reactor, reverify bool) (Outcome, time.Time) {
	var out Outcome
	var next time.Time
	now := time.Now()
	t.each(ctx, &out, func(fam resolve.Family, domain string, addr netip.Addr) result {
		key := publish.StateKey(domain, fam.RecordType())
		p := t.takePending(key, addr, domain, fam)
		force := reverify && (t.Readable || t.older(key, r.ForceAfter, now))
		if !force && t.current(fam, domain, addr) {
			t.report(r.Observer, fam, domain, addr, addr, current, nil, 0)
			return current
		}
		prev := t.publishedAddr(fam, domain)
		switch {
		case p != nil && p.permanent:
			t.putPending(key, p)
			t.report(r.Observer, fam, domain, addr, prev, failed, p, 0)
			return failed
		case p != nil && now.Before(p.next):
			t.putPending(key, p)
			t.mu.Lock()
			next = earliest(next, p.next)
			t.mu.Unlock()
			t.report(r.Observer, fam, domain, addr, prev, failed, p, 0)
			return failed
		}
		start := time.Now()
		if _, err := t.publish(ctx, fam, domain, addr, !force); err != nil {
			took := time.Since(start)
			if p == nil {
				p = newPending(addr, r.RetryInitial, r.RetryMax)
			}
			t.putPending(key, p)
			if n := p.failed(t, fam, domain, err, now); !n.IsZero() {
				t.mu.Lock()
				next = earliest(next, n)
				t.mu.Unlock()
			}
			t.report(r.Observer, fam, domain, addr, prev, failed, p, took)
			return failed
		}
		t.report(r.Observer, fam, domain, addr, prev, published, nil, time.Since(start))
		return published
	})
	t.save(r.Log)
	return out, next
}

// takePending removes and returns the pending retry of key, unless a newer
// address supersedes it (then it is dropped and nil returned).
func (t *runTarget) takePending(key string, addr netip.Addr, domain string, fam resolve.Family) *pending {
	t.mu.Lock()
	defer t.mu.Unlock()
	p := t.pending[key]
	delete(t.pending, key)
	if p != nil && p.addr != addr {
		t.Log.Info().Msgf("%s[%s]: %s supersedes the pending %s", domain, fam.RecordType(), addr, p.addr)
		return nil
	}
	return p
}

func (t *runTarget) putPending(key string, p *pending) {
	t.mu.Lock()
	t.pending[key] = p
	t.mu.Unlock()
}

// failed records a failed attempt and returns when to try again (zero for
// a permanent failure). The first failure is an error in the log; retries
// stay quiet at debug level until they succeed, so a long outage is
// reported once.
func (p *pending) failed(t *runTarget, fam resolve.Family, domain string, err error, now time.Time) time.Time {
	p.attempts++
	p.err = err.Error()
	typ := fam.RecordType()
	if publish.IsPermanent(err) {
		p.permanent = true
		t.Log.Error().Msgf("Failed to update %s record for %s: %v; not retrying until the address or the configuration changes", typ, domain, err)
		return time.Time{}
	}
	wait := p.b.NextBackOff()
	if ra := publish.RetryAfter(err); ra > wait {
		wait = ra
	}
	p.next = now.Add(wait)
	if p.attempts == 1 {
		t.Log.Error().Msgf("Failed to update %s record for %s: %v; retrying in %v", typ, domain, err, wait.Round(time.Millisecond))
	} else {
		t.Log.Debug().Msgf("attempt %d for %s[%s] failed: %v; next in %v", p.attempts, domain, typ, err, wait.Round(time.Millisecond))
	}
	return p.next
}

// older reports whether the record was last published before now-age.
func (t *runTarget) older(key string, age time.Duration, now time.Time) bool {
	if t.State == nil {
		return true
	}
	e, ok := t.State.Get(key)
	return !ok || e.Updated.IsZero() || now.Sub(e.Updated) >= age
}

func earliest(a, b time.Time) time.Time {
	if a.IsZero() || b.Before(a) {
		return b
	}
	return a
}
