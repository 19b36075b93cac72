// Package dnspod publishes records with DNSPod's token API: DNSPod China
// (provider "dnspod", https://dnsapi.cn) and DNSPod international
// ("dnspod_com", https://api.dnspod.com), which speak the same protocol
// and differ only in endpoint and default line name.
//
// The id is the API token's ID and the token its secret; they travel
// together as the login_token form field. Zones are found with
// Domain.Info, records with Record.List, and written with Record.Create
// and Record.Modify. A remembered record id makes an address change one
// Record.Modify call. See NOTES.md for where this differs from the
// original client.
package dnspod

import (
	"errors"
	"strings"

	"github.com/ddns-go/ddns/publish"
)

// variant is one of the two DNSPod services.
type variant struct {
	name        string
	endpoint    string
	defaultLine string
}

var (
	china = variant{name: "dnspod", endpoint: "https://dnsapi.cn", defaultLine: "默认"}
	intl  = variant{name: "dnspod_com", endpoint: "https://api.dnspod.com", defaultLine: "default"}
)

func init() {
	for _, v := range []variant{china, intl} {
		publish.Register(publish.Info{
			Readable: true,
			Name:     v.name,
			ID:       "API token ID (DNSPod console → API Token)",
			Token:    "API token secret",
			Creates:  true,
			TTL:      true,
			Line:     true,
		}, v.new)
	}
}

// New builds a DNSPod China provider. id and token must be set.
func New(s publish.Settings) (publish.Provider, error) { return china.new(s) }

// NewCom builds a DNSPod international provider. id and token must be set.
func NewCom(s publish.Settings) (publish.Provider, error) { return intl.new(s) }

func (v variant) new(s publish.Settings) (publish.Provider, error) {
	switch {
	case strings.TrimSpace(s.ID) == "":
		return nil, errors.New(v.name + ": id must be configured (the API token ID)")
	case strings.TrimSpace(s.Token) == "":
		return nil, errors.New(v.name + ": token must be configured (the API token secret)")
	case strings.Contains(s.ID, ","):
		// login_token is "<id>,<token>": a comma in the id would be
		// misread by the server as the end of the id.
		return nil, errors.New(v.name + ": id must be the numeric API token ID, without a comma")
	}
	endpoint := s.Endpoint
	if endpoint == "" {
		endpoint = v.endpoint
	}
	a := &api{s: s, endpoint: strings.TrimSuffix(endpoint, "/"), defaultLine: v.defaultLine}
	return &publish.ZoneFlow{Name: v.name, API: a, Log: s.Log}, nil
}

// Prepare spells the configured line the way DNSPod does.
func (a *api) Prepare(r publish.Record) (publish.Record, error) {
	r.Line = normLine(r.Line)
	return r, nil
}
