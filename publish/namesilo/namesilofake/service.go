package namesilofake

import "github.com/ddns-go/ddns/publish/publishtest"

// Service returns a new fake with an empty account, seen as the provider
// test kit sees every service.
func Service() publishtest.Service {
	const key = "kit-namesilo-key-0123456789abcdef"
	f := New(key)
	var zones publishtest.Zones
	return publishtest.Service{
		Provider: "namesilo",
		Token:    key,
		BadToken: "kit-namesilo-key-WRONG-456789abcd",
		Fake:     f,
		AddZone:  func(name string) { zones.Add(name); f.AddDomain(name) },
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
				f.DeleteRecord(zone, r.ID)
			}
		},
		Calls:       func() int { return f.Calls("") },
		Reset:       f.Reset,
		Fail:        func(status int, after string) { f.Fail(Fault{Status: status, RetryAfter: after}) },
		ChangeCalls: 1,
	}
}
