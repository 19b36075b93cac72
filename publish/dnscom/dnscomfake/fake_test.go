package dnscomfake_test

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ddns-go/ddns/publish/dnscom/dnscomfake"
)

// TestFakeChecksLikeTheService replays the original client's recorded
// zone lookup (signed with the vectors' secret at the vectors' clock): the
// fake must accept those exact bytes, and refuse them altered.
func TestFakeChecksLikeTheService(t *testing.T) {
	data, err := os.ReadFile("../testdata/dnscom.json")
	if err != nil {
		t.Fatal(err)
	}
	var vf struct {
		Flows []struct {
			Requests []struct{ URL, Body string }
		}
	}
	if err := json.Unmarshal(data, &vf); err != nil {
		t.Fatal(err)
	}
	recorded := vf.Flows[0].Requests[0]
	path := strings.TrimPrefix(recorded.URL, "https://www.51dns.com")

	f := dnscomfake.New("testApiKey", "testApiSecret")
	defer f.Close()
	f.Now = func() time.Time { return time.Unix(1700000000, 0) }
	f.AddZone("example.com")

	for _, tc := range []struct {
		name, method, contentType, body, want string
	}{
		{"recorded request", "POST", "application/x-www-form-urlencoded", recorded.Body, `"code":0`},
		{"altered parameter", "POST", "application/x-www-form-urlencoded", strings.Replace(recorded.Body, "example.com", "example.net", 1), `"code":2`},
		{"other key", "POST", "application/x-www-form-urlencoded", strings.Replace(recorded.Body, "testApiKey", "otherKey", 1), `"code":1`},
		{"not a form", "POST", "application/json", recorded.Body, `"code":3`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, f.URL+path, strings.NewReader(tc.body))
			req.Header.Set("Content-Type", tc.contentType)
			resp, err := f.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || !strings.Contains(string(b), tc.want) {
				t.Errorf("%d %s, want 200 with %s", resp.StatusCode, b, tc.want)
			}
		})
	}

	// An hour later the same request is stale.
	f.Now = func() time.Time { return time.Unix(1700003600, 0) }
	resp, err := http.Post(f.URL+path, "application/x-www-form-urlencoded", strings.NewReader(recorded.Body))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(b), `"code":4`) {
		t.Errorf("stale request: %s", b)
	}
	if f.Calls("domain/getsingle") != 5 {
		t.Errorf("%d calls counted, want 5", f.Calls("domain/getsingle"))
	}
}
