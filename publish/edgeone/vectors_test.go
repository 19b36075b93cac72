package edgeone_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	_ "github.com/ddns-go/ddns/publish/edgeone"
	"github.com/ddns-go/ddns/publish/edgeone/edgeonefake"
	"github.com/ddns-go/ddns/publish/publishtest"
	"github.com/ddns-go/ddns/publish/tencentcloud/tc3test"
)

// pinned is the clock the vectors were recorded with.
var pinned = time.Unix(1700000000, 0)

// vectorFiles are the recordings of the two providers, copied from the
// shared spec.
var vectorFiles = []string{"testdata/edgeone.json", "testdata/edgeone_dns.json"}

// TestSigningVectors feeds every signing vector's inputs to the shared
// TC3 signer and compares the encoded body (filters and origins nested in
// order), each derived key, every intermediate, the signature and the
// headers sent.
func TestSigningVectors(t *testing.T) {
	for _, path := range vectorFiles {
		for _, v := range tc3test.Vectors(t, path, 2) {
			t.Run(v.Name, func(t *testing.T) { tc3test.Check(t, v) })
		}
	}
}

// TestRecordedFlows replays the original client's recorded runs through
// the provider the recording names, answering with the canned responses,
// and compares every request byte for byte: method, URL, headers (Host
// included), body. The transport is replaced, not the endpoint, so the
// signatures are over the recorded host and stay comparable.
//
// One difference is expected: the shared engine asks for the longest
// candidate zone first (www.example.com), which the original does not;
// that lookup is answered with an empty list and is the only extra
// request allowed.
func TestRecordedFlows(t *testing.T) {
	for _, path := range vectorFiles {
		for _, fl := range publishtest.ReadFlows(t, path) {
			t.Run(fl.Name, func(t *testing.T) {
				probe := publishtest.Answer(200, `{"Response": {"TotalCount": 0, "Zones": [], "RequestId": "REQ-0"}}`)
				body := `{"Filters": [{"Name": "zone-name", "Values": ["www.example.com"], "Fuzzy": false}]}`
				probe.Method, probe.URL, probe.Body = http.MethodPost, fl.Requests[0].URL, &body
				probe.Headers = map[string]string{"X-TC-Action": "DescribeZones"}
				publishtest.Play(t, fl, append([]publishtest.Exchange{probe}, fl.Requests...), pinned)
			})
		}
	}
}

// TestFakeAcceptsRecordedSignatures cross-checks the fake's independent
// verifier: every request the original client signed passes it.
func TestFakeAcceptsRecordedSignatures(t *testing.T) {
	for _, path := range vectorFiles {
		publishtest.ExpectAccepted(t, publishtest.ReadFlows(t, path), func(fl publishtest.Flow) http.Handler {
			f := edgeonefake.New(fl.Constructor.ID, fl.Constructor.Token)
			f.Now = func() time.Time { return pinned }
			return f
		}, func(rec *httptest.ResponseRecorder) bool { return strings.Contains(rec.Body.String(), "AuthFailure") })
	}
}
