package publish_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ddns-go/ddns/publish"
)

func TestRedactor(t *testing.T) {
	var r publish.Redactor
	r.Add("secrettoken", "a,b c/d+e", "abc")
	tests := map[string]string{
		"login_token=12345,secrettoken":   "login_token=12345,se***en",
		"login_token=12345%2Csecrettoken": "login_token=12345%2Cse***en",
		"body a%2Cb+c%2Fd%2Be end":        "body a,***+e end",
		"short abc stays":                 "short abc stays",
	}
	for in, want := range tests {
		got := r.Redact(in)
		if strings.Contains(got, "secrettoken") || strings.Contains(got, "a%2Cb+c%2Fd%2Be") {
			t.Errorf("Redact(%q) = %q leaks", in, got)
		}
		if in != "body a%2Cb+c%2Fd%2Be end" && got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
	if publish.Mask("abcd") != "***" || publish.Mask("secrettoken") != "se***en" {
		t.Error("Mask")
	}
}

func TestPyJSON(t *testing.T) {
	v := publish.Extra{
		{Key: "a", Value: "默认/x"},
		{Key: "n", Value: json.Number("5")},
		{Key: "b", Value: true},
		{Key: "z", Value: nil},
		{Key: "l", Value: []any{1, "x"}},
		{Key: "raw", Value: json.RawMessage(`{"y":1,"b":[true,null,{"c":"é"}]}`)},
		{Key: "f", Value: 1700000000.0},
	}
	want := `{"a": "\u9ed8\u8ba4/x", "n": 5, "b": true, "z": null, "l": [1, "x"], "raw": {"y": 1, "b": [true, null, {"c": "\u00e9"}]}, "f": 1700000000.0}`
	if got := string(publish.PyJSON(v)); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestCheckStatus(t *testing.T) {
	for code, permanent := range map[int]bool{400: true, 401: true, 403: true, 404: true, 408: false, 429: false, 500: false, 503: false} {
		resp := &http.Response{StatusCode: code, Status: http.StatusText(code), Header: http.Header{"Retry-After": {"7"}}}
		err := publish.CheckStatus(resp, []byte("body\nmore"))
		if err == nil || publish.IsPermanent(err) != permanent {
			t.Errorf("%d: %v, permanent want %v", code, err, permanent)
		}
		if code == 429 && publish.RetryAfter(err) != 7*time.Second {
			t.Errorf("Retry-After: %v", publish.RetryAfter(err))
		}
	}
	if err := publish.CheckStatus(&http.Response{StatusCode: 204}, nil); err != nil {
		t.Error(err)
	}
}

func TestRegistryNames(t *testing.T) {
	if got := len(publish.Names()); got != 22 {
		t.Errorf("%d CLI names, want the original's 18 plus dyndns2, desec, duckdns and hetzner", got)
	}
	for in, want := range map[string]string{"CloudFlare": "cloudflare", "print": "debug", "51dns": "dnscom", "Aliyun": "alidns", "no-ip": "noip", "35cn": "west"} {
		if got, ok := publish.Canonical(in); !ok || got != want {
			t.Errorf("Canonical(%q) = %q, %v", in, got, ok)
		}
	}
	if _, ok := publish.Canonical("nosuch"); ok {
		t.Error("unknown name accepted")
	}
}

func TestText(t *testing.T) {
	var v struct{ A, B, C publish.Text }
	if err := json.Unmarshal([]byte(`{"A":"16894439","B":16894439,"C":null}`), &v); err != nil {
		t.Fatal(err)
	}
	if v.A != "16894439" || v.B != "16894439" || v.C != "" {
		t.Errorf("%+v", v)
	}
	if err := json.Unmarshal([]byte(`{"A":[1]}`), &v); err == nil {
		t.Error("an array decoded as text")
	}
}
