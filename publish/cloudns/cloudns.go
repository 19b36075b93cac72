// Package cloudns publishes records with the ClouDNS HTTP API
// (https://api.cloudns.net, JSON variants).
//
// Every call is a POST of a form carrying the API user's credentials:
// auth-id (or a sub-user's sub-auth-id / sub-auth-user) and auth-password.
// Zones are found with get-zone-info, longest candidate first, so
// a.example.co.uk lands in example.co.uk; records are listed with
// records.json and written with add-record and mod-record. A remembered
// record id makes an address change one mod-record call. See NOTES.md for
// where this differs from the original client.
package cloudns

import (
	"errors"
	"strings"

	"github.com/ddns-go/ddns/publish"
)

// DefaultEndpoint is the API's base URL; every path starts with /dns/.
const DefaultEndpoint = "https://api.cloudns.net"

func init() {
	publish.Register(publish.Info{
		Rate:     10, // ClouDNS blocks more than 20 requests a second per IP
		Readable: true,
		Name:     "cloudns",
		ID:       "API user auth-id; sub:<id> or sub:<name> for an API sub-user",
		Token:    "the API user's auth-password",
		Creates:  true,
		TTL:      true,
		Line:     false,
	}, New)
}

// New builds a ClouDNS provider. id must be the numeric auth-id of an API
// user, or "sub:" followed by a sub-user's numeric id or name; token is
// that user's password.
func New(s publish.Settings) (publish.Provider, error) {
	cred, err := parseID(s.ID)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(s.Token) == "" {
		return nil, errors.New("cloudns: token must be configured (the API user's auth-password)")
	}
	endpoint := s.Endpoint
	if endpoint == "" {
		endpoint = DefaultEndpoint
	}
	a := &api{s: s, endpoint: strings.TrimSuffix(endpoint, "/"), cred: cred}
	return &publish.ZoneFlow{Name: "cloudns", API: a, Log: s.Log}, nil
}

// Prepare rounds the configured TTL to one ClouDNS offers, so that an
// unchanged record is recognised as such.
func (a *api) Prepare(r publish.Record) (publish.Record, error) {
	if r.TTL > 0 {
		r.TTL = roundTTL(r.TTL)
	}
	return r, nil
}
