package aliesa_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/alidns"
	"github.com/ddns-go/ddns/publish/alidns/acs3test"
	"github.com/ddns-go/ddns/publish/aliesa"
	"github.com/ddns-go/ddns/publish/aliesa/aliesafake"
	"github.com/ddns-go/ddns/publish/publishtest"
)

// pinned is the clock of the recorded vectors (in UTC, so that the
// start-time Comment reads as recorded), and vectorNonce the nonce the
// original derived from it.
var (
	pinned      = time.Unix(1700000000, 0).UTC()
	vectorNonce = "4670159200973056"
)

// text makes the numbers of OrderedRaw's parameters json.Number, for a
// query.
func text(params publish.Extra) publish.Extra {
	out := make(publish.Extra, 0, len(params))
	for _, kv := range params {
		if raw, ok := kv.Value.(json.RawMessage); ok {
			kv.Value = json.Number(raw)
		}
		out = append(out, kv)
	}
	return out
}

// TestSigningVectors reproduces every signature of the original client
// with the alidns signer: the encoded query or body, every intermediate,
// the headers and the request URL.
func TestSigningVectors(t *testing.T) {
	for _, v := range acs3test.Vectors(t, "testdata/aliesa.json") {
		t.Run(v.Name, func(t *testing.T) {
			in, want := v.Inputs, v.Intermediate
			query := publish.Form(text(publishtest.OrderedRaw(t, in.QueryParams)))
			var body []byte
			if in.Method == http.MethodPost {
				body = publish.PyJSON(publishtest.OrderedRaw(t, in.BodyParams))
			}
			if query != want.CanonicalQuery || string(body) != want.Body {
				t.Errorf("encoded parameters\n query %q\n  want %q\n  body %s\n  want %s", query, want.CanonicalQuery, body, want.Body)
			}
			acs3test.Check(t, v, acs3test.RPC(t, v, query, body))
		})
	}
}

// TestRecordedFlows replays the original client's recorded runs through
// the provider, answering with the canned responses, and compares every
// request byte for byte: method, URL, headers (Host included), body. The
// transport is replaced, not the endpoint, so the signatures are over the
// recorded host and stay comparable.
//
// One difference is expected and checked: the shared engine asks for the
// longest candidate zone first (a site called www.example.com), which the
// original does not; that lookup is answered "no such site" and is the
// only extra request allowed.
func TestRecordedFlows(t *testing.T) {
	for _, fl := range publishtest.ReadFlows(t, "testdata/aliesa.json") {
		t.Run(fl.Name, func(t *testing.T) {
			probe := publishtest.Answer(200, `{"RequestId": "EXTRA", "Sites": [], "TotalCount": 0, "PageNumber": 1, "PageSize": 500}`)
			probe.Method, probe.Headers = http.MethodGet, map[string]string{"x-acs-action": "ListSites"}
			probe.URL = strings.Replace(fl.Requests[0].URL, "SiteName=example.com", "SiteName=www.example.com", 1)
			publishtest.Play(t, fl, append([]publishtest.Exchange{probe}, fl.Requests...), pinned,
				func(p publish.Provider) { aliesa.SetNonce(p, func() string { return vectorNonce }) })
		})
	}
}

// TestFakeAcceptsRecordedSignatures cross-checks the fake's independent
// verifier: every request the original client signed passes it, and the
// same request with one byte of the body changed does not.
func TestFakeAcceptsRecordedSignatures(t *testing.T) {
	serve := func(key, secret string, w publishtest.Exchange, body string) (int, string) {
		f := aliesafake.New(key, secret)
		f.Now = func() time.Time { return pinned }
		rec := publishtest.Serve(f, w, body)
		var e struct{ Code string }
		json.Unmarshal(rec.Body.Bytes(), &e)
		return rec.Code, e.Code
	}
	for _, fl := range publishtest.ReadFlows(t, "testdata/aliesa.json") {
		for i, w := range fl.Requests {
			body := ""
			if w.Body != nil {
				body = *w.Body
			}
			if _, code := serve(fl.Constructor.ID, fl.Constructor.Token, w, body); authCode(code) {
				t.Errorf("%s request %d refused: %s", fl.Name, i+1, code)
			}
			u, _ := url.Parse(w.URL)
			if w.Method == http.MethodGet {
				u.RawQuery = strings.Replace(u.RawQuery, "example.com", "example.net", 1)
				w.URL = u.String()
			} else {
				body = strings.Replace(body, "1.2.3.4", "1.2.3.5", 1)
				body = strings.Replace(body, "2001:db8::1", "2001:db8::5", 1)
				w.Headers["x-acs-content-sha256"] = alidns.HexSHA256([]byte(body))
			}
			if _, code := serve(fl.Constructor.ID, fl.Constructor.Token, w, body); code != "SignatureDoesNotMatch" {
				t.Errorf("%s request %d altered: %q, want SignatureDoesNotMatch", fl.Name, i+1, code)
			}
		}
	}
}

func authCode(code string) bool {
	for _, p := range []string{"SignatureDoesNotMatch", "IncompleteSignature", "InvalidAccessKeyId", "InvalidTimeStamp", "SignatureNonceUsed", "MissingSignatureNonce"} {
		if strings.HasPrefix(code, p) {
			return true
		}
	}
	return false
}
