package alidns_test

import (
	"testing"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/alidns"
	"github.com/ddns-go/ddns/publish/alidns/acs3test"
)

// FuzzParseAnswers feeds any status and body to every answer parser:
// they may refuse it, never panic, and what they accept is usable.
// Seeds: the vectors' canned answers and, in testdata/fuzz, the
// service's error shapes and loosely typed answers.
func FuzzParseAnswers(f *testing.F) {
	acs3test.Fuzz(f, "testdata/alidns.json", func(t *testing.T, resp *publish.Response) map[string]error {
		m, mainErr := alidns.ParseMain(resp)
		if mainErr == nil && (m.DomainName == "" || m.RR == "") {
			t.Errorf("main answer without a name: %+v", m)
		}
		recs, recsErr := alidns.ParseRecords(resp)
		for _, r := range recs {
			if r.ID == "" {
				t.Errorf("record without id: %+v", r)
			}
		}
		id, idErr := alidns.ParseRecordID(resp)
		if idErr == nil && id == "" {
			t.Error("empty record id accepted")
		}
		_, _, domainsErr := alidns.ParseDomains(resp)
		return map[string]error{"main": mainErr, "records": recsErr, "record id": idErr, "domains": domainsErr,
			"decode": alidns.Decode(resp, &struct{}{})}
	})
}
