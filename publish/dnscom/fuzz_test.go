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
// (or a proxy in between) sends. Seeds: the vectors' canned answers and,
// in testdata/fuzz, the service's loosely typed shapes.
//
//	go test ./publish/dnscom -run '^$' -fuzz FuzzParse -fuzztime 20s
func FuzzParse(f *testing.F) {
	hint := publish.Hint{ZoneID: "123456", ZoneName: "example.com", RecordID: "7"}
	publishtest.FuzzAnswers(f, "dnscom", publish.Settings{ID: "testApiKey", Token: "s3cret-value"},
		func(b []byte) { dnscom.ParseAll(b) }, hint, publishtest.Seeds(publishtest.ReadFlows(f, "testdata/dnscom.json"))...)
}
