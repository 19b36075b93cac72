// Package cloudflare publishes records through the Cloudflare API v4
// (notes: docs/providers.md).
//
// With an empty id the token is an API token, sent as
// "Authorization: Bearer"; with an id (the account e-mail) the token is the
// Global API Key, sent as X-Auth-Email and X-Auth-Key. Records go through
// the shared zone flow: the zone by name, the record by exact name and
// type, POST to create, PUT to update a record just read, and PATCH to
// update a record by the id remembered in the state file (one call).
//
// Extras are record fields (proxied, comment, tags, settings, …) merged
// into the create and update bodies; see NOTES.md for the differences from
// the original client.
package cloudflare

import (
	"errors"
	"strings"

	"github.com/ddns-go/ddns/publish"
)

func init() {
	publish.Register(publish.Info{
		Rate:     3, // Cloudflare allows 1200 requests per 5 minutes (4/s) per user
		Readable: true,
		Name:     "cloudflare",
		ID:       "empty for an API token; the account e-mail for the Global API Key",
		Token:    "API token (Zone:Read + DNS:Edit), or the Global API Key when id is set",
		Creates:  true,
		TTL:      true,
		Line:     false,
	}, New)
}

// DefaultEndpoint is the API's base URL; every path starts with /client/v4.
const DefaultEndpoint = "https://api.cloudflare.com"

// New checks the credentials: a token is required, and an id, when given,
// must be the account e-mail.
func New(s publish.Settings) (publish.Provider, error) {
	if s.Token == "" {
		return nil, errors.New("cloudflare: token must be configured (an API token, or the Global API Key with id = account e-mail)")
	}
	if s.ID != "" && !strings.Contains(s.ID, "@") {
		return nil, errors.New("cloudflare: id must be empty (API token) or the account e-mail (Global API Key)")
	}
	endpoint := s.Endpoint
	if endpoint == "" {
		endpoint = DefaultEndpoint
	}
	// A trailing slash would make "//client/v4" (the original sent that).
	c := &client{s: s, base: strings.TrimRight(endpoint, "/") + "/client/v4"}
	return &publish.ZoneFlow{Name: "cloudflare", API: &api{c: c}, Log: s.Log}, nil
}
