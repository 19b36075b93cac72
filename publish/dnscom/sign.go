package dnscom

import (
	"crypto/md5"
	"encoding/hex"
	"strings"
	"time"

	"github.com/ddns-go/ddns/publish"
)

// Sign adds apiKey and timestamp to params and signs them as 51dns
// requires. query is the sorted form encoding
// that is hashed, followed directly by the secret; hash is
// hex(MD5(query + secret)); body is the request body: every parameter
// plus hash, sorted again so hash lands at its sorted position. Nil
// values are dropped. params must not hold apiKey, timestamp or hash.
func Sign(params publish.Extra, apiKey, secret, timestamp string) (query, hash, body string) {
	p := make(publish.Extra, 0, len(params)+3)
	p = append(p, params...)
	p = append(p, publish.KV{Key: "apiKey", Value: apiKey}, publish.KV{Key: "timestamp", Value: timestamp})
	query = publish.Form(p)
	sum := md5.Sum([]byte(query + secret))
	hash = hex.EncodeToString(sum[:])
	body = publish.Form(append(p, publish.KV{Key: "hash", Value: hash}))
	return query, hash, body
}

// timestamp renders t as the original client does: Unix seconds as a
// Python float (1700000000.123456; a whole second keeps its ".0"). The
// service only needs a current time; the format keeps requests byte-equal
// to the original's.
func timestamp(t time.Time) string {
	return publish.PyFloat(float64(t.UnixMicro()) / 1e6)
}

// redactHash hides the signature in a request body before it is logged:
// it is a derived secret, valid until the timestamp expires.
func redactHash(body string) string {
	parts := strings.Split(body, "&")
	for i, p := range parts {
		if strings.HasPrefix(p, "hash=") {
			parts[i] = "hash=***"
		}
	}
	return strings.Join(parts, "&")
}
