package publish

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strings"
)

// The pieces the cloud APIs' request signatures share, all built on AWS
// Signature V4: Alibaba's ACS3, Tencent's TC3, Huawei's SDK-HMAC.

// HexSHA256 returns the lower-case hex SHA-256 of b: a payload hash, or a
// hashed canonical request.
func HexSHA256(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// HMACSHA256 returns the HMAC-SHA256 of msg with key.
func HMACSHA256(key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

// CanonicalRequest is the canonical request of a signature over headers
// (every one of them signed: names lower-cased and sorted, values
// trimmed, and lower-cased too when lowerValues is set, as TC3 wants),
// with the signed header names joined by ";". The method is upper-cased;
// path "" is "/"; query is the canonical query, as sent.
func CanonicalRequest(method, path, query string, headers map[string]string, lowerValues bool, payloadHash string) (canonical, signed string) {
	names := make([]string, 0, len(headers))
	values := make(map[string]string, len(headers))
	for k, v := range headers {
		k = strings.ToLower(k)
		names = append(names, k)
		if v = strings.TrimSpace(v); lowerValues {
			v = strings.ToLower(v)
		}
		values[k] = v
	}
	sort.Strings(names)
	var block strings.Builder
	for _, k := range names {
		block.WriteString(k + ":" + values[k] + "\n")
	}
	if path == "" {
		path = "/"
	}
	signed = strings.Join(names, ";")
	// The header block ends with "\n", so joining leaves the empty line
	// before the signed names that the algorithm wants.
	return strings.Join([]string{strings.ToUpper(method), path, query, block.String(), signed, payloadHash}, "\n"), signed
}
