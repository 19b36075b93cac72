// Package namesilo publishes records through NameSilo's API
// (https://www.namesilo.com/api-reference; notes: docs/providers.md).
//
// The token is the account's API key, sent as the key query parameter of
// every request; the id is not used. Zones are found with getDomainInfo,
// records with dnsListRecords, and written with dnsAddRecord and
// dnsUpdateRecord, all GET requests answering JSON. A remembered record
// id makes an address change one dnsUpdateRecord call. See NOTES.md for
// where this differs from the original client.
package namesilo

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/ddns-go/ddns/publish"
)

// DefaultEndpoint is NameSilo's API host; operations live under /api/.
const DefaultEndpoint = "https://www.namesilo.com"

func init() {
	publish.Register(publish.Info{
		Rate:     1, // NameSilo publishes no limit and answers bursts with 503
		Readable: true,
		Name:     "namesilo",
		ID:       "not used (leave empty)",
		Token:    "API key (NameSilo account → API Manager)",
		Creates:  true,
		TTL:      true,
		Line:     false,
	}, New)
}

// New checks the settings: the token (API key) is required, the endpoint
// must be empty or an http(s) URL. An id is ignored with a warning, as in
// the original client.
func New(s publish.Settings) (publish.Provider, error) {
	if strings.TrimSpace(s.Token) == "" {
		return nil, errors.New("namesilo: token must be configured (the API key from NameSilo's API Manager)")
	}
	endpoint := s.Endpoint
	if endpoint == "" {
		endpoint = DefaultEndpoint
	}
	if u, err := url.Parse(endpoint); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("namesilo: endpoint %q is not an http(s) URL", endpoint)
	}
	if s.ID != "" {
		s.Log.Warn().Msg("namesilo: id is not used (NameSilo needs only the API key, as token); ignoring it")
	}
	// A trailing slash would make the original's "//api/<operation>".
	a := &api{s: s, endpoint: strings.TrimSuffix(endpoint, "/")}
	return &publish.ZoneFlow{Name: "namesilo", API: a, Log: s.Log}, nil
}

// Prepare says once per provider that line and extra have no effect:
// NameSilo's API has no such parameters.
func (a *api) Prepare(r publish.Record) (publish.Record, error) {
	if r.Line != "" || len(r.Extra) != 0 {
		a.ignoredOnce.Do(func() {
			a.s.Log.Info().Msg("namesilo: NameSilo's API has no line or extra parameters: they are ignored")
		})
	}
	return r, nil
}
