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
	srv := New(key, secret)
	var zones publishtest.Zones
	s := publishtest.Service{
		Provider: "dnscom", ID: key, Token: secret, BadToken: "kit-dnscom-secret-WRONG-9f",
		Fake: srv, Close: srv.Close, AddZone: func(name string) { zones.Add(name); srv.AddZone(name) },
		ChangeCalls: 1,
	}
	s.Values, s.Delete = publishtest.Held(func(fqdn, typ string) []Record {
		zone, host := zones.Split(fqdn)
		var out []Record
		for _, r := range srv.Records(zone) {
			if r.Host == host && r.Type == typ {
				out = append(out, r)
			}
		}
		return out
	}, func(r Record) string { return r.Value }, func(fqdn string, r Record) {
		zone, _ := zones.Split(fqdn)
		srv.DeleteRecord(zone, r.ID)
	})
	return s
}
