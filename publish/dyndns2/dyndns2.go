// Package dyndns2 speaks the dyndns2 update protocol (Dyn's "Remote Access
// API", also called the members NIC update API), which dozens of dynamic DNS
// services implement: one authenticated GET of the update URL with
// hostname and myip, answered in plain text with "good <ip>", "nochg <ip>"
// or an error code.
//
// It registers the generic "dyndns2" provider (endpoint = the service's full
// update URL, id/token = HTTP Basic user name and password) and exports
// the client and answer parsing that the noip provider builds on.
//
// dyndns2 cannot create host names: they must exist at the service. TTL
// and line are not part of the protocol and are ignored.
package dyndns2

import (
	"errors"

	"github.com/ddns-go/ddns/publish"
)

func init() {
	publish.Register(publish.Info{
		Rate:    1, // dyndns2 services block clients that update too often
		Name:    "dyndns2",
		ID:      "the user name for HTTP Basic auth at the update URL (endpoint)",
		Token:   "the password or update key for HTTP Basic auth",
		Creates: false,
		TTL:     false,
		Line:    false,
	}, New)
}

// New builds the generic provider. The endpoint is required and used
// verbatim as the update URL (only the query is added), since services
// differ in their paths: https://members.dyndns.org/v3/update,
// https://api.dynu.com/nic/update, https://www.ovh.com/nic/update?system=dyndns.
// Extra parameters are appended to the query.
func New(s publish.Settings) (publish.Provider, error) {
	if s.Endpoint == "" {
		return nil, errors.New("dyndns2: endpoint must be configured: the service's full update URL, e.g. https://members.dyndns.org/v3/update")
	}
	return NewClient(s, Config{Name: "dyndns2", URL: s.Endpoint, Extra: true})
}
