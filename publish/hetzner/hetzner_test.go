package hetzner_test

import (
	"testing"
	"time"

	"github.com/ddns-go/ddns/publish"

	"github.com/ddns-go/ddns/publish/hetzner/hetznerfake"
	"github.com/ddns-go/ddns/publish/publishtest"
)

// TestConformance runs the provider test kit's suite.
func TestConformance(t *testing.T) { publishtest.Run(t, hetznerfake.Service) }

// TestVectors replays requests built from the documentation
// (testdata/hetzner.json) byte for byte: paths, the Bearer header, the
// JSON bodies, the apex as "@", a TTL change as its own action.
func TestVectors(t *testing.T) {
	want := map[string]publish.Result{"create": {ZoneID: "42", ZoneName: "example.com", RecordID: "www"}, "set records and TTL": {ZoneID: "42", ZoneName: "example.com", RecordID: "@"}}
	for _, fl := range publishtest.ReadFlows(t, "testdata/hetzner.json") {
		t.Run(fl.Name, func(t *testing.T) {
			if res := publishtest.Play(t, fl, fl.Requests, time.Now()); res != want[fl.Name] {
				t.Errorf("result %+v, want %+v", res, want[fl.Name])
			}
		})
	}
}
