package duckdnsfake

import (
	"strings"

	"github.com/ddns-go/ddns/publish/publishtest"
)

// Service returns a new fake account with no subname, seen as the
// provider test kit sees every service.
func Service() publishtest.Service {
	const token = "a7c4d0ad-114e-40ef-ba1d-d217904a50f2"
	f := New(token)
	sub := func(fqdn string) string {
		rest := strings.TrimSuffix(fqdn, ".duckdns.org")
		return rest[strings.LastIndexByte(rest, '.')+1:]
	}
	return publishtest.Service{
		Provider: "duckdns", Host: "home.duckdns.org", Token: token, BadToken: "00000000-0000-4000-8000-000000000000",
		Fake: f, AddHost: func(fqdn string) { f.AddSubname(sub(fqdn)) },
		Values:      func(fqdn, typ string) []string { return f.Values(sub(fqdn), typ) },
		ChangeCalls: 1,
	}
}
