package huaweidns_test

import (
	"strings"
	"testing"

	"github.com/ddns-go/ddns/publish/huaweidns"
	"github.com/ddns-go/ddns/publish/publishtest"
)

// FuzzParse feeds arbitrary answers to every response parser: none may
// panic, and an error message extracted from an answer stays on one line.
// Seeds are the recorded vectors' canned answers and the error shapes.
//
//	go test ./publish/huaweidns -run '^$' -fuzz FuzzParse -fuzztime 20s
func FuzzParse(f *testing.F) {
	for _, seed := range publishtest.Seeds(publishtest.ReadFlows(f, "testdata/huaweidns.json")) {
		f.Add([]byte(seed))
	}
	f.Add([]byte(`{"error_code": "APIGW.0301", "error_msg": "Incorrect IAM authentication information: verify aksk signature fail", "request_id": "x"}`))
	f.Add([]byte(`{"code": "DNS.0302", "message": "This zone does not exist."}`))
	f.Add([]byte(`{"recordsets": [{"id": "1", "name": "www.example.com.", "type": "A", "ttl": 300, "records": ["1.2.3.4", "5.6.7.8"]}]}`))
	f.Add([]byte(`{"zones": null}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		huaweidns.ParseZoneID(body, "example.com")
		if got, err := huaweidns.ParseRecords(body, "www.example.com.", "A"); err == nil {
			for _, e := range got {
				if e.ID == "" {
					t.Errorf("record without id accepted: %+v", e)
				}
			}
		}
		if id, err := huaweidns.ParseRecordID(body); err == nil && id == "" {
			t.Error("empty record id accepted")
		}
		if msg := huaweidns.ParseError(body); strings.ContainsAny(msg, "\r\n") {
			t.Errorf("error message spans lines: %q", msg)
		}
	})
}
