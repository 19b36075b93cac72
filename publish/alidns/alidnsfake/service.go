package alidnsfake

import "github.com/ddns-go/ddns/publish/publishtest"

// Service returns a new fake with an empty account, seen as the provider
// test kit sees every service.
func Service() publishtest.Service {
	const id, secret = "LTAI5tKitAlidns", "kit-alidns-secret-0a1b2c3d4e"
	f := New(id, secret)
	var zones publishtest.Zones
	return publishtest.Service{
		Provider: "alidns",
		ID:       id,
		Token:    secret,
		BadToken: "kit-alidns-secret-WRONG-9f8e",
		Fake:     f,
		AddZone:  func(name string) { zones.Add(name); f.AddZone(name) },
		Values: func(fqdn, typ string) []string {
			var out []string
			zone, rr := zones.Split(fqdn)
			for _, r := range f.Find(zone, rr, typ) {
				out = append(out, r.Value)
			}
			return out
		},
		Delete: func(fqdn, typ string) {
			zone, rr := zones.Split(fqdn)
			for _, r := range f.Find(zone, rr, typ) {
				f.DeleteRecord(r.ID)
			}
		},
		Calls:       func() int { return len(f.Calls()) },
		Reset:       f.ResetCalls,
		Fail:        func(status int, after string) { f.Fail(Fault{Status: status, RetryAfter: after}) },
		ChangeCalls: 1,
	}
}
