package dnspod_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	_ "github.com/ddns-go/ddns/publish/dnspod"
	"github.com/ddns-go/ddns/publish/publishtest"
)

// pinned is the clock of the recorded vectors.
var pinned = time.Unix(1700000000, 0)

// TestVectors replays the original client's recorded flows and compares
// every request byte for byte: method, full URL (default endpoint),
// headers, body. Two differences are deliberate and spelled out here:
//   - the engine asks for the longest candidate zone first, so the flow
//     starts with one Domain.Info for www.example.com (answered "no such
//     domain") before the recorded requests;
//   - Record.Modify carries the configured TTL (DNSPod documents it; the
//     original never sends it, so TTL changes were never applied).
func TestVectors(t *testing.T) {
	for _, file := range []string{"testdata/dnspod.json", "testdata/dnspod_com.json"} {
		for _, fl := range publishtest.ReadFlows(t, file) {
			t.Run(fl.RegistryName+"/"+fl.Name, func(t *testing.T) { replayFlow(t, fl) })
		}
	}
}

func replayFlow(t *testing.T, fl publishtest.Flow) {
	// Given the recorded requests, preceded by the longest-first probe.
	probe := publishtest.Answer(200, `{"status": {"code": "6", "message": "Domain id invalid"}}`)
	probe.Method, probe.URL, probe.Headers = fl.Requests[0].Method, fl.Requests[0].URL, fl.Requests[0].Headers
	body := strings.Replace(*fl.Requests[0].Body, "domain="+zoneOf(fl.SetRecord.Domain), "domain="+fl.SetRecord.Domain, 1)
	probe.Body = &body
	want := append([]publishtest.Exchange{probe}, fl.Requests...)
	for i := range want {
		if strings.HasSuffix(want[i].URL, "/Record.Modify") && fl.SetRecord.TTL > 0 {
			b := strings.Replace(*want[i].Body, "&value=", "&ttl="+strconv.Itoa(fl.SetRecord.TTL)+"&value=", 1)
			want[i].Body = &b
		}
	}

	// When the record is set, then the same requests went out and the
	// verdict matches.
	res := publishtest.Play(t, fl, want, pinned)
	if res.RecordID != "16894439" || res.ZoneID != "2317346" || res.ZoneName != "example.com" {
		t.Errorf("result %+v", res)
	}
}

// zoneOf drops the first label: the vectors' zone is the parent domain.
func zoneOf(domain string) string {
	_, zone, _ := strings.Cut(domain, ".")
	return zone
}
