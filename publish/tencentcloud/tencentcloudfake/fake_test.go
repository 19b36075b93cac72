package tencentcloudfake_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ddns-go/ddns/publish/tencentcloud"
	fake "github.com/ddns-go/ddns/publish/tencentcloud/tencentcloudfake"
)

const id, key = "AKIDfaketest", "fake-test-secret"

// call sends one correctly signed action to f and returns the Response
// object.
func call(t *testing.T, f *fake.Fake, action, body string) map[string]any {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "http://dnspod.test/", bytes.NewReader([]byte(body)))
	h, _ := tencentcloud.Request{Host: req.Host, Service: "dnspod", Action: action, Version: "2021-03-23", Body: []byte(body), Time: time.Now()}.Sign(id, key)
	for k, v := range h {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	f.ServeHTTP(rec, req)
	var ans struct{ Response map[string]any }
	if err := json.Unmarshal(rec.Body.Bytes(), &ans); err != nil || rec.Code != http.StatusOK {
		t.Fatalf("%s: HTTP %d %s", action, rec.Code, rec.Body)
	}
	return ans.Response
}

func code(resp map[string]any) string {
	e, _ := resp["Error"].(map[string]any)
	c, _ := e["Code"].(string)
	return c
}

// TestParameters: the fake refuses what the API refuses — parameter
// names are case-sensitive, types are checked, Domain is required — so
// provider tests that pass against it send what the API accepts.
func TestParameters(t *testing.T) {
	f := fake.New(id, key)
	f.AddDomain("example.com")
	for _, tc := range []struct {
		name, action, body, code string
	}{
		{"known", "DescribeDomain", `{"Domain": "example.com"}`, ""},
		{"missing domain", "DescribeDomain", `{"Domain": "example.org"}`, "InvalidParameterValue.DomainNotExists"},
		{"name case", "CreateRecord", `{"Domain": "example.com", "Subdomain": "www", "RecordType": "A", "RecordLine": "默认", "Value": "192.0.2.1"}`, "UnknownParameter"},
		{"type", "DescribeRecordList", `{"Domain": "example.com", "DomainId": "1001"}`, "InvalidParameter"},
		{"no Domain", "DescribeRecordList", `{"DomainId": 1001}`, "MissingParameter"},
		{"line", "CreateRecord", `{"Domain": "example.com", "SubDomain": "www", "RecordType": "A", "RecordLine": "default", "Value": "192.0.2.1"}`, "InvalidParameter.RecordLineInvalid"},
		{"value", "CreateRecord", `{"Domain": "example.com", "SubDomain": "www", "RecordType": "AAAA", "RecordLine": "默认", "Value": "192.0.2.1"}`, "InvalidParameter.RecordValueInvalid"},
		{"action", "DeleteRecord", `{"Domain": "example.com", "RecordId": 1}`, "InvalidAction"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := code(call(t, f, tc.action, tc.body)); got != tc.code {
				t.Errorf("code %q, want %q", got, tc.code)
			}
		})
	}
}

// TestModifyWithoutSubDomain: as documented, ModifyRecord without
// SubDomain renames the record to "@".
func TestModifyWithoutSubDomain(t *testing.T) {
	f := fake.New(id, key)
	f.AddDomain("example.com")
	rid := f.AddRecord("example.com", "www", "A", "192.0.2.9", "", 0)
	resp := call(t, f, "ModifyRecord", `{"Domain": "example.com", "RecordId": `+rid+`, "RecordType": "A", "RecordLine": "默认", "Value": "192.0.2.1"}`)
	if c := code(resp); c != "" {
		t.Fatal(c)
	}
	if r := f.Records()[0]; r.Name != "@" || r.Value != "192.0.2.1" {
		t.Errorf("record %+v, want renamed to @", r)
	}
}
