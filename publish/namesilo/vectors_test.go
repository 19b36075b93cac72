package namesilo_test

import (
	"strings"
	"testing"
	"time"

	_ "github.com/ddns-go/ddns/publish/namesilo"
	"github.com/ddns-go/ddns/publish/publishtest"
)

// pinned is the clock of the recorded vectors (NameSilo requests carry no
// time, so it only keeps the run deterministic).
var pinned = time.Unix(1700000000, 0)

// TestVectors replays the original client's recorded flows and compares
// every request byte for byte: method, full URL (default endpoint, sorted
// query with the key), headers, no body. One difference is deliberate:
// the engine asks for the longest candidate zone first, so the flow
// starts with one getDomainInfo for www.example.com (answered "not this
// account's", code 200) before the recorded requests.
func TestVectors(t *testing.T) {
	wantRef := map[string]string{"create": "1a2b3c4d5e6f/3600", "update": "1a2b3c4d5e6f/7207"}
	for _, fl := range publishtest.ReadFlows(t, "testdata/namesilo.json") {
		t.Run(fl.Name, func(t *testing.T) { replayFlow(t, fl, wantRef[fl.Name]) })
	}
}

func replayFlow(t *testing.T, fl publishtest.Flow, wantRef string) {
	// Given the recorded requests, preceded by the longest-first probe.
	probe := publishtest.Answer(200, `{"request": {"operation": "getDomainInfo", "ip": "1.2.3.4"}, "reply": {"code": "200", "detail": "Domain is not active, or does not belong to this user"}}`)
	probe.Method, probe.Headers = fl.Requests[0].Method, fl.Requests[0].Headers
	probe.URL = strings.Replace(fl.Requests[0].URL, "domain="+zoneOf(fl.SetRecord.Domain), "domain="+fl.SetRecord.Domain, 1)
	want := append([]publishtest.Exchange{probe}, fl.Requests...)

	// When the record is set, then the same requests went out and the
	// verdict matches.
	res := publishtest.Play(t, fl, want, pinned)
	if res.RecordID != wantRef || res.ZoneID != "example.com" || res.ZoneName != "example.com" {
		t.Errorf("result %+v, want record %s in zone example.com", res, wantRef)
	}
}

// zoneOf drops the first label: the vectors' zone is the parent domain.
func zoneOf(domain string) string {
	_, zone, _ := strings.Cut(domain, ".")
	return zone
}
