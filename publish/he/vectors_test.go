package he_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/he"
	"github.com/ddns-go/ddns/publish/he/hefake"
	"github.com/ddns-go/ddns/publish/publishtest"
)

// pinned is the clock of the recorded vectors (he reads no clock, but the
// settings are built as the vectors were).
var pinned = time.Unix(1700000000, 123456000)

// TestVectors replays the original client's recorded flows with the
// default endpoint and compares every request byte for byte: method, full
// URL, the recorded headers (and no Accept header), body; and the verdict.
func TestVectors(t *testing.T) {
	for _, fl := range publishtest.ReadFlows(t, "testdata/he.json") {
		t.Run(fl.Name, func(t *testing.T) {
			for i := range fl.Requests {
				fl.Requests[i].Headers["Accept"] = "" // none
			}
			publishtest.Play(t, fl, fl.Requests, pinned)
		})
	}
}

// TestVectorsAgainstFake checks that the fake accepts exactly what the
// original client sends: the recorded request, replayed through the
// provider at the fake, authenticates and updates.
func TestVectorsAgainstFake(t *testing.T) {
	for _, fl := range publishtest.ReadFlows(t, "testdata/he.json") {
		t.Run(fl.Name, func(t *testing.T) {
			f := hefake.New()
			f.AddHost(fl.SetRecord.Domain, fl.Constructor.Token)
			srv := httptest.NewServer(f)
			defer srv.Close()
			p, err := he.New(publish.Settings{Token: fl.Constructor.Token, Endpoint: srv.URL, HTTP: srv.Client(), Now: func() time.Time { return pinned }})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := p.Set(context.Background(), fl.Record()); (err == nil) != fl.Result {
				t.Fatalf("Set: %v, want success %v", err, fl.Result)
			}
			reqs := f.Requests()
			if len(reqs) != 1 {
				t.Fatalf("%d requests, want 1", len(reqs))
			}
			want := fl.Requests[0]
			if path := strings.TrimPrefix(want.URL, he.DefaultEndpoint); reqs[0].URI != path || string(reqs[0].Body) != *want.Body {
				t.Errorf("got %s %s, want %s %s", reqs[0].URI, reqs[0].Body, path, *want.Body)
			}
			if got := f.Addr(fl.SetRecord.Domain, fl.SetRecord.RecordType); got != fl.SetRecord.Value {
				t.Errorf("fake holds %q, want %s", got, fl.SetRecord.Value)
			}
		})
	}
}
