package dnscom_test

import (
	"testing"

	"github.com/ddns-go/ddns/publish/dnscom"
)

// FuzzParse feeds arbitrary replies to the reply parsers: they must never
// panic, whatever the service (or a proxy in between) sends.
func FuzzParse(f *testing.F) {
	for _, fl := range loadVectors(f).Flows {
		for _, r := range fl.Requests {
			f.Add([]byte(r.Canned.Body))
		}
	}
	for _, s := range []string{
		`{"code": 3, "message": "非法参数"}`,
		`{"code": "0", "data": {"domainID": 12, "domains": "example.com"}}`,
		`{"code": 0, "data": {"data": [{"recordID": 7, "record": "www", "type": "A", "value": "192.0.2.1", "viewID": 1, "TTL": 600}]}}`,
		`{"code": 0, "data": [{"recordID": "7", "ttl": "x"}]}`,
		`{"code": 0, "data": {"data": [1, null]}}`,
		`{"code": 0, "data": ""}`,
		`{"code": null, "data": []}`,
		`<html></html>`,
		`null`,
		``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		dnscom.ParseAll(body)
	})
}
