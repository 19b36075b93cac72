package edgeone_test

import (
	"encoding/json"
	"testing"

	"github.com/ddns-go/ddns/publish/edgeone"
	"github.com/ddns-go/ddns/publish/tencentcloud/tc3test"
)

// FuzzParse feeds arbitrary answers to the envelope parser and every
// EdgeOne parser: none may panic, and what they accept has an id and the
// asked name. Seeds: the vectors' canned answers and, in testdata/fuzz,
// the API's shapes.
//
//	go test ./publish/edgeone -run '^$' -fuzz FuzzParse -fuzztime 20s
func FuzzParse(f *testing.F) {
	tc3test.Fuzz(f, func(t *testing.T, resp json.RawMessage) {
		edgeone.ParseZoneID(resp, "example.com") // any id, "" meaning "no such site"
		if recs, err := edgeone.ParseDNSRecords(resp, "www.example.com", "A"); err == nil {
			for _, r := range recs {
				if r.ID == "" || r.Name == "" {
					t.Errorf("record accepted: %+v", r)
				}
			}
		}
		if d, err := edgeone.ParseAccelerationDomain(resp, "www.example.com"); err == nil && d != nil {
			if _, ok := d.Raw.(string); !ok || d.ID == "" {
				t.Errorf("domain accepted: %+v", d)
			}
		}
		edgeone.ParseRecordID(resp)
	}, vectorFiles...)
}
