package aliesa_test

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/aliesa"
	"github.com/ddns-go/ddns/publish/publishtest"
)

// FuzzParseAnswers feeds any status and body to every answer parser:
// they may refuse it, never panic, and what they accept is usable; a
// refusal is one line. Seeds: the vectors' canned answers and, in
// testdata/fuzz, the gateway's error shapes and loosely typed answers.
func FuzzParseAnswers(f *testing.F) {
	publishtest.FuzzResponses(f, "testdata/aliesa.json", func(t *testing.T, resp *publish.Response) {
		ok := resp.Status >= 200 && resp.Status < 300
		check := func(what string, err error) {
			if err == nil && !ok {
				t.Errorf("%s: HTTP %d accepted", what, resp.Status)
			}
			if err != nil && strings.ContainsAny(err.Error(), "\r\n") {
				t.Errorf("%s: error on more than one line: %q", what, err)
			}
		}
		id, err := aliesa.ParseSiteID(resp, "example.com")
		check("sites", err)
		if err == nil && id != "" && strings.Trim(id, "0123456789") != "" {
			t.Errorf("site id %q accepted", id)
		}
		for _, typ := range []string{"A", "AAAA"} {
			recs, err := aliesa.ParseRecords(resp, "www.example.com", typ)
			check("records", err)
			for _, r := range recs {
				a, perr := netip.ParseAddr(r.Value)
				if r.ID == "" || perr != nil || a.Is4() != (typ == "A") {
					t.Errorf("%s record accepted: %+v", typ, r)
				}
			}
		}
		rid, err := aliesa.ParseRecordID(resp)
		check("record id", err)
		if err == nil && strings.Trim(rid, "0123456789") != "" {
			t.Errorf("record id %q accepted", rid)
		}
		check("update", aliesa.ParseUpdate(resp))
	})
}
