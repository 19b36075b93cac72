package dnscom_test

import (
	"testing"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/dnscom"
	"github.com/ddns-go/ddns/publish/publishtest"
)

// FuzzParse feeds arbitrary replies to the reply parsers and to whole
// publishes, with and without a remembered id, whose every request is
// answered with that reply: they must never panic, whatever the service
// (or a proxy in between) sends.
//
//	go test ./publish/dnscom -run '^$' -fuzz FuzzParse -fuzztime 20s
func FuzzParse(f *testing.F) {
	seeds := append(publishtest.Seeds(publishtest.ReadFlows(f, "testdata/dnscom.json")),
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
	)
	hint := publish.Hint{ZoneID: "123456", ZoneName: "example.com", RecordID: "7"}
	publishtest.FuzzAnswers(f, "dnscom", publish.Settings{ID: "testApiKey", Token: "s3cret-value"},
		func(b []byte) { dnscom.ParseAll(b) }, hint, seeds...)
}
