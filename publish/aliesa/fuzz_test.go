package aliesa_test

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/alidns/acs3test"
	"github.com/ddns-go/ddns/publish/aliesa"
)

// FuzzParseAnswers feeds any status and body to every answer parser:
// they may refuse it, never panic, and what they accept is usable; a
// refusal is one line. Seeds: the vectors' canned answers and, in
// testdata/fuzz, the gateway's error shapes and loosely typed answers.
func FuzzParseAnswers(f *testing.F) {
	acs3test.Fuzz(f, "testdata/aliesa.json", func(t *testing.T, resp *publish.Response) map[string]error {
		errs := map[string]error{}
		id, err := aliesa.ParseSiteID(resp, "example.com")
		if errs["sites"] = err; err == nil && id != "" && strings.Trim(id, "0123456789") != "" {
			t.Errorf("site id %q accepted", id)
		}
		for _, typ := range []string{"A", "AAAA"} {
			recs, err := aliesa.ParseRecords(resp, "www.example.com", typ)
			errs[typ+" records"] = err
			for _, r := range recs {
				a, perr := netip.ParseAddr(r.Value)
				if r.ID == "" || perr != nil || a.Is4() != (typ == "A") {
					t.Errorf("%s record accepted: %+v", typ, r)
				}
			}
		}
		rid, err := aliesa.ParseRecordID(resp)
		if errs["record id"] = err; err == nil && strings.Trim(rid, "0123456789") != "" {
			t.Errorf("record id %q accepted", rid)
		}
		errs["update"] = aliesa.ParseUpdate(resp)
		return errs
	})
}
