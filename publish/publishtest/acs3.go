package publishtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/ddns-go/ddns/publish"
)

// ACS3Skew is how far x-acs-date may be from the gateway's clock.
const ACS3Skew = 15 * time.Minute

// acs3NonceMemory is how long a used nonce is remembered: longer than the
// date window, so a replayed request is refused either way.
const acs3NonceMemory = 2 * ACS3Skew

// ACS3 checks requests signed with ACS3-HMAC-SHA256 the way Alibaba
// Cloud's API gateway does for every product (DNS, ESA): from what was
// received, the Authorization header names the key and the signed
// headers; every x-acs-* header must be signed; x-acs-content-sha256 must
// be the body's; the date must be within ACS3Skew and the nonce unused;
// the canonical request is rebuilt from the received method, path,
// query, signed headers and body hash, and the signature recomputed with
// the key's secret. The zero value knows no key; it is not safe for
// concurrent use (a fake calls it under its lock).
type ACS3 struct {
	Keys   map[string]string // AccessKey ID → secret
	nonces map[string]time.Time
}

// Refusal is a request the gateway refuses, in its terms.
type Refusal struct {
	Status        int
	Code, Message string
}

func incomplete(detail string) *Refusal {
	return &Refusal{400, "IncompleteSignature", "The request signature does not conform to Aliyun standards." + detail}
}

// Check returns nil for a request signed with a known key, or the
// gateway's refusal.
func (a *ACS3) Check(r *http.Request, body []byte, now time.Time) *Refusal {
	fields, ok := AuthFields(r.Header.Get("Authorization"), "ACS3-HMAC-SHA256 ")
	if !ok {
		return incomplete("")
	}
	secret, ok := a.Keys[fields["Credential"]]
	if !ok {
		return &Refusal{404, "InvalidAccessKeyId.NotFound", "Specified access key is not found."}
	}
	signed := strings.Split(fields["SignedHeaders"], ";")
	if !sort.StringsAreSorted(signed) || !slices.Contains(signed, "host") {
		return incomplete(" SignedHeaders must be sorted and include host.")
	}
	for name := range r.Header {
		if n := strings.ToLower(name); strings.HasPrefix(n, "x-acs-") && !slices.Contains(signed, n) {
			return incomplete(" Header " + n + " is not signed.")
		}
	}
	bodyHash := publish.HexSHA256(body)
	if h := r.Header.Get("x-acs-content-sha256"); h != "" && h != bodyHash {
		return &Refusal{400, "InvalidParameter.ContentSHA256", "The x-acs-content-sha256 header does not match the request body."}
	}
	date, err := time.Parse("2006-01-02T15:04:05Z", r.Header.Get("x-acs-date"))
	if err != nil {
		return &Refusal{400, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted."}
	}
	if d := now.Sub(date); d > ACS3Skew || d < -ACS3Skew {
		return &Refusal{400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired."}
	}
	nonce := r.Header.Get("x-acs-signature-nonce")
	if nonce == "" {
		return &Refusal{400, "MissingSignatureNonce", "SignatureNonce is mandatory for this action."}
	}
	if at, used := a.nonces[nonce]; used && now.Sub(at) < acs3NonceMemory {
		return &Refusal{400, "SignatureNonceUsed", "Specified signature nonce was used already."}
	}
	canonical := strings.Join([]string{r.Method, CanonicalPath(r), CanonicalQuery(r.URL.Query(), false), CanonicalHeaders(r, signed),
		fields["SignedHeaders"], bodyHash}, "\n")
	toSign := "ACS3-HMAC-SHA256\n" + publish.HexSHA256([]byte(canonical))
	if !SameSignature(fields["Signature"], publish.HMACSHA256([]byte(secret), toSign)) {
		return &Refusal{400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation. server string to sign is:" + toSign}
	}
	if a.nonces == nil {
		a.nonces = map[string]time.Time{}
	}
	a.nonces[nonce] = now
	return nil
}

// ACS3Front is the front of an Alibaba Cloud API fake (DNS, ESA): the
// request log and faults (Base), the gateway's clock and ACS3 check, its
// request ids and its error answers, {"RequestId", "HostId", "Code",
// "Message", "Recommend"}. A fake embeds it; its methods are called with
// the fake's lock held.
type ACS3Front struct {
	// Now is the gateway's clock, for the x-acs-date check; set it before
	// serving when the client's clock is pinned.
	Now func() time.Time

	Base // requests (action: x-acs-action), counts, faults

	acs3    ACS3
	product string // as the troubleshooting links name it: "Alidns", "ESA"
	reqNo   int
}

// NewACS3Front returns the front of product's fake, accepting one
// AccessKey pair.
func NewACS3Front(product, accessKeyID, accessKeySecret string) *ACS3Front {
	return &ACS3Front{Now: time.Now, acs3: ACS3{Keys: map[string]string{accessKeyID: accessKeySecret}}, product: product}
}

// Check authenticates a request with the body it carried (see ACS3).
func (g *ACS3Front) Check(r *http.Request, body []byte) *Refusal {
	return g.acs3.Check(r, body, g.Now())
}

// RequestID numbers the answers.
func (g *ACS3Front) RequestID() string {
	g.reqNo++
	return fmt.Sprintf("FAKE-%s-%08d", strings.ToUpper(g.product), g.reqNo)
}

// WriteError answers a refusal in the gateway's shape.
func (g *ACS3Front) WriteError(w http.ResponseWriter, r *http.Request, re *Refusal) {
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(re.Status)
	json.NewEncoder(w).Encode(map[string]string{
		"RequestId": g.RequestID(), "HostId": r.Host, "Code": re.Code, "Message": re.Message,
		"Recommend": "https://api.aliyun.com/troubleshoot?q=" + re.Code + "&product=" + g.product,
	})
}

// WriteFault answers a queued fault: as given, or as the gateway's error.
func (g *ACS3Front) WriteFault(w http.ResponseWriter, r *http.Request, ft *Fault) {
	if !ft.WritePlain(w) {
		g.WriteError(w, r, &Refusal{ft.StatusOr(http.StatusOK), ft.Code, ft.Message})
	}
}

// ACS3BadCredentials are the credentials every Alibaba Cloud gateway
// refuses, with its codes, for an account accepting id and secret: the
// right id with a wrong secret, an unknown id with the right secret.
func ACS3BadCredentials(id, secret string) []BadCredential {
	return []BadCredential{
		{"wrong secret", id, "WrongSecretValue4567", "SignatureDoesNotMatch"},
		{"unknown key", "LTAI5tUnknown", secret, "InvalidAccessKeyId.NotFound"},
	}
}

// ACS3Faults are the transient faults of the Alibaba Cloud gateway and
// what a provider must make of them: throttling (429) and an outage
// (503) with Retry-After, a proxy's 502 page, and 2xx answers that are
// not JSON at all or empty.
func ACS3Faults() []FaultCase {
	return []FaultCase{
		{"429 with Retry-After", Fault{Status: 429, Code: "Throttling.User", Message: "Request was denied due to user flow control.", RetryAfter: "7"}, 7 * time.Second, "Throttling.User"},
		{"503", Fault{Status: 503, Code: "ServiceUnavailable", Message: "The request has failed due to a temporary failure of the server.", RetryAfter: "30"}, 30 * time.Second, "ServiceUnavailable"},
		{"502 from a proxy", Fault{Status: 502, Body: "<html>Bad Gateway</html>"}, 0, "502"},
		{"not JSON at all", Fault{Status: 200, Body: "<html>captive portal</html>"}, 0, "malformed answer"},
		{"empty answer", Fault{Status: 200}, 0, "malformed answer"},
	}
}
