package dnspodfake

import (
	"strconv"

	"github.com/ddns-go/ddns/publish/publishtest"
)

// Service returns a new fake with an empty account, seen as the provider
// test kit sees every service.
func Service() publishtest.Service {
	const id, token = "420042", "kit-dnspod-token-0a1b2c3d4e"
	f := New(id, token, LinesCN)
	var zones publishtest.Zones
	return publishtest.Service{
		Provider: "dnspod",
		ID:       id,
		Token:    token,
		BadToken: "kit-dnspod-token-WRONG-9f8e7",
		Fake:     f,
		AddZone:  func(name string) { zones.Add(name); f.AddZone(name) },
		Values: func(fqdn, typ string) []string {
			var out []string
			zone, sub := zones.Split(fqdn)
			for _, r := range f.Records(zone, sub, typ) {
				out = append(out, r.Value)
			}
			return out
		},
		Delete: func(fqdn, typ string) {
			zone, sub := zones.Split(fqdn)
			for _, r := range f.Records(zone, sub, typ) {
				f.DeleteRecord(zone, strconv.Itoa(r.ID))
			}
		},
		Calls:       func() int { return f.Calls("") },
		Reset:       f.Reset,
		Fail:        func(status int, after string) { f.Fail(Fault{Status: status, RetryAfter: after}) },
		ChangeCalls: 1,
	}
}
