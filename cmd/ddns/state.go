package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/ddns-go/ddns/config"
)

// fingerprint is a digest of everything that shapes c's publishes: a
// reload that leaves it unchanged keeps the running publisher, its HTTP
// client and a permanent failure verdict. It is a digest so that no
// credential is kept in clear beside the configuration.
func fingerprint(c *config.Config) string {
	h := sha256.New()
	for _, v := range []any{c.DNS, c.ID, c.Token, c.Endpoint, c.Proxy, c.SSL, c.TTL, c.Line, c.Extra, c.Concurrency} {
		s := fmt.Sprintf("%v", v)
		fmt.Fprintf(h, "%d:%s;", len(s), s)
	}
	return hex.EncodeToString(h.Sum(nil))
}
