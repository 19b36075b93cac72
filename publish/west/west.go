// Package west publishes to West.cn (西部数码; 35.cn runs the same API)
// through its "dnsrec.update" call, which creates the record or updates it
// in one request: POST <endpoint> with act=dnsrec.update, domain (the
// zone), hostname (the sub-domain, "@" for the apex), record_value, an
// optional record_line and the credentials. The record type follows from
// the address; TTL cannot be set through this call.
//
// Credentials come in two forms. Account mode (id set): username = id and
// apikey = token, the MD5 hex of the account's API password. Domain mode
// (id empty): apidomainkey = token, the MD5 hex of the domain's management
// password, valid for that domain only. The user computes the digest; it is
// sent verbatim.
//
// West has no zone lookup: the zone is found by trying the update itself,
// shortest zone first, moving on only when West answers code 404 (domain
// not in this account), as the original client does. The zone that worked
// is returned in Result.ZoneName, so with the state file a later change
// costs exactly one request.
package west

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"sync"

	"github.com/ddns-go/ddns/publish"
)

// DefaultEndpoint is West.cn's domain DNS API. 35.cn users set
// https://api.35.cn/API/v2/domain/dns/ instead.
const DefaultEndpoint = "https://api.west.cn/API/v2/domain/dns/"

// apiPath is appended to an endpoint given without a path
// ("https://api.35.cn"), which could never work as is.
const apiPath = "/API/v2/domain/dns/"

func init() {
	publish.Register(publish.Info{
		Rate:    1, // West.cn asks clients to space updates out
		Name:    "west",
		ID:      "West.cn user name (account API key); empty for a domain's own key",
		Token:   "account: API key = MD5 hex of the API password; domain: the domain's apidomainkey (MD5 hex of its management password)",
		Creates: true,
		TTL:     false,
		Line:    true,
	}, New)
}

// md5Hex is what both kinds of West key look like. Anything else is most
// likely the password itself, which West rejects.
var md5Hex = regexp.MustCompile(`^[0-9a-fA-F]{32}$`)

type provider struct {
	s   publish.Settings
	url string

	ignoredOnce sync.Once
}

// New validates the settings: token set, endpoint empty or an http(s)
// URL. A token that is not 32 hex digits is accepted with a warning: West
// documents MD5 digests, but the check is West's to make.
func New(s publish.Settings) (publish.Provider, error) {
	if s.Token == "" {
		return nil, errors.New("west: token must be configured (the API key with id = user name, or the domain's apidomainkey with an empty id)")
	}
	endpoint := s.Endpoint
	if endpoint == "" {
		endpoint = DefaultEndpoint
	}
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("west: endpoint %q is not an http(s) URL", endpoint)
	}
	if u.Path == "" || u.Path == "/" {
		endpoint = strings.TrimSuffix(endpoint, "/") + apiPath
	}
	if !md5Hex.MatchString(s.Token) {
		s.Log.Warn().Msg("west: token is not 32 hex digits: West expects the MD5 digest of the API password (or of the domain's management password), not the password itself")
	}
	return &provider{s: s, url: endpoint}, nil
}

// candidate is one (zone, hostname) split of a domain to try.
type candidate struct{ zone, host string }

// Set sends dnsrec.update for each candidate split until West accepts one
// or answers something other than "domain not found". A remembered zone
// (r.Hint.ZoneName) is tried first. Result.Unchanged is never set: the
// call always writes.
func (p *provider) Set(ctx context.Context, r publish.Record) (publish.Result, error) {
	p.noteIgnored(r)
	cands, err := candidates(r.Domain)
	if err != nil {
		return publish.Result{}, publish.Permanent(fmt.Errorf("west: %w", err))
	}
	cands = hintFirst(cands, r.Hint.ZoneName)
	var missing []string
	for _, c := range cands {
		id, err := p.update(ctx, c, r)
		if errors.Is(err, errNoDomain) {
			p.s.Log.Debug().Msgf("west: %s: zone %s is not in this account", r.Domain, c.zone)
			missing = append(missing, c.zone)
			continue
		}
		if err != nil {
			return publish.Result{}, fmt.Errorf("west: %s: %w", r.Domain, err)
		}
		p.s.Log.Debug().Msgf("west: %s[%s]: record %s in zone %s holds %s", r.Domain, r.Type, id, c.zone, r.Addr)
		return publish.Result{ZoneName: c.zone, RecordID: id}, nil
	}
	return publish.Result{}, publish.Permanent(fmt.Errorf("west: %s: no zone for it in this account (West answered 404 for %s)", r.Domain, strings.Join(missing, ", ")))
}

// candidates lists the splits of domain in the order the original client
// tries them. "sub~zone" or "sub+zone" ("~" first) names the zone: one
// candidate. Otherwise, for labels L0…Ln-1: two labels or fewer are the
// apex of a zone; longer names try the longest sub-domain (shortest zone)
// first, down to the first label alone, then the whole name as a zone's
// apex (e.g. example.com.cn).
func candidates(domain string) ([]candidate, error) {
	domain = strings.ToLower(domain)
	for _, sep := range []string{"~", "+"} {
		if sub, zone, ok := strings.Cut(domain, sep); ok {
			zone = strings.Trim(zone, ". ")
			if zone == "" {
				return nil, fmt.Errorf("%s names no zone after %q", domain, sep)
			}
			if sub = strings.Trim(sub, ". "); sub == "" {
				sub = "@" // the original sends an empty hostname here
			}
			return []candidate{{zone, sub}}, nil
		}
	}
	labels := strings.Split(domain, ".")
	for _, l := range labels {
		if l == "" {
			return nil, fmt.Errorf("%q is not a domain name", domain)
		}
	}
	if len(labels) < 2 {
		return nil, fmt.Errorf("%q is not a domain name", domain)
	}
	var out []candidate
	for i := len(labels) - 2; i >= 1; i-- {
		out = append(out, candidate{strings.Join(labels[i:], "."), strings.Join(labels[:i], ".")})
	}
	return append(out, candidate{domain, "@"}), nil
}

// hintFirst moves the candidate in the remembered zone to the front; a
// hint that matches no candidate (another domain's, or a corrupt state
// file) is ignored.
func hintFirst(cands []candidate, zone string) []candidate {
	for i, c := range cands {
		if i > 0 && c.zone == zone {
			out := append([]candidate{c}, cands[:i]...)
			return append(out, cands[i+1:]...)
		}
	}
	return cands
}

// noteIgnored says once per provider that TTL and extra parameters have no
// effect, so a user who set them is not left wondering.
func (p *provider) noteIgnored(r publish.Record) {
	if r.TTL == 0 && len(r.Extra) == 0 {
		return
	}
	p.ignoredOnce.Do(func() {
		p.s.Log.Info().Msg("west: West.cn's dnsrec.update takes no TTL or extra parameters: they are ignored (set the TTL in the West.cn panel)")
	})
}
