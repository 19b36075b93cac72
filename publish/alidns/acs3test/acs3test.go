// Package acs3test checks the ACS3 signer (alidns.Sign, alidns.RPC)
// against the original client's signing vectors, for the tests of both
// providers behind Alibaba Cloud's gateway (alidns, aliesa).
package acs3test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/alidns"
	"github.com/ddns-go/ddns/publish/publishtest"
)

// Vector is one signature computed by the original client, with its
// inputs and every intermediate. The public Alibaba example gives the
// canonical query and the headers to sign instead of parameters.
type Vector struct {
	Name   string
	Inputs struct {
		AccessKeyID     string            `json:"access_key_id"`
		AccessKeySecret string            `json:"access_key_secret"`
		Method          string            `json:"method"`
		Endpoint        string            `json:"endpoint"`
		Host            string            `json:"host"`
		CanonicalURI    string            `json:"canonical_uri"`
		QueryParams     json.RawMessage   `json:"query_params"`
		BodyParams      json.RawMessage   `json:"body_params"`
		ContentType     string            `json:"content_type"`
		Action          string            `json:"x-acs-action"`
		Version         string            `json:"x-acs-version"`
		Date            string            `json:"x-acs-date"`
		Nonce           string            `json:"x-acs-signature-nonce"`
		CanonicalQuery  string            `json:"canonical_query_string"`
		HeadersToSign   map[string]string `json:"headers_to_sign"`
		Body            *string           `json:"body"`
	}
	Intermediate struct {
		CanonicalQuery   string `json:"canonical_query_string"`
		Body             string `json:"body"`
		ContentSHA256    string `json:"x-acs-content-sha256"`
		SignedHeaders    string `json:"signed_headers"`
		CanonicalRequest string `json:"canonical_request"`
		Hashed           string `json:"hashed_canonical_request"`
		StringToSign     string `json:"string_to_sign"`
	}
	Expected struct {
		Signature     string
		Authorization string
		RequestURL    string            `json:"request_url"`
		Headers       map[string]string `json:"request_headers_before_transport"`
		RequestBody   *string           `json:"request_body"`
	}
}

// Vectors reads the signing vectors of the file at path.
func Vectors(tb testing.TB, path string) []Vector {
	var vf struct {
		SigningVectors []Vector `json:"signing_vectors"`
	}
	publishtest.ReadJSON(tb, path, &vf)
	return vf.SigningVectors
}

// RPC signs the vector's call with query and body as encoded, and checks
// the headers it gives (with the Host and the Accept the client adds,
// and nothing more), the body hash and the request URL.
func RPC(t *testing.T, v Vector, query string, body []byte) alidns.Signature {
	t.Helper()
	in := v.Inputs
	date, err := time.Parse(time.RFC3339, in.Date)
	if err != nil {
		t.Fatal(err)
	}
	h, sig := alidns.RPC{Method: in.Method, Host: in.Host, Path: in.CanonicalURI, Query: query, Body: body, ContentType: in.ContentType,
		Action: in.Action, Version: in.Version, Date: date, Nonce: in.Nonce}.Sign(in.AccessKeyID, in.AccessKeySecret)
	h.Set("Host", in.Host) // sent as Request.Host
	h.Set("Accept", "application/json")
	for k, val := range v.Expected.Headers {
		if got := h.Get(k); got != val {
			t.Errorf("header %s = %q, want %q", k, got, val)
		}
	}
	if len(h) != len(v.Expected.Headers) {
		t.Errorf("%d headers, want %d: %v", len(h), len(v.Expected.Headers), h)
	}
	url := in.Endpoint + "/"
	if query != "" {
		url += "?" + query
	}
	check(t, "x-acs-content-sha256", h.Get("x-acs-content-sha256"), v.Intermediate.ContentSHA256)
	check(t, "request URL", url, v.Expected.RequestURL)
	return sig
}

// Check compares a signature with the vector's: the signed headers (when
// the vector gives them), every intermediate, the signature and the
// Authorization value.
func Check(t *testing.T, v Vector, sig alidns.Signature) {
	t.Helper()
	want := v.Intermediate
	if want.SignedHeaders != "" {
		check(t, "signed headers", sig.SignedHeaders, want.SignedHeaders)
	}
	check(t, "canonical request", sig.CanonicalRequest, want.CanonicalRequest)
	check(t, "string to sign", sig.StringToSign, want.StringToSign)
	check(t, "hashed canonical request", strings.TrimPrefix(sig.StringToSign, alidns.Algorithm+"\n"), want.Hashed)
	check(t, "signature", sig.Signature, v.Expected.Signature)
	check(t, "authorization", sig.Authorization, v.Expected.Authorization)
}

func check(t *testing.T, what, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("%s\n got %q\nwant %q", what, got, want)
	}
}

// Fuzz fuzzes the answer parsers of a provider behind the Alibaba Cloud
// gateway with any status and body, seeded with the answers recorded in
// the vectors file at path (see publishtest.FuzzResponses): parse runs
// them, checks what they accept and returns their errors by parser. No
// parser may accept an answer that is not 2xx, nor refuse one on more
// than one line.
func Fuzz(f *testing.F, path string, parse func(t *testing.T, resp *publish.Response) map[string]error) {
	publishtest.FuzzResponses(f, path, func(t *testing.T, resp *publish.Response) {
		ok := resp.Status >= 200 && resp.Status < 300
		for what, err := range parse(t, resp) {
			if err == nil && !ok {
				t.Errorf("%s: HTTP %d accepted", what, resp.Status)
			}
			if err != nil && strings.ContainsAny(err.Error(), "\r\n") {
				t.Errorf("%s: error on more than one line: %q", what, err)
			}
		}
	})
}
