package cloudns_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	_ "github.com/ddns-go/ddns/publish/cloudns"
	"github.com/ddns-go/ddns/publish/publishtest"
)

// pinned is the clock of the recorded vectors.
var pinned = time.Unix(1700000000, 0)

// TestVectors replays the original client's recorded flows and compares
// every recorded request byte for byte: method, full URL (default
// endpoint), headers, body. The one deliberate difference: the original
// guesses the zone from the last two labels without asking; this client
// asks get-zone-info, longest candidate first, so the recorded requests
// are preceded by those lookups (www.example.com: not a zone;
// example.com: a master zone).
func TestVectors(t *testing.T) {
	for _, fl := range publishtest.ReadFlows(t, "testdata/cloudns.json") {
		t.Run(fl.Name, func(t *testing.T) { replayFlow(t, fl) })
	}
}

func replayFlow(t *testing.T, fl publishtest.Flow) {
	// Given the recorded requests, preceded by the zone lookups.
	var want []publishtest.Exchange
	for _, zone := range candidates(fl.SetRecord.Domain) {
		answer := `{"status": "Failed", "statusDescription": "Missing domain-name"}`
		if zone == "example.com" {
			answer = `{"name": "example.com", "type": "master", "zone": "domain", "status": "1"}`
		}
		lookup := publishtest.Answer(200, answer)
		lookup.Method, lookup.URL, lookup.Headers = "POST", "https://api.cloudns.net/dns/get-zone-info.json", fl.Requests[0].Headers
		body := "auth-id=" + fl.Constructor.ID + "&auth-password=" + url.QueryEscape(fl.Constructor.Token) + "&domain-name=" + zone
		lookup.Body = &body
		want = append(want, lookup)
	}
	want = append(want, fl.Requests...)

	// When the record is set, then the same requests went out and the
	// verdict matches.
	res := publishtest.Play(t, fl, want, pinned)
	if res.ZoneID != "example.com" || res.ZoneName != "example.com" || !strings.HasPrefix(res.RecordID, "987654") {
		t.Errorf("result %+v", res)
	}
}

// candidates are the zones the engine asks for, longest first, down to
// the vectors' zone.
func candidates(domain string) []string {
	var out []string
	for d := domain; d != "example.com"; {
		out = append(out, d)
		_, d, _ = strings.Cut(d, ".")
	}
	return append(out, "example.com")
}
