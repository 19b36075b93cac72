package noip_test

import (
	"cmp"
	"context"
	"errors"
	"net/http/httptest"
	"net/netip"
	"strings"
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
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("rejected: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("error %v, want %q", err, tc.want)
			case err != nil && (strings.Contains(err.Error(), "\n") || strings.Contains(err.Error(), "hunter2")):
				t.Fatalf("error %q spans lines or shows a password", err)
			}
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

type env struct {
	fake *dyndns2fake.Fake
	p    publish.Provider
}

func newEnv(t *testing.T, token string) *env {
	t.Helper()
	f := noipfake.New()
	f.AddUser(user, password)
	for _, h := range []string{"home.example.com", "a.b.example.com", "example.com"} {
		f.AddHost(h, user)
	}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	p, err := noip.New(publish.Settings{ID: user, Token: token, Endpoint: srv.URL, HTTP: srv.Client(), Now: time.Now})
	if err != nil {
		t.Fatal(err)
	}
	return &env{f, p}
}

var rec = publishtest.Rec

// The outcomes, as the table rows name them.
const ok, transient, permanent = publishtest.Succeeds, publishtest.Transient, publishtest.Permanent

// TestSet is the matrix against the No-IP fake; each case is one request.
func TestSet(t *testing.T) {
	for _, tc := range []struct {
		name      string
		token     string // "" = the right password
		setup     func(*dyndns2fake.Fake)
		r         publish.Record
		want      publishtest.Outcome
		wantIn    string
		unchanged bool
		retry     time.Duration
		host      string // fake host that must hold r.Addr ("" = r.Domain)
		writes    int
	}{
		{name: "first address", r: rec("home.example.com", "192.0.2.10"), writes: 1},
		{name: "update", setup: func(f *dyndns2fake.Fake) { f.SetAddr("home.example.com", "192.0.2.9") }, r: rec("home.example.com", "192.0.2.10"), writes: 1},
		{name: "unchanged: nochg", setup: func(f *dyndns2fake.Fake) { f.SetAddr("home.example.com", "192.0.2.10") }, r: rec("home.example.com", "192.0.2.10"), unchanged: true},
		{name: "AAAA", r: rec("home.example.com", "2001:db8::10"), writes: 1},
		{name: "multi-level host name", r: rec("a.b.example.com", "192.0.2.10"), writes: 1},
		{name: "apex", r: rec("example.com", "192.0.2.10"), writes: 1},
		{name: "sub~zone spelling", r: rec("a.b~example.com", "192.0.2.10"), host: "a.b.example.com", writes: 1},
		{name: "TTL, line and extra are not sent",
			r: publish.Record{Domain: "home.example.com", Type: "A", Addr: netip.MustParseAddr("192.0.2.10"), TTL: 600, Line: "default",
				Extra: publish.Extra{{Key: "offline", Value: "YES"}, {Key: "hostname", Value: "evil.example.com"}}}, writes: 1},

		{name: "host not in the account: cannot create", r: rec("new.example.com", "192.0.2.10"), want: permanent, wantIn: "noip: new.example.com: nohost: No-IP has no such host name"},
		{name: "bad password", token: "wrong-password-123", r: rec("home.example.com", "192.0.2.10"), want: permanent, wantIn: "badauth: No-IP rejected the user name or password"},
		{name: "429 with Retry-After", setup: func(f *dyndns2fake.Fake) {
			f.Fail(dyndns2fake.Fault{Status: 429, Body: "slow down", RetryAfter: "7"})
		},
			r: rec("home.example.com", "192.0.2.10"), want: transient, wantIn: "429", retry: 7 * time.Second},
		{name: "502", setup: func(f *dyndns2fake.Fake) { f.Fail(dyndns2fake.Fault{Status: 502}) },
			r: rec("home.example.com", "192.0.2.10"), want: transient, wantIn: "502"},
		{name: "911: no sooner than 30 minutes", setup: func(f *dyndns2fake.Fake) { f.Fail(dyndns2fake.Fault{Body: "911"}) },
			r: rec("home.example.com", "192.0.2.10"), want: transient, wantIn: "911: No-IP reports an outage", retry: 30 * time.Minute},
		{name: "abuse: stop", setup: func(f *dyndns2fake.Fake) { f.Fail(dyndns2fake.Fault{Body: "abuse"}) },
			r: rec("home.example.com", "192.0.2.10"), want: permanent, wantIn: "abuse"},
		{name: "badagent: stop", setup: func(f *dyndns2fake.Fake) { f.Fail(dyndns2fake.Fault{Body: "badagent"}) },
			r: rec("home.example.com", "192.0.2.10"), want: permanent, wantIn: "badagent"},
		{name: "!donator", setup: func(f *dyndns2fake.Fake) { f.Fail(dyndns2fake.Fault{Body: "!donator"}) },
			r: rec("home.example.com", "192.0.2.10"), want: permanent, wantIn: "!donator"},
		{name: "malformed answer", setup: func(f *dyndns2fake.Fake) { f.Fail(dyndns2fake.Fault{Body: `{"error":"json?"}`}) },
			r: rec("home.example.com", "192.0.2.10"), want: transient, wantIn: "unexpected answer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			token := tc.token
			if token == "" {
				token = password
			}
			e := newEnv(t, token)
			if tc.setup != nil {
				tc.setup(e.fake)
			}
			res, err := e.p.Set(context.Background(), tc.r)
			if n := e.fake.Calls(""); n != 1 {
				t.Errorf("%d requests, want exactly 1", n)
			}
			if n := e.fake.Tally().Writes; n != tc.writes {
				t.Errorf("%d writes, want %d", n, tc.writes)
			}
			publishtest.Expect(t, err, tc.want, "noip", tc.wantIn, tc.retry, password, token)
			if tc.want != ok {
				return
			}
			if res != (publish.Result{Unchanged: tc.unchanged}) {
				t.Errorf("result %+v, want Unchanged=%v", res, tc.unchanged)
			}
			host := cmp.Or(tc.host, tc.r.Domain)
			if got := e.fake.Addr(host, tc.r.Type); got != tc.r.Addr.String() {
				t.Errorf("fake %s %s = %q, want %s", host, tc.r.Type, got, tc.r.Addr)
			}
			if q := e.fake.Requests()[0].Query; len(q) != 2 || q.Get("hostname") != host || q.Get("myip") != tc.r.Addr.String() {
				t.Errorf("query %v, want hostname and myip only", q)
			}
		})
	}
}

func TestUnknownHostSaysCannotCreate(t *testing.T) {
	e := newEnv(t, password)
	_, err := e.p.Set(context.Background(), rec("new.example.com", "192.0.2.10"))
	if !errors.Is(err, publish.ErrCannotCreate) || !publish.IsPermanent(err) {
		t.Fatalf("got %v, want a permanent publish.ErrCannotCreate", err)
	}
}

// TestCallsPerOperation: first publish, a change with a hint, and a repeat
// cost one request each (No-IP has no ids).
func TestCallsPerOperation(t *testing.T) {
	e := newEnv(t, password)
	hinted := rec("home.example.com", "192.0.2.11")
	hinted.Hint = publish.Hint{ZoneName: "example.com", RecordID: "stale"}
	for i, r := range []publish.Record{rec("home.example.com", "192.0.2.10"), hinted, rec("home.example.com", "192.0.2.11")} {
		res, err := e.p.Set(context.Background(), r)
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if res.Unchanged != (i == 2) {
			t.Errorf("step %d: %+v", i, res)
		}
		if n := e.fake.Calls(""); n != i+1 {
			t.Errorf("step %d: %d calls so far, want %d", i, n, i+1)
		}
	}
}

// TestConformance runs the provider test kit's suite.
func TestConformance(t *testing.T) { publishtest.Run(t, noipfake.Service) }
