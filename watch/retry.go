package watch

import (
	"net/netip"
	"time"

	"github.com/cenkalti/backoff/v4"

	"github.com/ddns-go/ddns/publish"
)

// Backoff between publish attempts of one record: 1 s, doubling, capped at
// 5 min, ±20 % jitter so many agents behind one outage do not retry in
// step, and no give-up while the address is still wanted.
const (
	retryInitial = time.Second
	retryMax     = 5 * time.Minute
	retryJitter  = 0.2
)

// pending is a record whose last publish failed. It lives in the record,
// so it survives reloads: a reload neither restarts the backoff nor
// retries a permanent failure unless the fingerprint changed.
type pending struct {
	addr        netip.Addr
	fingerprint string    // the Target.Fingerprint the failure happened with
	next        time.Time // not before
	permanent   bool      // retrying cannot help until the address or configuration changes
	attempts    int
	err         string // the last error, redacted
	b           *backoff.ExponentialBackOff
}

func newPending(addr netip.Addr, fingerprint string, initial, max time.Duration) *pending {
	return &pending{addr: addr, fingerprint: fingerprint, b: backoff.NewExponentialBackOff(
		backoff.WithInitialInterval(initial),
		backoff.WithMultiplier(2),
		backoff.WithMaxInterval(max),
		backoff.WithRandomizationFactor(retryJitter),
		backoff.WithMaxElapsedTime(0),
	)}
}

// failed records a failed attempt, logs it (each attempt at WARNING with
// the record, the attempt number, the error and when the next try is due;
// a permanent failure at ERROR, once) and returns when to try again (zero
// for a permanent failure).
func (p *pending) failed(t *Target, name string, err error, now time.Time) time.Time {
	p.attempts++
	p.err = t.redact(err.Error())
	if publish.IsPermanent(err) {
		p.permanent = true
		p.next = time.Time{}
		t.Log.Error().Msgf("Failed to update %s (attempt %d): %v; not retrying until the address or the configuration changes", name, p.attempts, err)
		return time.Time{}
	}
	wait := p.b.NextBackOff()
	if ra := publish.RetryAfter(err); ra > wait {
		wait = ra
	}
	p.next = now.Add(wait)
	t.Log.Warn().Msgf("Failed to update %s (attempt %d): %v; retrying in %v (at %s)", name, p.attempts, err,
		wait.Round(time.Millisecond), p.next.Format(time.TimeOnly))
	return p.next
}

func (t *Target) redact(s string) string {
	if t.Redact == nil {
		return s
	}
	return t.Redact(s)
}
