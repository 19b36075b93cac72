package alidns_test

import (
	"testing"
	"time"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/alidns"
	"github.com/ddns-go/ddns/publish/alidns/acs3test"
	"github.com/ddns-go/ddns/publish/publishtest"
)

// pinned is the clock of the recorded vectors, and vectorNonce the nonce
// the original derived from it.
var (
	pinned      = time.Unix(1700000000, 123456000)
	vectorNonce = "4670159200973056"
)

// TestSigningVectors reproduces every signature of the original client,
// intermediates included.
func TestSigningVectors(t *testing.T) {
	for _, v := range acs3test.Vectors(t, "testdata/alidns.json") {
		t.Run(v.Name, func(t *testing.T) {
			in := v.Inputs
			if in.HeadersToSign != nil { // the public Alibaba example, through the generic builder
				acs3test.Check(t, v, alidns.Sign(alidns.SignRequest{Method: in.Method, Path: in.CanonicalURI, Query: in.CanonicalQuery,
					Headers: in.HeadersToSign, PayloadHash: alidns.HexSHA256([]byte(*in.Body))}, in.AccessKeyID, in.AccessKeySecret))
				return
			}
			body := publish.Form(publishtest.Ordered(t, in.BodyParams))
			if body != v.Intermediate.Body {
				t.Errorf("body\n got %s\nwant %s", body, v.Intermediate.Body)
			}
			acs3test.Check(t, v, acs3test.RPC(t, v, "", []byte(body)))
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
