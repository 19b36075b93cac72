package desec_test

import (
	"context"
	"net/http/httptest"
	"net/netip"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/ddns-go/ddns/publish"

	"github.com/ddns-go/ddns/publish/desec/desecfake"
	"github.com/ddns-go/ddns/publish/publishtest"
)

// TestConformance runs the provider test kit's suite.
func TestConformance(t *testing.T) { publishtest.Run(t, desecfake.Service) }

// TestVectors replays requests built from the documentation
// (testdata/desec.json) byte for byte: the endpoints, the Token header,
// the JSON bodies; an RRset of two addresses becomes the one.
func TestVectors(t *testing.T) {
	for _, fl := range publishtest.ReadFlows(t, "testdata/desec.json") {
		t.Run(fl.Name, func(t *testing.T) {
			res := publishtest.Play(t, fl, fl.Requests, time.Now())
			if fl.Result && (res.ZoneName != "example.com" || res.RecordID != "www") {
				t.Errorf("result %+v, want the RRset www in example.com", res)
			}
		})
	}
}

// TestApexAndTTL: the apex is "@" in the path and "" in a created RRset;
// a configured TTL is sent, and deSEC's minimum refuses a lower one
// permanently.
func TestApexAndTTL(t *testing.T) {
	s := desecfake.Service()
	f := s.Fake.(*desecfake.Fake)
	srv := httptest.NewServer(f)
	defer srv.Close()
	s.AddZone("example.com")
	p, err := publish.New("desec", publish.Settings{Token: s.Token, Endpoint: srv.URL, HTTP: srv.Client(), Log: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	r := publish.Record{Domain: "example.com", Type: "AAAA", Addr: netip.MustParseAddr("2001:db8::1"), TTL: 7200}
	if _, err := p.Set(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	if set, ok := f.Get("example.com", "", "AAAA"); !ok || set.TTL != 7200 || set.Records[0] != "2001:db8::1" {
		t.Errorf("apex AAAA: %+v %v", set, ok)
	}
	r.Addr, r.TTL = netip.MustParseAddr("2001:db8::2"), 60
	_, err = p.Set(context.Background(), r)
	publishtest.Expect(t, err, publishtest.Permanent, "desec", "HTTP 400", 0, s.Token)
	if reqs := f.Requests(); reqs[len(reqs)-1].URI != "/domains/example.com/rrsets/@/AAAA/" {
		t.Errorf("last request %s", reqs[len(reqs)-1].URI)
	}
}
