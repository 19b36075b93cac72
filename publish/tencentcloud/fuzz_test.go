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
// Seeds: the vectors' canned answers and the API's error shapes.
//
//	go test ./publish/tencentcloud -run '^$' -fuzz FuzzParse -fuzztime 20s
func FuzzParse(f *testing.F) {
	for _, seed := range publishtest.Seeds(publishtest.ReadFlows(f, "testdata/tencentcloud.json")) {
		f.Add([]byte(seed))
	}
	for _, s := range []string{
		`{"Response": {"Error": {"Code": "AuthFailure.SignatureFailure", "Message": "请求签名验证失败"}, "RequestId": "x"}}`,
		`{"Response": {"Error": {"Code": "", "Message": "x"}}}`,
		`{"Response": {"RecordList": [{"RecordId": "1", "Name": "www", "Type": "A", "Value": "1.2.3.4", "Line": "电信", "TTL": "600"}]}}`,
		`{"Response": {"DomainInfo": {"DomainId": "62x"}}}`,
		`{"Response": null}`, `{"Response": []}`, `[]`, ``, `{"Response": {"RecordId": {}}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
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
	})
}
