package alidns_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/alidns"
	"github.com/ddns-go/ddns/publish/publishtest"
)

// pinned is the clock of the recorded vectors, and vectorNonce the nonce
// the original derived from it.
var (
	pinned      = time.Unix(1700000000, 123456000)
	vectorNonce = "4670159200973056"
)

type vectorFile struct {
	SigningVectors []struct {
		Name   string
		Inputs struct {
			AccessKeyID     string            `json:"access_key_id"`
			AccessKeySecret string            `json:"access_key_secret"`
			Method          string            `json:"method"`
			Host            string            `json:"host"`
			CanonicalURI    string            `json:"canonical_uri"`
			BodyParams      map[string]any    `json:"body_params"`
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
	} `json:"signing_vectors"`
}

func loadVectors(t testing.TB) (vf vectorFile) {
	publishtest.ReadJSON(t, "testdata/alidns.json", &vf) // body_params' TTL must stay 600, not 600.0
	return vf
}

// TestSigningVectors reproduces every signature of the original client,
// intermediates included.
func TestSigningVectors(t *testing.T) {
	for _, v := range loadVectors(t).SigningVectors {
		t.Run(v.Name, func(t *testing.T) {
			in, want := v.Inputs, v.Intermediate
			var sig alidns.Signature
			if in.HeadersToSign != nil {
				// The public Alibaba example through the generic builder.
				sig = alidns.Sign(alidns.SignRequest{Method: in.Method, Path: in.CanonicalURI, Query: in.CanonicalQuery,
					Headers: in.HeadersToSign, PayloadHash: alidns.HexSHA256([]byte(*in.Body))}, in.AccessKeyID, in.AccessKeySecret)
			} else {
				var params publish.Extra
				for k, val := range in.BodyParams {
					params = append(params, publish.KV{Key: k, Value: val})
				}
				body := publish.Form(params)
				if body != want.Body {
					t.Errorf("body\n got %s\nwant %s", body, want.Body)
				}
				date, err := time.Parse(time.RFC3339, in.Date)
				if err != nil {
					t.Fatal(err)
				}
				var h http.Header
				h, sig = alidns.RPC{Method: in.Method, Host: in.Host, Path: in.CanonicalURI, Body: []byte(body), ContentType: in.ContentType,
					Action: in.Action, Version: in.Version, Date: date, Nonce: in.Nonce}.Sign(in.AccessKeyID, in.AccessKeySecret)
				if got := h.Get("x-acs-content-sha256"); got != want.ContentSHA256 {
					t.Errorf("x-acs-content-sha256 %s, want %s", got, want.ContentSHA256)
				}
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
			}
			if want.SignedHeaders != "" && sig.SignedHeaders != want.SignedHeaders {
				t.Errorf("signed headers %s, want %s", sig.SignedHeaders, want.SignedHeaders)
			}
			for _, c := range []struct{ name, got, want string }{
				{"canonical request", sig.CanonicalRequest, want.CanonicalRequest},
				{"string to sign", sig.StringToSign, want.StringToSign},
				{"hashed canonical request", strings.TrimPrefix(sig.StringToSign, alidns.Algorithm+"\n"), want.Hashed},
				{"signature", sig.Signature, v.Expected.Signature},
				{"authorization", sig.Authorization, v.Expected.Authorization},
			} {
				if c.got != c.want {
					t.Errorf("%s\n got %q\nwant %q", c.name, c.got, c.want)
				}
			}
		})
	}
}

// TestFlows replays the original client's recorded runs: every request
// (method, URL, headers, body, signature) must be identical, in order,
// with the recorded answers served back.
func TestFlows(t *testing.T) {
	for _, fl := range publishtest.ReadFlows(t, "testdata/alidns.json") {
		t.Run(fl.Name, func(t *testing.T) {
			publishtest.Play(t, fl, fl.Requests, pinned, func(p publish.Provider) { alidns.SetNonce(p, func() string { return vectorNonce }) })
		})
	}
}
