package cloudflare_test

import (
	"encoding/json"
	"testing"

	"github.com/ddns-go/ddns/publish/cloudflare"
	"github.com/ddns-go/ddns/publish/publishtest"
)

// FuzzParseAnswer feeds arbitrary answers to the response parsers: they
// must never panic, never accept an HTTP error status, and only accept
// answers that say success. Seeds: the vectors' canned answers and the
// error shapes of the service.
func FuzzParseAnswer(f *testing.F) {
	for _, fl := range publishtest.ReadFlows(f, "testdata/cloudflare.json") {
		for _, r := range fl.Requests {
			f.Add(r.Canned.Status, r.Reply())
		}
	}
	for _, s := range []struct {
		status int
		body   string
	}{
		{403, `{"success":false,"errors":[{"code":9109,"message":"Invalid access token"}],"messages":[],"result":null}`},
		{400, `{"success":false,"errors":[{"code":6003,"message":"Invalid request headers","error_chain":[{"code":6111,"message":"Invalid format for Authorization header"}]}],"messages":[],"result":null}`},
		{429, `{"success":false,"errors":[{"code":971,"message":"Please wait and consider throttling your request speed"}]}`},
		{200, `{"success":false,"errors":[],"result":null}`},
		{200, `{"success":true,"result":{"id":7}}`},
		{200, `{"success":true,"result":[{"id":"a","name":"x","ttl":"1"}]}`},
		{502, `<html>502 Bad Gateway</html>`},
		{200, `{"success":true,"result":[`},
		{200, ``},
	} {
		f.Add(s.status, []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 100 || status > 999 {
			return
		}
		result, err := cloudflare.ParseAnswer(status, body)
		if err != nil {
			if len(err.Error()) == 0 {
				t.Fatal("empty error message")
			}
			return
		}
		if status >= 400 {
			t.Fatalf("HTTP %d accepted: %q", status, body)
		}
		var env struct{ Success bool }
		if json.Unmarshal(body, &env) != nil || !env.Success {
			t.Fatalf("accepted an answer without success true: %q", body)
		}
		cloudflare.ParseResult(result) // must not panic; errors are expected
	})
}
