package huaweidnsfake

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
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
	const scheme = "SDK-HMAC-SHA256 "
	auth := r.Header.Get("Authorization")
	if !strings.HasPrefix(auth, scheme) {
		return gatewayAuthError("Authorization header is missing or not SDK-HMAC-SHA256")
	}
	fields := map[string]string{}
	for _, f := range strings.Split(strings.TrimPrefix(auth, scheme), ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(f), "=")
		fields[k] = v
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
	if !contains(names, "host") || !contains(names, "x-sdk-date") {
		return gatewayAuthError("host and x-sdk-date must be signed")
	}
	var canon strings.Builder
	for _, n := range names {
		v := r.Header.Get(n)
		if n == "host" {
			v = r.Host
		}
		canon.WriteString(n + ":" + strings.TrimSpace(v) + "\n")
	}
	bodyHash := sha256.Sum256(body)
	cr := strings.Join([]string{
		r.Method, canonicalPath(r.URL), canonicalQuery(r.URL),
		canon.String(), signedHeaders, hex.EncodeToString(bodyHash[:]),
	}, "\n")
	crHash := sha256.Sum256([]byte(cr))
	sts := "SDK-HMAC-SHA256\n" + date + "\n" + hex.EncodeToString(crHash[:])
	mac := hmac.New(sha256.New, []byte(s.SK))
	mac.Write([]byte(sts))
	want := hex.EncodeToString(mac.Sum(nil))
	if !hmac.Equal([]byte(want), []byte(sig)) {
		return gatewayAuthError("verify aksk signature fail")
	}
	return nil
}

// canonicalPath re-encodes each decoded path segment (unreserved bytes
// kept) and ends the path with "/", as the gateway signs it.
func canonicalPath(u *url.URL) string {
	segs := strings.Split(u.Path, "/")
	for i, s := range segs {
		segs[i] = escape(s)
	}
	p := strings.Join(segs, "/")
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p
}

// canonicalQuery decodes the query and re-encodes it sorted by key, then
// by value.
func canonicalQuery(u *url.URL) string {
	q, _ := url.ParseQuery(u.RawQuery)
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		vs := append([]string(nil), q[k]...)
		sort.Strings(vs)
		for _, v := range vs {
			parts = append(parts, escape(k)+"="+escape(v))
		}
	}
	return strings.Join(parts, "&")
}

func escape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || strings.IndexByte("-_.~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func contains(l []string, s string) bool {
	for _, e := range l {
		if e == s {
			return true
		}
	}
	return false
}
