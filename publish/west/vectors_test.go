package west_test

import (
	"context"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/publishtest"
	"github.com/ddns-go/ddns/publish/west"
	"github.com/ddns-go/ddns/publish/west/westfake"
)

// pinned is the clock of the recorded vectors (west reads no clock, but
// the settings are built as the vectors were).
var pinned = time.Unix(1700000000, 123456000)

// documentedURL is the vector's URL as this package sends it: the original
// requests ".../domain/dns//" (its URL joining adds a "/" to an endpoint
// that already ends with one); West documents ".../domain/dns/".
func documentedURL(vectorURL string) string {
	return strings.TrimSuffix(vectorURL, "/")
}

// TestVectors replays the original client's recorded flows with the
// default endpoint and compares every request byte for byte: method, URL
// (with the one documented deviation, the double slash), the recorded
// headers, the body; and the verdict.
func TestVectors(t *testing.T) {
	for _, fl := range publishtest.ReadFlows(t, "testdata/west.json") {
		t.Run(fl.Name, func(t *testing.T) {
			for i, w := range fl.Requests {
				if !strings.HasSuffix(w.URL, "/dns//") {
					t.Errorf("request %d: the vector URL %s no longer has the double slash this test documents", i, w.URL)
				}
				fl.Requests[i].URL = documentedURL(w.URL)
			}
			res := publishtest.Play(t, fl, fl.Requests, pinned)
			// The zone that answered is remembered for the next change.
			last := *fl.Requests[len(fl.Requests)-1].Body
			if !strings.Contains(last, "domain="+res.ZoneName+"&") {
				t.Errorf("Result.ZoneName %q is not the zone of the last request %s", res.ZoneName, last)
			}
		})
	}
}

// TestVectorsAgainstFake checks that the fake accepts exactly what the
// original client sends: each recorded flow, replayed through the provider
// at a fake holding the zones the canned answers imply, makes the same
// requests and leaves the record in place.
func TestVectorsAgainstFake(t *testing.T) {
	for _, fl := range publishtest.ReadFlows(t, "testdata/west.json") {
		t.Run(fl.Name, func(t *testing.T) {
			f := westfake.New(fl.Constructor.ID, fl.Constructor.Token)
			// The zone of the last (successful) request; a domain key is
			// only that zone's.
			last := *fl.Requests[len(fl.Requests)-1].Body
			form := parseForm(t, last)
			f.AddZone(form["domain"], fl.Constructor.Token)
			srv := httptest.NewServer(f)
			defer srv.Close()
			p, err := west.New(publish.Settings{ID: fl.Constructor.ID, Token: fl.Constructor.Token, Endpoint: srv.URL, HTTP: srv.Client(), Now: func() time.Time { return pinned }})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := p.Set(context.Background(), fl.Record()); (err == nil) != fl.Result {
				t.Fatalf("Set: %v, want success %v", err, fl.Result)
			}
			reqs := f.Requests()
			if len(reqs) != len(fl.Requests) {
				t.Fatalf("%d requests, want %d", len(reqs), len(fl.Requests))
			}
			for i, want := range fl.Requests {
				if reqs[i].URI != westfake.Path || string(reqs[i].Body) != *want.Body {
					t.Errorf("request %d: got %s %s, want %s %s", i, reqs[i].URI, reqs[i].Body, westfake.Path, *want.Body)
				}
			}
			got := f.Records(form["domain"], form["hostname"], fl.SetRecord.RecordType)
			if len(got) != 1 || got[0].Value != fl.SetRecord.Value || got[0].Line != fl.SetRecord.Line {
				t.Errorf("fake holds %+v, want one record %s on line %q", got, fl.SetRecord.Value, fl.SetRecord.Line)
			}
		})
	}
}

func parseForm(t *testing.T, body string) map[string]string {
	t.Helper()
	v, err := url.ParseQuery(body)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for k := range v {
		out[k] = v.Get(k)
	}
	return out
}
