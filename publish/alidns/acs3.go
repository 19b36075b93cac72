package alidns

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"sort"
	"strings"
	"time"
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
	names := make([]string, 0, len(r.Headers))
	values := make(map[string]string, len(r.Headers))
	for k, v := range r.Headers {
		k = strings.ToLower(k)
		names = append(names, k)
		values[k] = strings.TrimSpace(v)
	}
	sort.Strings(names)
	var canonHeaders strings.Builder
	for _, k := range names {
		canonHeaders.WriteString(k + ":" + values[k] + "\n")
	}
	path := r.Path
	if path == "" {
		path = "/"
	}
	var s Signature
	s.SignedHeaders = strings.Join(names, ";")
	// CanonicalHeaders ends with "\n", so joining leaves an empty line
	// before SignedHeaders, as the algorithm wants.
	s.CanonicalRequest = strings.Join([]string{strings.ToUpper(r.Method), path, r.Query,
		canonHeaders.String(), s.SignedHeaders, r.PayloadHash}, "\n")
	s.StringToSign = Algorithm + "\n" + HexSHA256([]byte(s.CanonicalRequest))
	mac := hmac.New(sha256.New, []byte(accessKeySecret))
	mac.Write([]byte(s.StringToSign))
	s.Signature = hex.EncodeToString(mac.Sum(nil))
	s.Authorization = Algorithm + " Credential=" + accessKeyID + ",SignedHeaders=" + s.SignedHeaders + ",Signature=" + s.Signature
	return s
}

// HexSHA256 returns the lower-case hex SHA-256 of b.
func HexSHA256(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

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
