package cloudns_test

import (
	"testing"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/cloudns"
	"github.com/ddns-go/ddns/publish/publishtest"
)

// FuzzParseAnswer feeds arbitrary bodies to the response parsers and to a
// whole publish whose every request is answered with that body.
//
//	go test ./publish/cloudns -run '^$' -fuzz FuzzParseAnswer -fuzztime 20s
func FuzzParseAnswer(f *testing.F) {
	seeds := append(publishtest.Seeds(publishtest.ReadFlows(f, "testdata/cloudns.json")),
		``, `null`, `[]`, `[1]`, `{}`, `"Failed"`, `{"status": "Failed"}`,
		`{"status": "Failed", "statusDescription": "Invalid authentication, incorrect auth-id or auth-password."}`,
		`{"status": "Failed", "statusDescription": "a\nb"}`,
		`{"name": "example.com", "type": "master", "zone": "domain", "status": "1"}`,
		`{"name": "home.example.com", "type": "slave", "status": 1}`,
		`{"1": {"id": 1, "type": "A", "host": "home", "record": "192.0.2.1", "ttl": 60}, "2": null}`,
		`{"1": {"id": "1", "type": "A", "host": "home", "record": "192.0.2.1", "ttl": "x"}} trailing`,
		`{"status": "Success", "data": []}`, `{"status": "Success", "data": {"id": {}}}`,
		`<html>502</html>`,
	)
	publishtest.FuzzAnswers(f, "cloudns", publish.Settings{ID: "1", Token: "t0ken-secret"}, cloudns.Parse, publish.Hint{}, seeds...)
}
