package publish_test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
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

func TestState(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "s.cache")
	now := time.Now()
	s, _ := publish.OpenState(path, time.Hour, now)
	if s.Len() != 0 {
		t.Fatal("new state not empty")
	}
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Error("unchanged state was written")
	}
	e := publish.Entry{Addr: "192.0.2.1", Provider: "debug", ZoneID: "z", RecordID: "r"}
	s.Put(publish.StateKey("a.example.com", "A"), e)
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("state file %v %v", fi, err)
	}
	s2, notes := publish.OpenState(path, time.Hour, now)
	if got, ok := s2.Get("a.example.com:A"); !ok || got != e || len(notes) != 0 {
		t.Errorf("reloaded %+v %v %v", got, ok, notes)
	}
	// Expired: every record is published again.
	if s3, _ := publish.OpenState(path, 0, now); s3.Len() != 0 {
		t.Error("expired state kept entries")
	}
	// The original's format is read.
	os.WriteFile(path, []byte(`{"a.example.com:A":"1.2.3.4","__x":"y"}`), 0o600)
	s4, _ := publish.OpenState(path, time.Hour, time.Now())
	if got, _ := s4.Get("a.example.com:A"); got.Addr != "1.2.3.4" || s4.Len() != 1 {
		t.Errorf("original format: %+v", got)
	}
	// Corrupt: moved aside, never fatal.
	os.WriteFile(path, []byte(`{not json`), 0o600)
	s5, notes := publish.OpenState(path, time.Hour, time.Now())
	if s5.Len() != 0 || len(notes) != 1 || !strings.Contains(notes[0], "corrupt") {
		t.Errorf("corrupt: %v", notes)
	}
	if _, err := os.Stat(path + ".corrupt"); err != nil {
		t.Error("corrupt file not moved aside")
	}
}

func TestDefaultStatePathDependsOnIdentity(t *testing.T) {
	a := publish.DefaultStatePath("/d", "cloudflare", "id", "tok")
	b := publish.DefaultStatePath("/d", "cloudflare", "id", "tok2")
	if a == b || filepath.Dir(a) != "/d" {
		t.Errorf("%s %s", a, b)
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
