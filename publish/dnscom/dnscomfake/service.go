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
	return publishtest.Zoned(publishtest.Service{Provider: "dnscom", ID: key, Token: secret, BadToken: "kit-dnscom-secret-WRONG-9f", Fake: srv, Close: srv.Close, ChangeCalls: 1},
		func(zone string) { srv.AddZone(zone) }, srv.Matching, func(r Record) string { return r.Value }, func(zone string, r Record) { srv.DeleteRecord(zone, r.ID) })
}
