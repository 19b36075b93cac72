package cloudflarefake_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	cf "github.com/ddns-go/ddns/publish/cloudflare/cloudflarefake"
)

const (
	token = "fakeTokenfakeTokenfakeTokenfakeToken_-12"
	email = "user@example.com"
	key   = "0123456789abcdef0123456789abcdef01234"
)

// TestFake checks the fake's own contract: authentication in the
// service's shapes, the zones listing ignoring undocumented filters, and
// PUT versus PATCH semantics.
func TestFake(t *testing.T) {
	f := cf.New(cf.Credentials{Token: token, Email: email, Key: key})
	zid := f.AddZone("example.com")
	f.AddZone("example.org")
	rid := f.AddRecord("example.com", cf.Record{Name: "www.example.com", Type: "A", Content: "192.0.2.1", TTL: 300, Proxied: true})
	srv := httptest.NewServer(f)
	defer srv.Close()
	bearer := map[string]string{"Authorization": "Bearer " + token}
	rec := "/client/v4/zones/" + zid + "/dns_records/" + rid
	tests := []struct {
		name          string
		method, path  string
		headers       map[string]string
		body          string
		status        int
		want, wantNot string
	}{
		{"no credentials", "GET", "/client/v4/zones", nil, "", 400, `"code":6003`, ""},
		{"malformed bearer", "GET", "/client/v4/zones", map[string]string{"Authorization": "Bearer x"}, "", 400, `"code":6111`, ""},
		{"unknown token", "GET", "/client/v4/zones", map[string]string{"Authorization": "Bearer " + strings.Repeat("a", 40)}, "", 403, `"code":9109`, ""},
		{"malformed key", "GET", "/client/v4/zones", map[string]string{"X-Auth-Email": email, "X-Auth-Key": "short"}, "", 400, `"code":6103`, ""},
		{"unknown key", "GET", "/client/v4/zones", map[string]string{"X-Auth-Email": email, "X-Auth-Key": strings.Repeat("f", 37)}, "", 403, `"code":9103`, ""},
		{"global key", "GET", "/client/v4/zones?name=example.org", map[string]string{"X-Auth-Email": email, "X-Auth-Key": key}, "", 200, `"example.org"`, `"example.com"`},
		{"name.exact is not a zones filter", "GET", "/client/v4/zones?name.exact=example.org", bearer, "", 200, `"example.com"`, ""},
		{"no route", "GET", "/client/v4/user", bearer, "", 404, `"code":7000`, ""},
		{"bad zone id", "GET", "/client/v4/zones/nope/dns_records", bearer, "", 400, `"code":7003`, ""},
		{"missing record", "PATCH", "/client/v4/zones/" + zid + "/dns_records/0123", bearer, `{}`, 404, `"code":81044`, ""},
		{"PATCH keeps what it does not send", "PATCH", rec, bearer, `{"content":"192.0.2.2"}`, 200, `"proxied":true,"ttl":300`, ""},
		{"PUT resets what it does not send", "PUT", rec, bearer, `{"type":"A","name":"www","content":"192.0.2.3"}`, 200, `"proxied":false,"ttl":1`, ""},
		{"invalid content", "POST", "/client/v4/zones/" + zid + "/dns_records", bearer, `{"type":"A","name":"x.example.com","content":"::1"}`, 400, `"code":9005`, ""},
		{"duplicate", "POST", "/client/v4/zones/" + zid + "/dns_records", bearer, `{"type":"A","name":"www.example.com","content":"192.0.2.3"}`, 400, `"code":81058`, ""},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(tt.method, srv.URL+tt.path, strings.NewReader(tt.body))
		for k, v := range tt.headers {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.status || !strings.Contains(string(b), tt.want) || (tt.wantNot != "" && strings.Contains(string(b), tt.wantNot)) {
			t.Errorf("%s: %d %s, want %d with %s", tt.name, resp.StatusCode, b, tt.status, tt.want)
		}
	}
	if got := f.Calls(cf.KindZones); got != 7 {
		t.Errorf("zones calls = %d, want 7", got)
	}
}
