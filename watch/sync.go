// Package watch decides when to look again and runs the sync: resolve the
// rules, compare with the state file, publish what changed.
package watch

import (
	"context"
	"net/netip"
	"time"

	"github.com/rs/zerolog"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/resolve"
)

// Target is one configuration, ready to sync.
type Target struct {
	Label     string // where it came from, for logs
	Provider  string // canonical provider name
	Publisher publish.Provider
	Families  []Family
	TTL       int
	Line      string
	Extra     publish.Extra
	State     *publish.State // nil = no state file
	Now       func() time.Time
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

// Sync resolves each family independently (the original skipped IPv6 when
// IPv4 failed) and publishes every domain whose state differs, attempting
// all of them even when some fail. The state is updated only after the
// provider confirmed; saving it is the caller's job.
func Sync(ctx context.Context, t *Target, log zerolog.Logger) Outcome {
	var out Outcome
	total := 0
	for _, f := range t.Families {
		total += len(f.Domains)
		if len(f.Domains) == 0 {
			continue
		}
		if f.Rules.Disabled() {
			log.Info().Msgf("%v is disabled (index%d: false): %d domain(s) skipped", f.Rules.Family, f.Rules.Family, len(f.Domains))
			continue
		}
		addr, err := f.Rules.Resolve(ctx)
		if err != nil {
			log.Error().Msgf("Fail to get %v address: %v; records left unchanged", f.Rules.Family, err)
			out.Unresolved = append(out.Unresolved, f.Rules.Family)
			continue
		}
		for _, d := range f.Domains {
			publishOne(ctx, t, f.Rules.Family, d, addr, log, &out)
		}
	}
	if total == 0 {
		log.Warn().Msg("no domains configured: set ipv4 and/or ipv6")
	}
	return out
}

func publishOne(ctx context.Context, t *Target, fam resolve.Family, domain string, addr netip.Addr, log zerolog.Logger, out *Outcome) {
	typ := fam.RecordType()
	key := publish.StateKey(domain, typ)
	rec := publish.Record{Domain: domain, Type: typ, Addr: addr, TTL: t.TTL, Line: t.Line, Extra: t.Extra}
	if t.State != nil {
		if e, ok := t.State.Get(key); ok && (e.Provider == "" || e.Provider == t.Provider) {
			if e.Addr == addr.String() {
				log.Info().Msgf("%s[%s] address not changed, using cache: %s", domain, typ, addr)
				out.Current++
				return
			}
			rec.Hint = publish.Hint{ZoneID: e.ZoneID, ZoneName: e.ZoneName, RecordID: e.RecordID}
		}
	}
	res, err := t.Publisher.Set(ctx, rec)
	if err != nil {
		log.Error().Msgf("Failed to update %s record for %s: %v", typ, domain, err)
		out.Failed++
		return
	}
	if res.Unchanged {
		out.Current++
		log.Info().Msgf("%s[%s] already holds %s at the provider", domain, typ, addr)
	} else {
		out.Published++
		log.Warn().Msgf("set %s[%v]: %s successfully.", domain, fam, addr)
	}
	if t.State != nil {
		now := time.Now
		if t.Now != nil {
			now = t.Now
		}
		t.State.Put(key, publish.Entry{Addr: addr.String(), Provider: t.Provider, ZoneID: res.ZoneID, ZoneName: res.ZoneName, RecordID: res.RecordID, Updated: now().UTC().Truncate(time.Second)})
	}
}
