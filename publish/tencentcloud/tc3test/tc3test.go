// Package tc3test checks the TC3 signer against the original client's
// signing vectors, for the tests of both providers on Tencent Cloud's API
// 3.0 (tencentcloud, edgeone).
package tc3test

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/publishtest"
	"github.com/ddns-go/ddns/publish/tencentcloud"
	fake "github.com/ddns-go/ddns/publish/tencentcloud/tencentcloudfake"
)

// Vectors reads the signing vectors of the file at path, which must hold
// n of them.
func Vectors(tb testing.TB, path string, n int) []fake.SigningVector {
	tb.Helper()
	vf, err := fake.LoadVectors(path)
	if err != nil {
		tb.Fatal(err)
	}
	if len(vf.SigningVectors) != n {
		tb.Fatalf("%s holds %d signing vectors, want %d", path, len(vf.SigningVectors), n)
	}
	return vf.SigningVectors
}

// Check feeds a vector's inputs to the signer and compares the encoded
// body (nested objects in order), each derived key, every intermediate,
// the signature, the Authorization value and the headers sent. The
// public Tencent example, which gives a derived key and the canonical
// parts instead, goes through SignWithKey.
func Check(t *testing.T, v fake.SigningVector) {
	in, mid, want := v.Inputs, v.Intermediate, v.Expected
	check := func(what, got, want string) {
		t.Helper()
		if got != want {
			t.Errorf("%s\n got %q\nwant %q", what, got, want)
		}
	}
	var sig tencentcloud.Signature
	if in.SigningKeyHex != "" {
		key, _ := hex.DecodeString(in.SigningKeyHex)
		headers := map[string]string{}
		for _, kv := range publishtest.OrderedRaw(t, in.HeadersToSign) {
			headers[kv.Key] = kv.Value.(string)
		}
		id, _, _ := strings.Cut(strings.TrimPrefix(want.Authorization, tencentcloud.Algorithm+" Credential="), "/")
		sig = tencentcloud.SignWithKey(id, key, in.Scope, in.Timestamp, tencentcloud.Canonical{
			Method: in.Method, Path: in.CanonicalURI, Query: in.CanonicalQuery, Headers: headers, PayloadHash: in.BodySHA256,
		})
	} else {
		body := publish.PyJSON(publishtest.OrderedRaw(t, in.Params))
		check("body", string(body), mid.Body)
		check("body sent", string(body), want.RequestBody)
		check("body hash", tencentcloud.HexSHA256(body), mid.BodySHA256)
		keys := tencentcloud.DeriveKeys(in.SecretKey, in.Date, in.Service)
		check("kDate", hex.EncodeToString(keys.Date), mid.SecretDateHex)
		check("kService", hex.EncodeToString(keys.Service), mid.SecretServiceHex)
		check("kSigning", hex.EncodeToString(keys.Signing), mid.SecretSigningHex)
		ts, _ := strconv.ParseInt(in.Timestamp, 10, 64)
		req := tencentcloud.Request{Host: in.Host, Service: in.Service, Action: in.Action, Version: in.Version, Body: body, Time: time.Unix(ts, 0)}
		check("credential scope", req.Scope(), mid.CredentialScope)
		var h http.Header
		h, sig = req.Sign(in.SecretID, in.SecretKey)
		check("signed headers", sig.SignedHeaders, mid.SignedHeaders)
		for k, v := range want.RequestHeaders {
			if l := strings.ToLower(k); l != "host" && l != "accept" { // sent as Request.Host; added by the client
				check("header "+k, h.Get(k), v)
			}
		}
	}
	check("canonical request", sig.CanonicalRequest, mid.CanonicalRequest)
	check("hashed canonical request", sig.HashedCanonicalRequest, mid.HashedCanonicalRequest)
	check("string to sign", sig.StringToSign, mid.StringToSign)
	check("signature", sig.Signature, want.Signature)
	check("authorization", sig.Authorization, want.Authorization)
}

// Fuzz fuzzes the parsers of an API 3.0 provider with arbitrary answers,
// seeded with the canned answers recorded in the vectors files at paths
// (see publishtest.FuzzBodies): the envelope parser may refuse one, but
// an API error it reports has a code and fits on one line; check gets
// the Response object of every answer the envelope parser accepts.
func Fuzz(f *testing.F, check func(t *testing.T, resp json.RawMessage), paths ...string) {
	publishtest.FuzzBodies(f, func(t *testing.T, body []byte) {
		resp, err := tencentcloud.ParseResponse(body)
		if err == nil {
			check(t, resp)
			return
		}
		var ae *tencentcloud.APIError
		if errors.As(err, &ae) && (ae.Code == "" || strings.ContainsAny(ae.Error(), "\r\n")) {
			t.Errorf("API error %q: want a code, on one line", ae.Error())
		}
	}, paths...)
}
