package tencentcloud_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ddns-go/ddns/publish/tencentcloud"
	"github.com/ddns-go/ddns/publish/tencentcloud/tc3test"
)

// FuzzParse feeds arbitrary answers to the envelope parser and every
// action's parser: none may panic; an API error is one line with a code;
// accepted records have ids and the asked name and type.
// Seeds: the vectors' canned answers and, in testdata/fuzz, the API's
// error shapes.
//
//	go test ./publish/tencentcloud -run '^$' -fuzz FuzzParse -fuzztime 20s
func FuzzParse(f *testing.F) {
	tc3test.Fuzz(f, func(t *testing.T, resp json.RawMessage) {
		if id, err := tencentcloud.ParseDomainID(resp); err == nil && id == "" {
			t.Error("empty domain id accepted")
		}
		if recs, err := tencentcloud.ParseRecords(resp, "www", "A"); err == nil {
			for _, r := range recs {
				if r.ID == "" || !strings.EqualFold(r.Name, "www") {
					t.Errorf("record accepted: %+v", r)
				}
			}
		}
		if id, err := tencentcloud.ParseRecordID(resp); err == nil && id == "" {
			t.Error("empty record id accepted")
		}
	}, "testdata/tencentcloud.json")
}
