package tencentcloud_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/ddns-go/ddns/publish/publishtest"
	"github.com/ddns-go/ddns/publish/tencentcloud"
)

// FuzzParse feeds arbitrary answers to the envelope parser and every
// action's parser: none may panic; an API error is one line with a code;
// accepted records have ids and the asked name and type.
// Seeds: the vectors' canned answers and, in testdata/fuzz, the API's
// error shapes.
//
//	go test ./publish/tencentcloud -run '^$' -fuzz FuzzParse -fuzztime 20s
func FuzzParse(f *testing.F) {
	publishtest.FuzzBodies(f, func(t *testing.T, body []byte) {
		resp, err := tencentcloud.ParseResponse(body)
		if err != nil {
			var ae *tencentcloud.APIError
			if errors.As(err, &ae) && (ae.Code == "" || strings.ContainsAny(ae.Error(), "\r\n")) {
				t.Errorf("API error %q: want a code, on one line", ae.Error())
			}
			return
		}
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
