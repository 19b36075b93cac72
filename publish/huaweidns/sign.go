package huaweidns

import (
	"encoding/hex"
	"slices"
	"sort"
	"strings"

	"github.com/ddns-go/ddns/publish"
)

// algorithm names Huawei's API-gateway AK/SK signature.
const algorithm = "SDK-HMAC-SHA256"

// dateFormat is the layout of X-Sdk-Date: basic ISO 8601, always UTC.
const dateFormat = "20060102T150405Z"

// header is one signed header: lower-case name, value.
type header struct{ name, value string }

// signature is a signed request: the intermediates (compared with the
// recorded vectors in tests) and the Authorization header value. It holds
// derived secrets: never log it.
type signature struct {
	CanonicalRequest string
	StringToSign     string
	Signature        string
	Authorization    string
}

// sign computes the SDK-HMAC-SHA256 signature of a request.
// canonicalURI is the request path with a trailing "/";
// canonicalQuery the sorted form encoding of the query; every header given
// is signed; date is the X-Sdk-Date value. The secret key is used as the
// HMAC key directly: unlike AWS, Huawei derives no per-day key.
func sign(ak, sk, method, canonicalURI, canonicalQuery string, headers []header, body []byte, date string) signature {
	hs := slices.Clone(headers)
	for i := range hs {
		hs[i].name = strings.ToLower(hs[i].name)
		hs[i].value = strings.TrimSpace(hs[i].value)
	}
	// sort.Slice, not slices.SortFunc: a generic sort is compiled anew for
	// every element type (9 KB each on mips), a router budget matter.
	sort.Slice(hs, func(i, j int) bool { return hs[i].name < hs[j].name })
	var canon strings.Builder
	names := make([]string, len(hs))
	for i, h := range hs {
		canon.WriteString(h.name + ":" + h.value + "\n")
		names[i] = h.name
	}
	signed := strings.Join(names, ";")
	cr := strings.Join([]string{
		strings.ToUpper(method), canonicalURI, canonicalQuery,
		canon.String(), signed, publish.HexSHA256(body),
	}, "\n")
	sts := algorithm + "\n" + date + "\n" + publish.HexSHA256([]byte(cr))
	sig := hex.EncodeToString(publish.HMACSHA256([]byte(sk), sts))
	return signature{
		CanonicalRequest: cr,
		StringToSign:     sts,
		Signature:        sig,
		Authorization:    algorithm + " Access=" + ak + ", SignedHeaders=" + signed + ", Signature=" + sig,
	}
}

// canonicalURI is the path as signed: the gateway always signs it with a
// trailing slash, though the request itself is sent without one.
func canonicalURI(path string) string {
	if !strings.HasSuffix(path, "/") {
		path += "/"
	}
	return path
}

// escapeSegment percent-encodes one path segment the way Huawei's SDKs do
// for the canonical URI: everything but A-Z a-z 0-9 - _ . ~ is encoded.
// Ids from the API are plain hex, so this is the identity for them; it
// keeps a corrupt id from the state file from breaking the URL.
func escapeSegment(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteString("%" + strings.ToUpper(hex.EncodeToString([]byte{c})))
	}
	return b.String()
}
