// Package he publishes to Hurricane Electric's free DNS (dns.he.net)
// through its dynamic DNS interface: one dyndns2-style POST to /nic/update
// per record, authenticated by the record's own DDNS key.
//
// HE.net cannot create records: the record must exist in the HE.net panel
// with dynamic DNS enabled, and its DDNS key is the token. TTL, line and
// extra parameters are not part of the protocol and are ignored.
package he

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/ddns-go/ddns/publish"
)

// DefaultEndpoint is HE.net's dynamic DNS server.
const DefaultEndpoint = "https://dyn.dns.he.net"

func init() {
	publish.Register(publish.Info{
		Rate:    1, // HE.net blocks clients that update too often
		Name:    "he",
		ID:      "must be empty",
		Token:   "the record's DDNS key (generated in the HE.net panel)",
		Creates: false,
		TTL:     false,
		Line:    false,
	}, New)
}

type provider struct {
	s   publish.Settings
	url string // <endpoint>/nic/update

	ignoredOnce sync.Once
}

// New validates the settings: id empty (HE.net identifies the record by
// its name and key alone, and the original client refuses an id too),
// token set, endpoint empty or an http(s) URL.
func New(s publish.Settings) (publish.Provider, error) {
	if s.ID != "" {
		return nil, errors.New("he: id must be empty: HE.net needs only the record's DDNS key, as token")
	}
	if s.Token == "" {
		return nil, errors.New("he: token must be configured (the record's DDNS key)")
	}
	base, err := publish.BaseURL(s.Endpoint, DefaultEndpoint)
	if err != nil {
		return nil, fmt.Errorf("he: %w", err)
	}
	return &provider{s: s, url: base + "/nic/update"}, nil
}

// Set sends one update. A "nochg" answer is success with Unchanged set; a
// host HE.net does not know fails permanently with publish.ErrCannotCreate.
// The hint is not used: the request is the same with or without ids.
func (p *provider) Set(ctx context.Context, r publish.Record) (publish.Result, error) {
	host := hostname(r.Domain)
	p.noteIgnored(r)
	body := publish.Form(publish.Extra{
		{Key: "hostname", Value: host},
		{Key: "myip", Value: r.Addr.String()},
		{Key: "password", Value: p.s.Token},
	})
	// No Accept header: the answer is plain text, and the original sends none.
	resp, err := p.s.Do(ctx, publish.Request{
		Method: http.MethodPost,
		URL:    p.url,
		Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}},
		Body:   []byte(body),
	})
	if err != nil {
		return publish.Result{}, fmt.Errorf("he: %s: %w", host, err)
	}
	a := ParseAnswer(resp.Body)
	if err := a.Err(resp); err != nil {
		return publish.Result{}, fmt.Errorf("he: %s: %w", host, err)
	}
	if len(a.Addrs) > 0 && !a.Has(r.Addr) {
		p.s.Log.Warn().Msgf("%s[%s]: HE.net answered %q to an update to %s", host, r.Type, a.Text, r.Addr)
	}
	return publish.Result{Unchanged: a.Code == "nochg"}, nil
}

// hostname turns the original's "sub~zone" / "sub+zone" spelling into the
// plain name HE.net knows ("@~example.com" → "example.com"); other names
// are sent as configured.
func hostname(domain string) string {
	for _, sep := range []string{"~", "+"} {
		if sub, zone, ok := strings.Cut(domain, sep); ok {
			return publish.FQDN(sub, strings.Trim(zone, ". "))
		}
	}
	return domain
}

// noteIgnored says once per provider that TTL, line and extra have no
// effect, so a user who set them is not left wondering.
func (p *provider) noteIgnored(r publish.Record) {
	if r.TTL == 0 && r.Line == "" && len(r.Extra) == 0 {
		return
	}
	p.ignoredOnce.Do(func() {
		p.s.Log.Info().Msg("he: HE.net dynamic DNS has no TTL, line or extra parameters: they are ignored (set the TTL in the HE.net panel)")
	})
}
