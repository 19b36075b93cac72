package aliesa_test

import (
	"net/http"
	"net/netip"
	"strings"
	"testing"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/aliesa"
	"github.com/ddns-go/ddns/publish/publishtest"
)

// FuzzParseAnswers feeds any status and body to every answer parser:
// they may refuse it, never panic, and what they accept is usable; a
// refusal is one line.
func FuzzParseAnswers(f *testing.F) {
	for _, fl := range publishtest.ReadFlows(f, "testdata/aliesa.json") {
		for _, r := range fl.Requests {
			f.Add(r.Canned.Status, r.Reply())
		}
	}
	f.Add(404, []byte(`{"RequestId":"x","HostId":"esa.cn-hangzhou.aliyuncs.com","Code":"InvalidAccessKeyId.NotFound","Message":"Specified access key is not found."}`))
	f.Add(400, []byte(`{"Code":"SignatureDoesNotMatch","Message":"line one\nline two"}`))
	f.Add(400, []byte(`{"Code":"TooManyRequests"}`))
	f.Add(429, []byte(`{"Code":"Throttling.User"}`))
	f.Add(200, []byte(`{"Sites":[{"SiteId":"12","SiteName":"EXAMPLE.com"}]}`))
	f.Add(200, []byte(`{"Records":[{"RecordId":"1","RecordName":"www.example.com.","RecordType":"A/AAAA","Data":{"Value":"::ffff:192.0.2.1"},"Ttl":"600"}]}`))
	f.Add(200, []byte(`{"Records":[{"RecordId":1e3,"RecordName":"www.example.com","RecordType":"A/AAAA","Data":{"Value":"192.0.2.1"}}]}`))
	f.Add(503, []byte(`<html>`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		resp := &publish.Response{Status: status, Header: http.Header{"Retry-After": {"5"}}, Body: body}
		ok := status >= 200 && status < 300
		check := func(what string, err error) {
			if err == nil && !ok {
				t.Errorf("%s: HTTP %d accepted", what, status)
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
