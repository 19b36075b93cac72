package alidns_test

import (
	"net/http"
	"testing"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/alidns"
	"github.com/ddns-go/ddns/publish/publishtest"
)

// FuzzParseAnswers feeds any status and body to every answer parser:
// they may refuse it, never panic, and what they accept is usable.
func FuzzParseAnswers(f *testing.F) {
	for _, fl := range publishtest.ReadFlows(f, "testdata/alidns.json") {
		for _, r := range fl.Requests {
			f.Add(r.Canned.Status, r.Reply())
		}
	}
	f.Add(404, []byte(`{"RequestId":"x","HostId":"alidns.aliyuncs.com","Code":"InvalidAccessKeyId.NotFound","Message":"Specified access key is not found."}`))
	f.Add(400, []byte(`{"Code":"SignatureDoesNotMatch","Message":"line one\nline two"}`))
	f.Add(429, []byte(`{"Code":"Throttling.User"}`))
	f.Add(200, []byte(`{"TotalCount":"2","Domains":{"Domain":[{"DomainName":"Example.COM"}]}}`))
	f.Add(200, []byte(`{"DomainRecords":{"Record":[{"RecordId":123,"TTL":"600"}]}}`))
	f.Add(503, []byte(`<html>`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		resp := &publish.Response{Status: status, Header: http.Header{"Retry-After": {"5"}}, Body: body}
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
		if (status < 200 || status > 299) && err == nil {
			t.Errorf("HTTP %d accepted", status)
		}
		if err != nil {
			for _, c := range err.Error() {
				if c == '\n' || c == '\r' {
					t.Fatalf("error on more than one line: %q", err)
				}
			}
		}
	})
}
