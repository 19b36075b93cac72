package cloudnsfake

import (
	"strconv"

	"github.com/ddns-go/ddns/publish/publishtest"
)

// Service returns a new fake with an empty account, seen as the provider
// test kit sees every service.
func Service() publishtest.Service {
	const id, password = "4242", "kit-cloudns-password-0a1b2c"
	f := New(id, password)
	var zones publishtest.Zones
	records := func(fqdn, typ string) (string, []Record) {
		zone, host := zones.Split(fqdn)
		if host == "@" {
			host = ""
		}
		return zone, f.Records(zone, host, typ)
	}
	return publishtest.Service{
		Provider: "cloudns",
		ID:       id,
		Token:    password,
		BadToken: "kit-cloudns-password-WRONG9",
		Fake:     f,
		AddZone:  func(name string) { zones.Add(name); f.AddZone(name) },
		Values: func(fqdn, typ string) []string {
			var out []string
			_, rs := records(fqdn, typ)
			for _, r := range rs {
				out = append(out, r.Value)
			}
			return out
		},
		Delete: func(fqdn, typ string) {
			zone, rs := records(fqdn, typ)
			for _, r := range rs {
				f.DeleteRecord(zone, strconv.Itoa(r.ID))
			}
		},
		Calls:       func() int { return f.Calls("") },
		Reset:       f.Reset,
		Fail:        func(status int, after string) { f.Fail(Fault{Status: status, RetryAfter: after}) },
		ChangeCalls: 1,
	}
}
