package tencentcloud

import (
	"encoding/hex"
	"net/http"
	"strconv"
	"time"

	"github.com/ddns-go/ddns/publish"
)

// Algorithm names Tencent Cloud's API 3.0 request signature.
const Algorithm = "TC3-HMAC-SHA256"

// contentType is the one body type of API 3.0 POST requests; it is signed.
const contentType = "application/json"

// Keys are the HMAC keys TC3 derives from a SecretKey, one per step
// (step 4 of TC3). Signing is the one that signs; the
// others are kept so tests can compare every step.
type Keys struct{ Date, Service, Signing []byte }

// DeriveKeys derives the signing key for a UTC date ("2006-01-02") and a
// service ("dnspod", "teo").
func DeriveKeys(secretKey, date, service string) Keys {
	var k Keys
	k.Date = hmacSHA256([]byte("TC3"+secretKey), date)
	k.Service = hmacSHA256(k.Date, service)
	k.Signing = hmacSHA256(k.Service, "tc3_request")
	return k
}

// Canonical is a request as the signature sees it.
type Canonical struct {
	Method string // upper-cased when signed
	Path   string // canonical URI; "" means "/"
	Query  string // canonical query string ("" for POST)
	// Headers are the headers to sign, every one of them: names and
	// values are lower-cased and trimmed when signed, as Tencent Cloud
	// documents (the original only trimmed: the same bytes for the
	// lower-case values it signs).
	Headers     map[string]string
	PayloadHash string // hex(SHA-256(body))
}

// Signature is a TC3 signature with the intermediates it was computed
// from. None of them reveals the secret key.
type Signature struct {
	CanonicalRequest       string
	HashedCanonicalRequest string
	StringToSign           string
	SignedHeaders          string // sorted lower-case names joined by ";"
	Signature              string // lower-case hex
	Authorization          string // the Authorization header value
}

// SignWithKey signs c with an already derived signing key. timestamp is
// the X-TC-Timestamp value (Unix seconds) and scope the credential scope
// ("2023-11-14/dnspod/tc3_request").
func SignWithKey(secretID string, signingKey []byte, scope, timestamp string, c Canonical) Signature {
	var s Signature
	s.CanonicalRequest, s.SignedHeaders = publish.CanonicalRequest(c.Method, c.Path, c.Query, c.Headers, true, c.PayloadHash)
	s.HashedCanonicalRequest = HexSHA256([]byte(s.CanonicalRequest))
	s.StringToSign = Algorithm + "\n" + timestamp + "\n" + scope + "\n" + s.HashedCanonicalRequest
	s.Signature = hex.EncodeToString(hmacSHA256(signingKey, s.StringToSign))
	// ", " separators, unlike ACS3: the gateway accepts both, the
	// original and Tencent's SDKs send these.
	s.Authorization = Algorithm + " Credential=" + secretID + "/" + scope +
		", SignedHeaders=" + s.SignedHeaders + ", Signature=" + s.Signature
	return s
}

// Request is one API 3.0 call, ready to be signed: always POST / with a
// JSON body.
type Request struct {
	Host    string // host[:port] of the endpoint; send it as Request.Host
	Service string // "dnspod", "teo"
	Action  string // X-TC-Action
	Version string // X-TC-Version, e.g. "2021-03-23"
	Body    []byte
	Time    time.Time // one instant gives both the date and the timestamp
}

// Scope returns the credential scope of r: its UTC date, service and
// "tc3_request".
func (r Request) Scope() string {
	return r.Time.UTC().Format(time.DateOnly) + "/" + r.Service + "/tc3_request"
}

// Sign returns the headers to send with r and the signature they carry:
// Content-Type, X-TC-Action, X-TC-Version, X-TC-Timestamp and
// Authorization. The other signed header, host, is not among them because
// net/http sends Request.Host instead: set it to r.Host. Exactly two
// headers are signed, content-type and host, as the original does; the
// X-TC-* headers travel unsigned, which the gateway allows.
func (r Request) Sign(secretID, secretKey string) (http.Header, Signature) {
	date := r.Time.UTC().Format(time.DateOnly)
	timestamp := strconv.FormatInt(r.Time.Unix(), 10)
	key := DeriveKeys(secretKey, date, r.Service).Signing
	sig := SignWithKey(secretID, key, r.Scope(), timestamp, Canonical{
		Method:      http.MethodPost,
		Headers:     map[string]string{"content-type": contentType, "host": r.Host},
		PayloadHash: HexSHA256(r.Body),
	})
	h := http.Header{}
	h.Set("Content-Type", contentType)
	h.Set("X-TC-Action", r.Action)
	h.Set("X-TC-Version", r.Version)
	h.Set("X-TC-Timestamp", timestamp)
	h.Set("Authorization", sig.Authorization)
	return h, sig
}

// HexSHA256 returns the lower-case hex SHA-256 of b.
var HexSHA256 = publish.HexSHA256

var hmacSHA256 = publish.HMACSHA256
