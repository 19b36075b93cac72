package huaweidnsfake

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/publishtest"
)

// maxSkew is how far X-Sdk-Date may be from the gateway's clock: Huawei's
// API gateway rejects signatures older or newer than 15 minutes.
const maxSkew = 15 * time.Minute

// authenticate verifies the SDK-HMAC-SHA256 signature as the API gateway
// does, independently of the client's code: it parses the Authorization
// header, checks the date, rebuilds the canonical request from what was
// received (path and query re-encoded, the listed headers, the body hash)
// and compares HMAC(SK, string to sign). It returns nil or the gateway's
// 401 answer.
func (s *Server) authenticate(r *http.Request, body []byte) *apiError {
	fields, ok := publishtest.AuthFields(r.Header.Get("Authorization"), "SDK-HMAC-SHA256 ")
	if !ok {
		return gatewayAuthError("Authorization header is missing or not SDK-HMAC-SHA256")
	}
	access, signedHeaders, sig := fields["Access"], fields["SignedHeaders"], fields["Signature"]
	if access == "" || signedHeaders == "" || sig == "" {
		return gatewayAuthError("Authorization header is malformed")
	}
	date := r.Header.Get("X-Sdk-Date")
	t, err := time.Parse("20060102T150405Z", date)
	if err != nil {
		return gatewayAuthError("x-sdk-date is missing or invalid")
	}
	if d := s.now().Sub(t); d > maxSkew || d < -maxSkew {
		return gatewayAuthError("signature expired")
	}
	if access != s.AK {
		return gatewayAuthError("ak " + access + " not exist")
	}
	names := strings.Split(signedHeaders, ";")
	if !slices.Contains(names, "host") || !slices.Contains(names, "x-sdk-date") {
		return gatewayAuthError("host and x-sdk-date must be signed")
	}
	cr := strings.Join([]string{
		r.Method, canonicalPath(r.URL), publishtest.CanonicalQuery(r.URL.Query(), true),
		publishtest.CanonicalHeaders(r, names), signedHeaders, publish.HexSHA256(body),
	}, "\n")
	sts := "SDK-HMAC-SHA256\n" + date + "\n" + publish.HexSHA256([]byte(cr))
	if !publishtest.SameSignature(sig, publish.HMACSHA256([]byte(s.SK), sts)) {
		return gatewayAuthError("verify aksk signature fail")
	}
	return nil
}

// canonicalPath re-encodes each decoded path segment (unreserved bytes
// kept) and ends the path with "/", as the gateway signs it.
func canonicalPath(u *url.URL) string {
	segs := strings.Split(u.Path, "/")
	for i, s := range segs {
		segs[i] = publishtest.Escape(s)
	}
	p := strings.Join(segs, "/")
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p
}
