package alidns

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"time"

	"github.com/ddns-go/ddns/publish"
)

// Algorithm is the name of Alibaba Cloud's V3 request signature.
const Algorithm = "ACS3-HMAC-SHA256"

// SignRequest is a request as ACS3-HMAC-SHA256 sees it.
type SignRequest struct {
	Method string // upper-cased when signed
	Path   string // canonical URI; "" means "/"
	// Query is the canonical query string, already sorted and encoded
	// exactly as it is sent ("" for none).
	Query string
	// Headers are the headers to sign, every one of them: names in any
	// case, values trimmed when signed.
	Headers map[string]string
	// PayloadHash is hex(SHA-256(body)), the x-acs-content-sha256 value.
	PayloadHash string
}

// Signature is an ACS3 signature with the intermediates it was computed
// from. None of them reveals the secret.
type Signature struct {
	CanonicalRequest string
	StringToSign     string
	SignedHeaders    string // sorted lower-case names joined by ";"
	Signature        string // lower-case hex
	Authorization    string // the Authorization header value
}

// Sign signs r with an AccessKey pair. The secret is the HMAC key as is:
// ACS3 derives no key.
func Sign(r SignRequest, accessKeyID, accessKeySecret string) Signature {
	var s Signature
	s.CanonicalRequest, s.SignedHeaders = publish.CanonicalRequest(r.Method, r.Path, r.Query, r.Headers, false, r.PayloadHash)
	s.StringToSign = Algorithm + "\n" + HexSHA256([]byte(s.CanonicalRequest))
	s.Signature = hex.EncodeToString(publish.HMACSHA256([]byte(accessKeySecret), s.StringToSign))
	s.Authorization = Algorithm + " Credential=" + accessKeyID + ",SignedHeaders=" + s.SignedHeaders + ",Signature=" + s.Signature
	return s
}

// HexSHA256 returns the lower-case hex SHA-256 of b.
var HexSHA256 = publish.HexSHA256

// RPC is one call of an Alibaba Cloud RPC-style API ("action" in a header,
// parameters in the query or the body), ready to be signed.
type RPC struct {
	Method      string
	Host        string // host[:port] of the endpoint; the caller must send it as Host
	Path        string // "" means "/"
	Query       string // canonical query string, as sent
	Body        []byte
	ContentType string // signed even when there is no body, as the API expects
	Action      string
	Version     string // the API version, e.g. "2015-01-09"
	Date        time.Time
	Nonce       string // unique per request: the API refuses a reused one
}

// Sign returns the headers to send with c and the signature they carry:
// content-type, x-acs-action, x-acs-content-sha256, x-acs-date,
// x-acs-signature-nonce, x-acs-version and Authorization. The seventh
// signed header, host, is not in the result because net/http sends
// Request.Host instead: set it to c.Host.
func (c RPC) Sign(accessKeyID, accessKeySecret string) (http.Header, Signature) {
	signed := map[string]string{
		"host":                  c.Host,
		"content-type":          c.ContentType,
		"x-acs-action":          c.Action,
		"x-acs-content-sha256":  HexSHA256(c.Body),
		"x-acs-date":            c.Date.UTC().Format("2006-01-02T15:04:05Z"),
		"x-acs-signature-nonce": c.Nonce,
		"x-acs-version":         c.Version,
	}
	sig := Sign(SignRequest{Method: c.Method, Path: c.Path, Query: c.Query, Headers: signed,
		PayloadHash: signed["x-acs-content-sha256"]}, accessKeyID, accessKeySecret)
	h := http.Header{}
	for k, v := range signed {
		if k != "host" {
			h.Set(k, v)
		}
	}
	h.Set("Authorization", sig.Authorization)
	return h, sig
}

// NewNonce returns a random signature nonce: 128 bits in hex.
func NewNonce() string {
	var b [16]byte
	rand.Read(b[:]) // never fails (crypto/rand panics instead)
	return hex.EncodeToString(b[:])
}
