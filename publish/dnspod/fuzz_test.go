package dnspod_test

import (
	"testing"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/dnspod"
	"github.com/ddns-go/ddns/publish/publishtest"
)

// FuzzParseAnswer feeds arbitrary bodies to the response parser and to a
// whole publish whose every request is answered with that body.
//
//	go test ./publish/dnspod -run '^$' -fuzz FuzzParseAnswer -fuzztime 20s
func FuzzParseAnswer(f *testing.F) {
	seeds := append(publishtest.Seeds(publishtest.ReadFlows(f, "testdata/dnspod.json")), publishtest.Seeds(publishtest.ReadFlows(f, "testdata/dnspod_com.json"))...)
	seeds = append(seeds,
		``, `null`, `[]`, `{"status": "1"}`, `{"status": {"code": 1}}`,
		`{"status": {"code": "1"}, "domain": {"id": 12}, "records": [{"id": 1, "name": "home", "ttl": null}]}`,
		`{"status": {"code": "1"}, "records": {"id": "1"}}`, `{"status": {"code": "-1", "message": "a\nb"}}`,
		`<html>502</html>`,
	)
	publishtest.FuzzAnswers(f, "dnspod", publish.Settings{ID: "1", Token: "t0ken"}, func(b []byte) { _ = dnspod.ParseAnswer(b) }, publish.Hint{}, seeds...)
}
