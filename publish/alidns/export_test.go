package alidns

import "github.com/ddns-go/ddns/publish"

// SetNonce replaces the signature nonce source of a provider built by New,
// so that recorded requests can be reproduced byte for byte.
func SetNonce(p publish.Provider, f func() string) { p.(*publish.ZoneFlow).API.(*api).c.nonce = f }

// The response parsers, for the fuzz test.
var (
	ParseMain     = parseMain
	ParseRecords  = parseRecords
	ParseRecordID = parseRecordID
	ParseDomains  = parseDomains
)
