package namesilo_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/ddns-go/ddns/publish/namesilo"
)

// TestParseReply covers the shapes NameSilo's JSON takes: the code as a
// number or a string, resource_record as an array, a bare object, absent
// or null, and what is not NameSilo JSON at all.
func TestParseReply(t *testing.T) {
	cases := []struct {
		name, body string
		code       string
		listed     []string
		recordID   string
		err        string
	}{
		{name: "numeric code", body: `{"reply": {"code": 300, "detail": "success", "record_id": "1a2b"}}`, code: "300", recordID: "1a2b"},
		{name: "string code", body: `{"reply": {"code": "300", "detail": "success"}}`, code: "300"},
		{
			name:   "records as an array",
			body:   `{"request": {"operation": "dnsListRecords"}, "reply": {"code": 300, "resource_record": [{"record_id": "a1", "host": "example.com"}, {"record_id": "b2", "ttl": 3600}]}}`,
			code:   "300",
			listed: []string{"a1", "b2"},
		},
		{name: "one record as an object", body: `{"reply": {"code": 300, "resource_record": {"record_id": "a1", "ttl": "7207"}}}`, code: "300", listed: []string{"a1"}},
		{name: "no records", body: `{"reply": {"code": 300, "detail": "success"}}`, code: "300"},
		{name: "null records", body: `{"reply": {"code": 300, "resource_record": null}}`, code: "300"},
		{name: "error code", body: `{"reply": {"code": 110, "detail": "Invalid API Key"}}`, code: "110"},
		{name: "records of the wrong shape", body: `{"reply": {"code": 300, "resource_record": "none"}}`, err: "malformed answer (not NameSilo JSON"},
		{name: "no reply", body: `{"request": {}}`, err: "malformed answer (no reply code)"},
		{name: "no code", body: `{"reply": {"detail": "success"}}`, err: "malformed answer (no reply code)"},
		{name: "a code that is an object", body: `{"reply": {"code": {"value": 300}}}`, err: "want a string or a number"},
		{name: "XML", body: `<namesilo><reply><code>300</code></reply></namesilo>`, err: "malformed answer (not NameSilo JSON"},
		{name: "empty", body: ``, err: "malformed answer"},
	}
	for _, c := range cases {
		code, listed, id, err := namesilo.ParseReply([]byte(c.body))
		switch {
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("%s: error %v, want %q", c.name, err, c.err)
		case c.err == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.err == "" && (code != c.code || !slices.Equal(listed, c.listed) || id != c.recordID):
			t.Errorf("%s: code %q, listed %q, record_id %q; want %q, %q, %q", c.name, code, listed, id, c.code, c.listed, c.recordID)
		}
	}
}
