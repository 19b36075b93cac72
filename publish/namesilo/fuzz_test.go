package namesilo_test

import (
	"testing"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/namesilo"
	"github.com/ddns-go/ddns/publish/publishtest"
)

// FuzzParseReply feeds arbitrary bodies to the response parser and to
// whole publishes, with and without a remembered id, whose every request
// is answered with that body.
//
//	go test ./publish/namesilo -run '^$' -fuzz FuzzParseReply -fuzztime 20s
func FuzzParseReply(f *testing.F) {
	seeds := append(publishtest.Seeds(publishtest.ReadFlows(f, "testdata/namesilo.json")),
		``, `null`, `[]`, `{"reply": null}`, `{"reply": "300"}`, `{"reply": {"code": 300}}`,
		`{"reply": {"code": 300, "resource_record": {"record_id": "a1", "type": "A", "host": "home.example.com", "value": "192.0.2.1", "ttl": 3600}}}`,
		`{"reply": {"code": "300", "resource_record": [{"record_id": 7, "type": "A", "host": "home", "value": "x", "ttl": null}]}}`,
		`{"reply": {"code": 300, "resource_record": "none"}}`, `{"reply": {"code": 110, "detail": "Invalid\nAPI Key"}}`,
		`{"reply": {"code": 1e400}}`, `<namesilo><reply><code>300</code></reply></namesilo>`,
	)
	hint := publish.Hint{ZoneID: "example.com", ZoneName: "example.com", RecordID: "a1/3600"}
	publishtest.FuzzAnswers(f, "namesilo", publish.Settings{Token: "k3y-value"},
		func(b []byte) { _, _, _, _ = namesilo.ParseReply(b) }, hint, seeds...)
}
