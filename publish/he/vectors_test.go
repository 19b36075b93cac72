package he_test

import (
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
	start := func(t *testing.T, fl publishtest.Flow) (*hefake.Fake, publish.Provider) {
		f := hefake.New()
		f.AddHost(fl.SetRecord.Domain, fl.Constructor.Token)
		srv := httptest.NewServer(f)
		t.Cleanup(srv.Close)
		p, err := he.New(publish.Settings{Token: fl.Constructor.Token, Endpoint: srv.URL, HTTP: srv.Client(), Now: func() time.Time { return pinned }})
		if err != nil {
			t.Fatal(err)
		}
		return f, p
	}
	publishtest.AgainstFake(t, publishtest.ReadFlows(t, "testdata/he.json"), start, func(t *testing.T, got publishtest.Request, want publishtest.Exchange) {
		if path := strings.TrimPrefix(want.URL, he.DefaultEndpoint); got.URI != path || string(got.Body) != *want.Body {
			t.Errorf("got %s %s, want %s %s", got.URI, got.Body, path, *want.Body)
		}
	})
}
