package cloudflare

import (
	"errors"

	"github.com/ddns-go/ddns/publish"
)

// ParseAnswer exposes the envelope parser to the fuzz test.
func ParseAnswer(status int, body []byte) (result []byte, err error) {
	return parseAnswer(&publish.Response{Status: status, Body: body})
}

// ParseResult runs every result reader over one result.
func ParseResult(result []byte) error {
	_, e1 := parseZones(result)
	_, e2 := parseRecords(result)
	_, e3 := parseID(result)
	return errors.Join(e1, e2, e3)
}
