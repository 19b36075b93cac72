package he_test

import (
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/he"
	"github.com/ddns-go/ddns/publish/he/hefake"
	"github.com/ddns-go/ddns/publish/publishtest"
)

const key = "he-ddns-key-secret"

func TestNew(t *testing.T) {
	for _, tc := range []struct {
		name string
		s    publish.Settings
		want string // "" = accepted, else a substring of the error
	}{
		{"defaults", publish.Settings{Token: key}, ""},
		{"endpoint", publish.Settings{Token: key, Endpoint: "http://127.0.0.1:8080/"}, ""},
		{"id set", publish.Settings{ID: "user", Token: key}, "he: id must be empty"},
		{"no token", publish.Settings{}, "he: token must be configured"},
		{"endpoint without scheme", publish.Settings{Token: key, Endpoint: "dyn.dns.he.net"}, "not an http(s) URL"},
		{"endpoint ftp", publish.Settings{Token: key, Endpoint: "ftp://dyn.dns.he.net"}, "not an http(s) URL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := he.New(tc.s)
			publishtest.ExpectConfig(t, err, tc.want)
		})
	}
}

func TestRegistered(t *testing.T) {
	for _, name := range []string{"he", "he_net", "HE"} {
		if _, err := publish.New(name, publish.Settings{Token: key}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// table runs cases against a fake holding three dynamic hosts, all with
// the key key, behind path (appended to the endpoint).
var table = publishtest.HostTable[*hefake.Fake]{
	Provider: "he", Token: key,
	Start: func(t *testing.T, token, path string) (*hefake.Fake, publish.Provider) {
		t.Helper()
		f := hefake.New()
		for _, h := range []string{"home.example.com", "a.b.example.com", "example.com"} {
			f.AddHost(h, key)
		}
		srv := httptest.NewServer(f)
		t.Cleanup(srv.Close)
		p, err := he.New(publish.Settings{Token: token, Endpoint: srv.URL + path, HTTP: srv.Client(), Now: time.Now})
		if err != nil {
			t.Fatal(err)
		}
		return f, p
	},
	// The one request is a form POST of hostname, myip and the key.
	Request: func(t *testing.T, c publishtest.HostCase[*hefake.Fake], req publishtest.Request, host string) {
		want := "hostname=" + host + "&myip=" + strings.ReplaceAll(c.R.Addr.String(), ":", "%3A") + "&password=" + key
		if got := string(req.Body); got != want {
			t.Errorf("body %s, want %s", got, want)
		}
	},
}

var rec = publishtest.Rec

// The outcomes, as the table rows name them.
const ok, transient, permanent = publishtest.Succeeds, publishtest.Transient, publishtest.Permanent

// TestSet is the matrix against the fake. Every case makes exactly one
// request: the provider never retries and never reads before writing.
func TestSet(t *testing.T) {
	table.Run(t, append(table.Cases(), []publishtest.HostCase[*hefake.Fake]{
		{Name: "TTL, line and extra are not sent",
			R: publish.Record{Domain: "home.example.com", Type: "A", Addr: netip.MustParseAddr("192.0.2.10"), TTL: 600, Line: "电信",
				Extra: publish.Extra{{Key: "ttl", Value: "1"}, {Key: "hostname", Value: "evil.example.com"}}}, Writes: 1},

		{Name: "wrong endpoint path: 404", Path: "/api", R: rec("home.example.com", "192.0.2.10"), Want: permanent, WantIn: "404"},
		{Name: "abuse with 429 keeps Retry-After", Faults: []hefake.Fault{{Status: 429, Body: "abuse", RetryAfter: "60"}},
			R: rec("home.example.com", "192.0.2.10"), Want: transient, WantIn: "abuse", Retry: time.Minute},
		{Name: "abuse", Faults: []hefake.Fault{{Body: "abuse"}},
			R: rec("home.example.com", "192.0.2.10"), Want: transient, WantIn: "temporarily blocked"},
		{Name: "911", Faults: []hefake.Fault{{Body: "911"}},
			R: rec("home.example.com", "192.0.2.10"), Want: transient, WantIn: "server-side"},
	}...))
}

func TestUnknownHostSaysCannotCreate(t *testing.T) { table.CannotCreate(t) }

// TestCallsPerOperation: every publish is one request, the hint ignored.
func TestCallsPerOperation(t *testing.T) { table.CallsPerOperation(t) }

// TestConformance runs the provider test kit's suite.
func TestConformance(t *testing.T) { publishtest.Run(t, hefake.Service) }
