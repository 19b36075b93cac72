package noip_test

import (
	"context"
	"net/http/httptest"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/dyndns2/dyndns2fake"
	"github.com/ddns-go/ddns/publish/noip"
	"github.com/ddns-go/ddns/publish/noip/noipfake"
	"github.com/ddns-go/ddns/publish/publishtest"
)

const (
	user     = "ddnskey-user"
	password = "noip-ddns-key-secret"
)

func TestNew(t *testing.T) {
	for _, tc := range []struct {
		name string
		s    publish.Settings
		want string // "" = accepted, else a substring of the error
	}{
		{"defaults", publish.Settings{ID: user, Token: password}, ""},
		{"e-mail as user name", publish.Settings{ID: "user@example.com", Token: "p@ss:word"}, ""},
		{"endpoint", publish.Settings{ID: user, Token: password, Endpoint: "http://127.0.0.1:8245/"}, ""},
		{"no id", publish.Settings{Token: password}, "noip: id must be configured (the No-IP user name)"},
		{"no token", publish.Settings{ID: user}, "noip: token must be configured (the No-IP password"},
		{"endpoint without scheme", publish.Settings{ID: user, Token: password, Endpoint: "dynupdate.no-ip.com"}, "must be a URL"},
		{"endpoint ftp", publish.Settings{ID: user, Token: password, Endpoint: "ftp://dynupdate.no-ip.com"}, "not an http(s) URL"},
		{"credentials in the endpoint", publish.Settings{ID: user, Token: password, Endpoint: "https://u:hunter2@dynupdate.no-ip.com"}, "carries credentials"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := noip.New(tc.s)
			publishtest.ExpectConfig(t, err, tc.want, "hunter2")
		})
	}
}

func TestRegistered(t *testing.T) {
	for _, name := range []string{"noip", "no-ip", "noip_com", "NoIP"} {
		if _, err := publish.New(name, publish.Settings{ID: user, Token: password}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	info, ok := publish.InfoOf("noip")
	if !ok || info.Creates || info.TTL || info.Line || info.Readable {
		t.Errorf("info %+v", info)
	}
}

// TestEndpointPath: the endpoint names the server and /nic/update is
// appended, without doubling a slash or the path itself.
func TestEndpointPath(t *testing.T) {
	for _, suffix := range []string{"", "/", "/nic/update", "/nic/update/"} {
		f := noipfake.New()
		f.AddUser(user, password)
		f.AddHost("home.example.com", user)
		srv := httptest.NewServer(f)
		p, err := noip.New(publish.Settings{ID: user, Token: password, Endpoint: srv.URL + suffix, HTTP: srv.Client(), Now: time.Now})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.Set(context.Background(), rec("home.example.com", "192.0.2.10")); err != nil {
			t.Errorf("endpoint …%q: %v", suffix, err)
		}
		if uri := f.Requests()[0].URI; uri != "/nic/update?hostname=home.example.com&myip=192.0.2.10" {
			t.Errorf("endpoint …%q: requested %s", suffix, uri)
		}
		srv.Close()
	}
}

// table runs cases against a No-IP fake whose user holds three hosts.
var table = publishtest.HostTable[*dyndns2fake.Fake]{
	Provider: "noip", Token: password,
	Start: func(t *testing.T, token, path string) (*dyndns2fake.Fake, publish.Provider) {
		t.Helper()
		f := noipfake.New()
		f.AddUser(user, password)
		for _, h := range []string{"home.example.com", "a.b.example.com", "example.com"} {
			f.AddHost(h, user)
		}
		srv := httptest.NewServer(f)
		t.Cleanup(srv.Close)
		p, err := noip.New(publish.Settings{ID: user, Token: token, Endpoint: srv.URL + path, HTTP: srv.Client(), Now: time.Now})
		if err != nil {
			t.Fatal(err)
		}
		return f, p
	},
	// The one request asks for hostname and myip, nothing else.
	Request: func(t *testing.T, c publishtest.HostCase[*dyndns2fake.Fake], req publishtest.Request, host string) {
		if q := req.Query; len(q) != 2 || q.Get("hostname") != host || q.Get("myip") != c.R.Addr.String() {
			t.Errorf("query %v, want hostname and myip only", q)
		}
	},
}

var rec = publishtest.Rec

// The outcomes, as the table rows name them.
const ok, transient, permanent = publishtest.Succeeds, publishtest.Transient, publishtest.Permanent

// TestSet is the matrix against the No-IP fake; each case is one request.
func TestSet(t *testing.T) {
	table.Run(t, slices.Concat(table.Cases(), dyndns2fake.Cases(), []publishtest.HostCase[*dyndns2fake.Fake]{
		{Name: "TTL, line and extra are not sent",
			R: publish.Record{Domain: "home.example.com", Type: "A", Addr: netip.MustParseAddr("192.0.2.10"), TTL: 600, Line: "default",
				Extra: publish.Extra{{Key: "offline", Value: "YES"}, {Key: "hostname", Value: "evil.example.com"}}}, Writes: 1},

		{Name: "host not in the account: cannot create", R: rec("new.example.com", "192.0.2.10"), Want: permanent, WantIn: "noip: new.example.com: nohost: No-IP has no such host name"},
		{Name: "bad password", Token: "wrong-password-123", R: rec("home.example.com", "192.0.2.10"), Want: permanent, WantIn: "badauth: No-IP rejected the user name or password"},
		{Name: "502", Faults: []dyndns2fake.Fault{{Status: 502}},
			R: rec("home.example.com", "192.0.2.10"), Want: transient, WantIn: "502"},
		{Name: "malformed answer (JSON)", Setup: func(f *dyndns2fake.Fake) { f.Fail(dyndns2fake.Fault{Body: `{"error":"json?"}`}) },
			R: rec("home.example.com", "192.0.2.10"), Want: transient, WantIn: "unexpected answer"},
	}))
}

func TestUnknownHostSaysCannotCreate(t *testing.T) { table.CannotCreate(t) }

// TestCallsPerOperation: every publish is one request, the hint ignored
// (No-IP has no ids).
func TestCallsPerOperation(t *testing.T) { table.CallsPerOperation(t) }

// TestConformance runs the provider test kit's suite.
func TestConformance(t *testing.T) { publishtest.Run(t, noipfake.Service) }
