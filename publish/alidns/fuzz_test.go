package alidns_test

import (
	"strings"
	"testing"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/alidns"
	"github.com/ddns-go/ddns/publish/publishtest"
)

// FuzzParseAnswers feeds any status and body to every answer parser:
// they may refuse it, never panic, and what they accept is usable.
// Seeds: the vectors' canned answers and, in testdata/fuzz, the
// service's error shapes and loosely typed answers.
func FuzzParseAnswers(f *testing.F) {
	publishtest.FuzzResponses(f, "testdata/alidns.json", func(t *testing.T, resp *publish.Response) {
		if m, err := alidns.ParseMain(resp); err == nil && (m.DomainName == "" || m.RR == "") {
			t.Errorf("main answer without a name: %+v", m)
		}
		if recs, err := alidns.ParseRecords(resp); err == nil {
			for _, r := range recs {
				if r.ID == "" {
					t.Errorf("record without id: %+v", r)
				}
			}
		}
		if id, err := alidns.ParseRecordID(resp); err == nil && id == "" {
			t.Error("empty record id accepted")
		}
		alidns.ParseDomains(resp)
		err := alidns.Decode(resp, &struct{}{})
		if (resp.Status < 200 || resp.Status > 299) && err == nil {
			t.Errorf("HTTP %d accepted", resp.Status)
		}
		if err != nil && strings.ContainsAny(err.Error(), "\r\n") {
			t.Fatalf("error on more than one line: %q", err)
		}
	})
}
