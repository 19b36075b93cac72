package edgeone_test

import (
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ddns-go/ddns/publish"
	_ "github.com/ddns-go/ddns/publish/edgeone"
	"github.com/ddns-go/ddns/publish/edgeone/edgeonefake"
	"github.com/ddns-go/ddns/publish/publishtest"
	"github.com/ddns-go/ddns/publish/tencentcloud"
	tc "github.com/ddns-go/ddns/publish/tencentcloud/tencentcloudfake"
)

// pinned is the clock the vectors were recorded with.
var pinned = time.Unix(1700000000, 0)

// vectorFiles are the recordings of the two providers, copied from the
// shared spec.
var vectorFiles = []string{"testdata/edgeone.json", "testdata/edgeone_dns.json"}

func loadVectors(t testing.TB, path string) tc.VectorFile {
	t.Helper()
	vf, err := tc.LoadVectors(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(vf.SigningVectors) != 2 {
		t.Fatalf("%s holds %d signing vectors, want 2", path, len(vf.SigningVectors))
	}
	return vf
}

// TestSigningVectors feeds every signing vector's inputs to the shared
// TC3 signer and compares the encoded body (filters and origins nested in
// order), each derived key, every intermediate, the signature and the
// headers sent.
func TestSigningVectors(t *testing.T) {
	for _, path := range vectorFiles {
		for _, v := range loadVectors(t, path).SigningVectors {
			t.Run(v.Name, func(t *testing.T) {
				in, mid, want := v.Inputs, v.Intermediate, v.Expected
				check := func(what, got, want string) {
					t.Helper()
					if got != want {
						t.Errorf("%s\n got %q\nwant %q", what, got, want)
					}
				}
				body := publish.PyJSON(publishtest.OrderedRaw(t, in.Params))
				check("body", string(body), mid.Body)
				check("body hash", tencentcloud.HexSHA256(body), mid.BodySHA256)
				keys := tencentcloud.DeriveKeys(in.SecretKey, in.Date, in.Service)
				check("kDate", hex.EncodeToString(keys.Date), mid.SecretDateHex)
				check("kService", hex.EncodeToString(keys.Service), mid.SecretServiceHex)
				check("kSigning", hex.EncodeToString(keys.Signing), mid.SecretSigningHex)
				ts, _ := strconv.ParseInt(in.Timestamp, 10, 64)
				req := tencentcloud.Request{Host: in.Host, Service: in.Service, Action: in.Action, Version: in.Version, Body: body, Time: time.Unix(ts, 0)}
				check("credential scope", req.Scope(), mid.CredentialScope)
				h, sig := req.Sign(in.SecretID, in.SecretKey)
				check("signed headers", sig.SignedHeaders, mid.SignedHeaders)
				check("canonical request", sig.CanonicalRequest, mid.CanonicalRequest)
				check("hashed canonical request", sig.HashedCanonicalRequest, mid.HashedCanonicalRequest)
				check("string to sign", sig.StringToSign, mid.StringToSign)
				check("signature", sig.Signature, want.Signature)
				check("authorization", sig.Authorization, want.Authorization)
				for k, v := range want.RequestHeaders {
					if l := strings.ToLower(k); l != "host" && l != "accept" {
						check("header "+k, h.Get(k), v)
					}
				}
				check("body sent", string(body), want.RequestBody)
			})
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
		for _, fl := range publishtest.ReadFlows(t, path) {
			f := edgeonefake.New(fl.Constructor.ID, fl.Constructor.Token)
			f.Now = func() time.Time { return pinned }
			for i, w := range fl.Requests {
				req := httptest.NewRequest(w.Method, w.URL, strings.NewReader(*w.Body))
				for k, v := range w.Headers {
					req.Header.Set(k, v)
				}
				rec := httptest.NewRecorder()
				f.ServeHTTP(rec, req)
				if strings.Contains(rec.Body.String(), "AuthFailure") {
					t.Errorf("%s request %d refused: %s", fl.Name, i+1, rec.Body)
				}
			}
		}
	}
}
