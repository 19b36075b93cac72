// Package duckdns publishes to Duck DNS (www.duckdns.org) through its
// update URL (https://www.duckdns.org/spec.jsp): one GET of
// /update?domains=<subname>&token=<token>&ip=<address>&verbose=true per
// record, answered "OK" or "KO" in plain text.
//
// A domain is <subname>.duckdns.org (names below it resolve to the same
// addresses, so the label before duckdns.org is the one updated). Duck DNS
// holds one A and one AAAA address per subname; the ip parameter takes
// either family. Records cannot be created, and there are no TTL, line or
// extra parameters.
package duckdns

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/ddns-go/ddns/publish"
)

// DefaultEndpoint is Duck DNS's server.
const DefaultEndpoint = "https://www.duckdns.org"

// suffix ends every Duck DNS domain.
const suffix = ".duckdns.org"

func init() {
	publish.Register(publish.Info{
		Rate:  1, // a free service: be gentle
		Name:  "duckdns",
		ID:    "must be empty",
		Token: "the account token (shown on duckdns.org after logging in)",
	}, New)
}

type provider struct {
	s   publish.Settings
	url string // <endpoint>/update
}

// New validates the settings: id empty, token set, endpoint empty or an
// http(s) URL.
func New(s publish.Settings) (publish.Provider, error) {
	base, err := publish.TokenOnly("duckdns", s, DefaultEndpoint, "the account token")
	if err != nil {
		return nil, err
	}
	return &provider{s: s, url: base + "/update"}, nil
}

// Set sends one update. "OK" is success, Unchanged when the verbose
// answer says NOCHANGE; "KO" (a wrong token, or a subname of another
// account) fails permanently.
func (p *provider) Set(ctx context.Context, r publish.Record) (publish.Result, error) {
	sub, err := subname(r.Domain)
	if err != nil {
		return publish.Result{}, fmt.Errorf("duckdns: %w", err)
	}
	query := publish.Form(publish.Extra{
		{Key: "domains", Value: sub},
		{Key: "token", Value: p.s.Token},
		{Key: "ip", Value: r.Addr.String()},
		{Key: "verbose", Value: "true"},
	})
	resp, err := p.s.Do(ctx, publish.Request{Method: http.MethodGet, URL: p.url + "?" + query})
	if err == nil {
		err = resp.Err()
	}
	if err != nil {
		return publish.Result{}, fmt.Errorf("duckdns: %s: %w", sub, err)
	}
	lines := strings.Fields(string(resp.Body))
	switch {
	case len(lines) > 0 && lines[0] == "OK":
		return publish.Result{Unchanged: lines[len(lines)-1] == "NOCHANGE"}, nil
	case len(lines) > 0 && lines[0] == "KO":
		return publish.Result{}, publish.Permanent(fmt.Errorf("duckdns: %s: the service answered KO: check the token, and that %s is a domain of this account", sub, r.Domain))
	}
	return publish.Result{}, fmt.Errorf("duckdns: %s: unexpected answer %.100q", sub, resp.Body)
}

// subname is the label before .duckdns.org: "home.duckdns.org" and
// "www.home.duckdns.org" are both "home".
func subname(domain string) (string, error) {
	domain = strings.NewReplacer("~", ".", "+", ".").Replace(strings.ToLower(domain))
	rest, ok := strings.CutSuffix(domain, suffix)
	if !ok || rest == "" {
		return "", publish.Permanent(fmt.Errorf("%s is not a Duck DNS domain (<name>%s)", domain, suffix))
	}
	return rest[strings.LastIndexByte(rest, '.')+1:], nil
}
