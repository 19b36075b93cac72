package huaweidns_test

import (
	"strings"
	"testing"

	"github.com/ddns-go/ddns/publish/huaweidns"
	"github.com/ddns-go/ddns/publish/publishtest"
)

// FuzzParse feeds arbitrary answers to every response parser: none may
// panic, and an error message extracted from an answer stays on one line.
// Seeds: the recorded vectors' canned answers and, in testdata/fuzz, the
// error shapes.
//
//	go test ./publish/huaweidns -run '^$' -fuzz FuzzParse -fuzztime 20s
func FuzzParse(f *testing.F) {
	publishtest.FuzzBodies(f, func(t *testing.T, body []byte) {
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
	}, "testdata/huaweidns.json")
}
