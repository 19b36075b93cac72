package publishtest

import (
	"crypto/hmac"
	"encoding/hex"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// The pieces of an HMAC-SHA256 request signature that the fakes of the
// cloud APIs (Alibaba's ACS3, Tencent's TC3, Huawei's SDK-HMAC) check
// the same way, from the request as received. They are written apart
// from the providers' signers on purpose; only the hash primitives
// (publish.HexSHA256, publish.HMACSHA256) are shared.

// AuthFields reads an Authorization header of the form
// "<scheme> Name=value, Name=value": its fields, and false when it is not
// of scheme (given with its trailing space).
func AuthFields(auth, scheme string) (map[string]string, bool) {
	if !strings.HasPrefix(auth, scheme) {
		return nil, false
	}
	fields := map[string]string{}
	for _, part := range strings.Split(strings.TrimPrefix(auth, scheme), ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		fields[k] = v
	}
	return fields, true
}

// CanonicalHeaders is the signed headers' block of a canonical request:
// "name:value\n" for each of names in order, the value trimmed and Host
// the request's.
func CanonicalHeaders(r *http.Request, names []string) string {
	var b strings.Builder
	for _, n := range names {
		v := r.Header.Get(n)
		if n == "host" {
			v = r.Host
		}
		b.WriteString(n + ":" + strings.TrimSpace(v) + "\n")
	}
	return b.String()
}

// CanonicalPath is the path of a canonical request: the escaped path as
// received, "/" for none.
func CanonicalPath(r *http.Request) string {
	if p := r.URL.EscapedPath(); p != "" {
		return p
	}
	return "/"
}

// CanonicalQuery is the query of a canonical request: sorted by name
// (and each name's values sorted too when sortValues is set), names and
// values in RFC 3986 percent-encoding (Escape).
func CanonicalQuery(q url.Values, sortValues bool) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(q)) {
		vs := slices.Clone(q[k])
		if sortValues {
			slices.Sort(vs)
		}
		for _, v := range vs {
			parts = append(parts, Escape(k)+"="+Escape(v))
		}
	}
	return strings.Join(parts, "&")
}

// Escape percent-encodes every byte of s but A-Z a-z 0-9 - _ . ~, in
// upper-case hex (RFC 3986; a space is %20).
func Escape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

// SameSignature compares a received hex signature with the one
// recomputed, in constant time.
func SameSignature(got string, want []byte) bool {
	return hmac.Equal([]byte(got), []byte(hex.EncodeToString(want)))
}
