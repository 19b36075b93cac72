package tencentcloud_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ddns-go/ddns/publish/publishtest"
	"github.com/ddns-go/ddns/publish/tencentcloud/tc3test"
	fake "github.com/ddns-go/ddns/publish/tencentcloud/tencentcloudfake"
)

// pinned is the clock the vectors were recorded with.
var pinned = time.Unix(1700000000, 0)

// TestSigningVectors feeds every signing vector's inputs to the signer
// and compares the encoded body, each derived key, every intermediate,
// the signature, the Authorization value and the headers sent.
func TestSigningVectors(t *testing.T) {
	for _, v := range tc3test.Vectors(t, "testdata/tencentcloud.json", 3) {
		t.Run(v.Name, func(t *testing.T) { tc3test.Check(t, v) })
	}
}

// TestRecordedFlows replays the original client's recorded runs through
// the provider, answering with the canned responses, and compares every
// request byte for byte: method, URL, headers (Host included), body. The
// transport is replaced, not the endpoint, so the signatures are over the
// recorded host and stay comparable.
//
// One difference is expected: the shared engine asks for the longest
// candidate zone first (www.example.com), which the original does not;
// that lookup is answered "no such domain" and is the only extra request
// allowed.
func TestRecordedFlows(t *testing.T) {
	for _, fl := range publishtest.ReadFlows(t, "testdata/tencentcloud.json") {
		t.Run(fl.Name, func(t *testing.T) {
			probe := publishtest.Answer(200, `{"Response": {"Error": {"Code": "InvalidParameterValue.DomainNotExists", "Message": "当前域名有误，请返回重新操作。"}, "RequestId": "REQ-0"}}`)
			body := `{"Domain": "www.example.com"}`
			probe.Method, probe.URL, probe.Body = http.MethodPost, fl.Requests[0].URL, &body
			probe.Headers = map[string]string{"X-TC-Action": "DescribeDomain"}
			publishtest.Play(t, fl, append([]publishtest.Exchange{probe}, fl.Requests...), pinned)
		})
	}
}

// TestFakeAcceptsRecordedSignatures cross-checks the fake's independent
// verifier: every request the original client signed passes it.
func TestFakeAcceptsRecordedSignatures(t *testing.T) {
	publishtest.ExpectAccepted(t, publishtest.ReadFlows(t, "testdata/tencentcloud.json"), func(fl publishtest.Flow) http.Handler {
		f := fake.New(fl.Constructor.ID, fl.Constructor.Token)
		f.Now = func() time.Time { return pinned }
		f.AddDomain("example.com")
		return f
	}, func(rec *httptest.ResponseRecorder) bool { return strings.Contains(rec.Body.String(), "AuthFailure") })
}
