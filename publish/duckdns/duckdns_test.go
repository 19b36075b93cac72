package duckdns_test

import (
	"context"
	"net/http/httptest"
	"net/netip"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/duckdns/duckdnsfake"
	"github.com/ddns-go/ddns/publish/publishtest"
)

// TestConformance runs the provider test kit's suite.
func TestConformance(t *testing.T) { publishtest.Run(t, duckdnsfake.Service) }

// TestVectors replays the documented requests and answers
// (testdata/duckdns.json, from the HTTP API specification): the update
// URL byte for byte, OK and KO, the verbose answer's NOCHANGE.
func TestVectors(t *testing.T) {
	unchanged := map[string]bool{"update AAAA in ip, verbose answer NOCHANGE": true}
	for _, fl := range publishtest.ReadFlows(t, "testdata/duckdns.json") {
		t.Run(fl.Name, func(t *testing.T) {
			if res := publishtest.Play(t, fl, fl.Requests, time.Now()); res.Unchanged != unchanged[fl.Name] {
				t.Errorf("Unchanged %v, want %v", res.Unchanged, unchanged[fl.Name])
			}
		})
	}
}

// TestRefused: settings Duck DNS cannot use fail at once, names outside
// duckdns.org before any request, and KO permanently, saying what to
// check, without the token.
func TestRefused(t *testing.T) {
	const token = "a7c4d0ad-114e-40ef-ba1d-d217904a50f2"
	for _, s := range []publish.Settings{{Token: ""}, {ID: "me", Token: token}, {Token: token, Endpoint: "www.duckdns.org"}} {
		if _, err := publish.New("duckdns", s); err == nil {
			t.Errorf("New(%+v) succeeded", s)
		}
	}
	f := duckdnsfake.New(token)
	f.AddSubname("home")
	srv := httptest.NewServer(f)
	defer srv.Close()
	p, err := publish.New("duckdns", publish.Settings{Token: token, Endpoint: srv.URL, HTTP: srv.Client(), Log: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	for domain, want := range map[string]string{
		"home.example.com":  "duckdns: home.example.com is not a Duck DNS domain",
		"duckdns.org":       "duckdns: duckdns.org is not a Duck DNS domain",
		"other.duckdns.org": "duckdns: other: the service answered KO: check the token",
	} {
		_, err := p.Set(context.Background(), publish.Record{Domain: domain, Type: "A", Addr: netip.MustParseAddr("192.0.2.1")})
		publishtest.Expect(t, err, publishtest.Permanent, "duckdns", want, 0, token)
	}
	if f.Calls("") != 1 {
		t.Errorf("%d requests, want 1 (only for the duckdns.org name)", f.Calls(""))
	}
}

// TestBothFamilies: the A and the AAAA address of a subname are kept
// apart, and a name below the subname updates the subname.
func TestBothFamilies(t *testing.T) {
	s := duckdnsfake.Service()
	srv := httptest.NewServer(s.Fake)
	defer srv.Close()
	s.AddHost("home.duckdns.org")
	p, err := publish.New("duckdns", publish.Settings{Token: s.Token, Endpoint: srv.URL, HTTP: srv.Client(), Log: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []publish.Record{
		{Domain: "home.duckdns.org", Type: "A", Addr: netip.MustParseAddr("192.0.2.1")},
		{Domain: "www.home.duckdns.org", Type: "AAAA", Addr: netip.MustParseAddr("2001:db8::1")},
	} {
		if _, err := p.Set(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
	if a, aaaa := s.Values("home.duckdns.org", "A"), s.Values("home.duckdns.org", "AAAA"); len(a) != 1 || a[0] != "192.0.2.1" || len(aaaa) != 1 || aaaa[0] != "2001:db8::1" {
		t.Errorf("A %v, AAAA %v", a, aaaa)
	}
}
