package aliesafake

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"
)

// dateSkew is how far x-acs-date may be from the server's clock.
const dateSkew = 15 * time.Minute

// nonceMemory is how long a used nonce is remembered: longer than the
// date window, so a replayed request is refused either way.
const nonceMemory = 2 * dateSkew

// authenticate checks an ACS3-HMAC-SHA256 request the way the gateway
// does, from what was received: the Authorization header names the key and
// the signed headers; the canonical request is rebuilt from the received
// method, path, query, the signed headers' values and the hash of the
// received body; the signature is recomputed with the key's secret. It is
// written apart from the provider's signer on purpose. f.mu is held.
func (f *Fake) authenticate(r *http.Request, body []byte, now time.Time) *apiError {
	const alg = "ACS3-HMAC-SHA256 "
	auth := r.Header.Get("Authorization")
	if !strings.HasPrefix(auth, alg) {
		return &apiError{400, "IncompleteSignature", "The request signature does not conform to Aliyun standards."}
	}
	fields := map[string]string{}
	for _, part := range strings.Split(strings.TrimPrefix(auth, alg), ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		fields[k] = v
	}
	secret, ok := f.keys[fields["Credential"]]
	if !ok {
		return &apiError{404, "InvalidAccessKeyId.NotFound", "Specified access key is not found."}
	}
	signed := strings.Split(fields["SignedHeaders"], ";")
	if !sort.StringsAreSorted(signed) || !slices.Contains(signed, "host") {
		return &apiError{400, "IncompleteSignature", "The request signature does not conform to Aliyun standards. SignedHeaders must be sorted and include host."}
	}
	for name := range r.Header {
		if n := strings.ToLower(name); strings.HasPrefix(n, "x-acs-") && !slices.Contains(signed, n) {
			return &apiError{400, "IncompleteSignature", "The request signature does not conform to Aliyun standards. Header " + n + " is not signed."}
		}
	}
	sum := sha256.Sum256(body)
	bodyHash := hex.EncodeToString(sum[:])
	if h := r.Header.Get("x-acs-content-sha256"); h != "" && h != bodyHash {
		return &apiError{400, "InvalidParameter.ContentSHA256", "The x-acs-content-sha256 header does not match the request body."}
	}
	date, err := time.Parse("2006-01-02T15:04:05Z", r.Header.Get("x-acs-date"))
	if err != nil {
		return &apiError{400, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted."}
	}
	if d := now.Sub(date); d > dateSkew || d < -dateSkew {
		return &apiError{400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired."}
	}
	nonce := r.Header.Get("x-acs-signature-nonce")
	if nonce == "" {
		return &apiError{400, "MissingSignatureNonce", "SignatureNonce is mandatory for this action."}
	}
	if at, used := f.nonces[nonce]; used && now.Sub(at) < nonceMemory {
		return &apiError{400, "SignatureNonceUsed", "Specified signature nonce was used already."}
	}

	var headers strings.Builder
	for _, n := range signed {
		v := r.Header.Get(n)
		if n == "host" {
			v = r.Host
		}
		headers.WriteString(n + ":" + strings.TrimSpace(v) + "\n")
	}
	path := r.URL.EscapedPath()
	if path == "" {
		path = "/"
	}
	canonical := strings.Join([]string{r.Method, path, canonicalQuery(r.URL.Query()), headers.String(),
		fields["SignedHeaders"], bodyHash}, "\n")
	h := sha256.Sum256([]byte(canonical))
	toSign := "ACS3-HMAC-SHA256\n" + hex.EncodeToString(h[:])
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(toSign))
	if want := hex.EncodeToString(mac.Sum(nil)); !hmac.Equal([]byte(want), []byte(fields["Signature"])) {
		return &apiError{400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation. server string to sign is:" + toSign}
	}
	f.nonces[nonce] = now
	return nil
}

// canonicalQuery is the gateway's canonical form: sorted by name, RFC
// 3986 percent-encoding (space as %20).
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
