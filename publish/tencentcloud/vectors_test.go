package tencentcloud_test

import (
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/publishtest"
	"github.com/ddns-go/ddns/publish/tencentcloud"
	fake "github.com/ddns-go/ddns/publish/tencentcloud/tencentcloudfake"
)

// pinned is the clock the vectors were recorded with.
var pinned = time.Unix(1700000000, 0)

func loadVectors(t testing.TB) fake.VectorFile {
	t.Helper()
	vf, err := fake.LoadVectors("testdata/tencentcloud.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(vf.SigningVectors) != 3 {
		t.Fatalf("vector file holds %d signing vectors, want 3", len(vf.SigningVectors))
	}
	return vf
}

// TestSigningVectors feeds every signing vector's inputs to the signer
// and compares the encoded body, each derived key, every intermediate,
// the signature, the Authorization value and the headers sent.
func TestSigningVectors(t *testing.T) {
	for _, v := range loadVectors(t).SigningVectors {
		t.Run(v.Name, func(t *testing.T) {
			in, mid, want := v.Inputs, v.Intermediate, v.Expected
			check := func(what, got, want string) {
				t.Helper()
				if got != want {
					t.Errorf("%s\n got %q\nwant %q", what, got, want)
				}
			}
			if in.SigningKeyHex != "" { // the public example: canonical parts given
				key, _ := hex.DecodeString(in.SigningKeyHex)
				headers := map[string]string{}
				for _, kv := range publishtest.OrderedRaw(t, in.HeadersToSign) {
					headers[kv.Key] = kv.Value.(string)
				}
				id, _, _ := strings.Cut(strings.TrimPrefix(want.Authorization, tencentcloud.Algorithm+" Credential="), "/")
				sig := tencentcloud.SignWithKey(id, key, in.Scope, in.Timestamp, tencentcloud.Canonical{
					Method: in.Method, Path: in.CanonicalURI, Query: in.CanonicalQuery, Headers: headers, PayloadHash: in.BodySHA256,
				})
				check("canonical request", sig.CanonicalRequest, mid.CanonicalRequest)
				check("hashed canonical request", sig.HashedCanonicalRequest, mid.HashedCanonicalRequest)
				check("string to sign", sig.StringToSign, mid.StringToSign)
				check("signature", sig.Signature, want.Signature)
				check("authorization", sig.Authorization, want.Authorization)
				return
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
				switch strings.ToLower(k) {
				case "host", "accept": // sent as Request.Host; added by the client
					continue
				}
				check("header "+k, h.Get(k), v)
			}
			check("body sent", string(body), want.RequestBody)
		})
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
	for _, fl := range publishtest.ReadFlows(t, "testdata/tencentcloud.json") {
		f := fake.New(fl.Constructor.ID, fl.Constructor.Token)
		f.Now = func() time.Time { return pinned }
		f.AddDomain("example.com")
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
