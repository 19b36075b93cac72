package cloudflare_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ddns-go/ddns/publish/publishtest"
)

// vectorClock is the clock the vectors were recorded with.
var vectorClock = time.Unix(1700000000, 123456000)

const vectorHost = "https://api.cloudflare.com"

// documented rewrites the original's zone lookup to the documented
// filter (NOTES.md): "name.exact" is not a filter of the zones listing.
func documented(url string) string {
	return strings.Replace(url, "/client/v4/zones?name.exact=", "/client/v4/zones?name=", 1)
}

// TestVectors replays the original client's recorded flows and compares
// every request byte for byte: method, path and query, the authentication
// and content headers, and the JSON body. Two differences are expected
// and asserted: the zone lookup uses the documented "name" filter, and
// the engine asks for the longest candidate zone first, so lookups of
// www.example.com (answered "no such zone") precede the recorded ones.
func TestVectors(t *testing.T) {
	for _, fl := range publishtest.ReadFlows(t, "testdata/cloudflare.json") {
		t.Run(fl.Name, func(t *testing.T) {
			for i, w := range fl.Requests {
				fl.Requests[i].URL = documented(w.URL)
				// Authentication headers the recording does not show must
				// be absent.
				for _, k := range []string{"Authorization", "X-Auth-Email", "X-Auth-Key", "Content-Type"} {
					if _, shown := lookupFold(w.Headers, k); !shown {
						w.Headers[k] = ""
					}
				}
			}
			probe := publishtest.Answer(200, `{"success": true, "errors": [], "messages": [], "result": []}`)
			probe.Method, probe.Headers = http.MethodGet, fl.Requests[0].Headers
			probe.URL = vectorHost + "/client/v4/zones?name=www.example.com&per_page=50"
			publishtest.Play(t, fl, append([]publishtest.Exchange{probe}, fl.Requests...), vectorClock)
		})
	}
}

func lookupFold(m map[string]string, key string) (string, bool) {
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return "", false
}
