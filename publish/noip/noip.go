// Package noip publishes to No-IP (noip.com) through its dynamic DNS
// update API, the dyndns2 protocol: one GET of /nic/update per record,
// authenticated by HTTP Basic auth with the account (or DDNS key) user
// name and password.
//
// No-IP cannot create host names: they must exist in the No-IP account.
// TTL, line and extra parameters are not part of the protocol and are
// ignored.
package noip

import (
	"fmt"
	"strings"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/dyndns2"
)

// DefaultEndpoint is No-IP's update server.
const DefaultEndpoint = "https://dynupdate.no-ip.com"

// updatePath is fixed, as in the original: an endpoint names the server.
const updatePath = "/nic/update"

func init() {
	publish.Register(publish.Info{
		Rate:    1, // No-IP blocks clients that update too often
		Name:    "noip",
		ID:      "the No-IP user name, or the DDNS key's user name",
		Token:   "the No-IP password, or the DDNS key's password",
		Creates: false,
		TTL:     false,
		Line:    false,
	}, New)
}

// New validates the settings: id and token set, endpoint empty or an
// http(s) URL naming a dyndns2 server (the original requires "://"); the
// update path /nic/update is appended to it.
func New(s publish.Settings) (publish.Provider, error) {
	endpoint := s.Endpoint
	if endpoint == "" {
		endpoint = DefaultEndpoint
	}
	if !strings.Contains(endpoint, "://") {
		// Not quoted: a "user:password@host" mistake would show the password.
		return nil, fmt.Errorf("noip: endpoint must be a URL such as %s", DefaultEndpoint)
	}
	return dyndns2.NewClient(s, dyndns2.Config{Name: "noip", Service: "No-IP", URL: updateURL(endpoint)})
}

// updateURL appends the update path to the endpoint. A trailing slash is
// dropped (the original would request "//nic/update"), and an endpoint
// that already ends in the path is kept as it is rather than doubled.
func updateURL(endpoint string) string {
	base, query, _ := strings.Cut(endpoint, "?")
	base = strings.TrimSuffix(base, "/")
	if !strings.HasSuffix(base, updatePath) {
		base += updatePath
	}
	if query != "" {
		return base + "?" + query
	}
	return base
}
