package alidnsfake

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// dateSkew is how far x-acs-date may be from the server's clock, as the
// real service allows.
const dateSkew = 15 * time.Minute

// authError is a refusal in the service's terms.
type authError struct {
	status        int
	code, message string
}

// authenticate checks an ACS3-HMAC-SHA256 request the way the service
// does, from what was received: the Authorization header names the key and
// the signed headers; the canonical request is rebuilt from the received
// method, path, query, those headers' values and the body's hash; the
// signature is recomputed with the key's secret. It is written
// independently of the provider's signer on purpose.
func (f *Fake) authenticate(r *http.Request, body []byte, now time.Time) *authError {
	auth := r.Header.Get("Authorization")
	const alg = "ACS3-HMAC-SHA256 "
	if !strings.HasPrefix(auth, alg) {
		return &authError{400, "IncompleteSignature", "The request signature does not conform to Aliyun standards."}
	}
	fields := map[string]string{}
	for _, part := range strings.Split(strings.TrimPrefix(auth, alg), ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		fields[k] = v
	}
	secret, ok := f.keys[fields["Credential"]]
	if !ok {
		return &authError{404, "InvalidAccessKeyId.NotFound", "Specified access key is not found."}
	}
	signed := strings.Split(fields["SignedHeaders"], ";")
	if !sort.StringsAreSorted(signed) || !contains(signed, "host") {
		return &authError{400, "IncompleteSignature", "The request signature does not conform to Aliyun standards. SignedHeaders must be sorted and include host."}
	}
	for name := range r.Header {
		if n := strings.ToLower(name); strings.HasPrefix(n, "x-acs-") && !contains(signed, n) {
			return &authError{400, "IncompleteSignature", "The request signature does not conform to Aliyun standards. Header " + n + " is not signed."}
		}
	}
	date, err := time.Parse("2006-01-02T15:04:05Z", r.Header.Get("x-acs-date"))
	if err != nil {
		return &authError{400, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted."}
	}
	if d := now.Sub(date); d > dateSkew || d < -dateSkew {
		return &authError{400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired."}
	}
	nonce := r.Header.Get("x-acs-signature-nonce")
	if nonce == "" {
		return &authError{400, "MissingSignatureNonce", "SignatureNonce is mandatory for this action."}
	}
	if _, used := f.nonces[nonce]; used {
		return &authError{400, "SignatureNonceUsed", "Specified signature nonce was used already."}
	}

	var headers strings.Builder
	for _, n := range signed {
		v := r.Header.Get(n)
		if n == "host" {
			v = r.Host
		}
		headers.WriteString(n + ":" + strings.TrimSpace(v) + "\n")
	}
	sum := sha256.Sum256(body)
	path := r.URL.EscapedPath()
	if path == "" {
		path = "/"
	}
	canonical := strings.Join([]string{r.Method, path, canonicalQuery(r.URL.Query()), headers.String(),
		fields["SignedHeaders"], hex.EncodeToString(sum[:])}, "\n")
	h := sha256.Sum256([]byte(canonical))
	toSign := "ACS3-HMAC-SHA256\n" + hex.EncodeToString(h[:])
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(toSign))
	want := hex.EncodeToString(mac.Sum(nil))
	if !hmac.Equal([]byte(want), []byte(fields["Signature"])) {
		return &authError{400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation. server string to sign is:" + toSign}
	}
	f.nonces[nonce] = now
	return nil
}

// canonicalQuery is the service's own canonical form: sorted by name,
// RFC 3986 percent-encoding (space as %20).
func canonicalQuery(q url.Values) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		for _, v := range q[k] {
			parts = append(parts, rfc3986(k)+"="+rfc3986(v))
		}
	}
	return strings.Join(parts, "&")
}

func rfc3986(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}
