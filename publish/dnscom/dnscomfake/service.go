package dnscomfake

import (
	"net/http"

	"github.com/ddns-go/ddns/publish/publishtest"
)

// ServeHTTP serves the API, for a server of the caller's own (the fake
// also serves itself at URL).
func (s *Server) ServeHTTP(w http.ResponseWriter, req *http.Request) { s.serve(w, req) }

// Service returns a new fake with an empty account, seen as the provider
// test kit sees every service.
func Service() publishtest.Service {
	const key, secret = "kitApiKey", "kit-dnscom-secret-0a1b2c3d"
	s := New(key, secret)
	var zones publishtest.Zones
	records := func(fqdn, typ string) (string, []Record) {
		zone, host := zones.Split(fqdn)
		var out []Record
		for _, r := range s.Records(zone) {
			if r.Host == host && r.Type == typ {
				out = append(out, r)
			}
		}
		return zone, out
	}
	return publishtest.Service{
		Provider: "dnscom",
		ID:       key,
		Token:    secret,
		BadToken: "kit-dnscom-secret-WRONG-9f",
		Fake:     s,
		Close:    s.Close,
		AddZone:  func(name string) { zones.Add(name); s.AddZone(name) },
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
				s.DeleteRecord(zone, r.ID)
			}
		},
		Calls:       func() int { return s.Calls("") },
		Reset:       s.ResetCalls,
		Fail:        func(status int, after string) { s.Fail(1, Fault{Status: status, RetryAfter: after}) },
		ChangeCalls: 1,
	}
}
