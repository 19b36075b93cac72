package he_test

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
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("rejected: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("error %v, want %q", err, tc.want)
			case err != nil && strings.Contains(err.Error(), "\n"):
				t.Fatalf("error spans lines: %q", err)
			}
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

// env is a provider wired to a fake holding three dynamic hosts.
type env struct {
	fake *hefake.Fake
	srv  *httptest.Server
	p    publish.Provider
}

func newEnv(t *testing.T, token, pathPrefix string) *env {
	t.Helper()
	f := hefake.New()
	for _, h := range []string{"home.example.com", "a.b.example.com", "example.com"} {
		f.AddHost(h, key)
	}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	p, err := he.New(publish.Settings{Token: token, Endpoint: srv.URL + pathPrefix, HTTP: srv.Client(), Now: time.Now})
	if err != nil {
		t.Fatal(err)
	}
	return &env{f, srv, p}
}

var rec = publishtest.Rec

// The outcomes, as the table rows name them.
const ok, transient, permanent = publishtest.Succeeds, publishtest.Transient, publishtest.Permanent

// TestSet is the matrix against the fake. Every case makes exactly one
// request: the provider never retries and never reads before writing.
func TestSet(t *testing.T) {
	for _, tc := range []struct {
		name      string
		token     string // "" = the right key
		path      string // appended to the endpoint
		setup     func(*hefake.Fake)
		r         publish.Record
		want      publishtest.Outcome
		wantIn    string // substring of the error
		unchanged bool
		retry     time.Duration
		host      string // fake record that must hold r.Addr afterwards ("" = r.Domain when ok)
		writes    int
	}{
		{name: "first address (record exists, empty)", r: rec("home.example.com", "192.0.2.10"), writes: 1},
		{name: "update", setup: func(f *hefake.Fake) { f.SetAddr("home.example.com", "192.0.2.9") },
			r: rec("home.example.com", "192.0.2.10"), writes: 1},
		{name: "already current at HE: nochg is success", setup: func(f *hefake.Fake) { f.SetAddr("home.example.com", "192.0.2.10") },
			r: rec("home.example.com", "192.0.2.10"), unchanged: true},
		{name: "AAAA", r: rec("home.example.com", "2001:db8::10"), writes: 1},
		{name: "multi-level sub-domain", r: rec("a.b.example.com", "192.0.2.10"), writes: 1},
		{name: "apex", r: rec("example.com", "192.0.2.10"), writes: 1},
		{name: "sub+zone spelling", r: rec("a.b+example.com", "192.0.2.10"), host: "a.b.example.com", writes: 1},
		{name: "@~zone spelling", r: rec("@~example.com", "192.0.2.10"), host: "example.com", writes: 1},
		{name: "TTL, line and extra are not sent",
			r: publish.Record{Domain: "home.example.com", Type: "A", Addr: netip.MustParseAddr("192.0.2.10"), TTL: 600, Line: "电信",
				Extra: publish.Extra{{Key: "ttl", Value: "1"}, {Key: "hostname", Value: "evil.example.com"}}}, writes: 1},

		{name: "host does not exist: cannot create", r: rec("new.example.com", "192.0.2.10"), want: permanent, wantIn: "he: new.example.com: nohost"},
		{name: "bad key", token: "wrong-key-123", r: rec("home.example.com", "192.0.2.10"), want: permanent, wantIn: "badauth"},
		{name: "wrong endpoint path: 404", path: "/api", r: rec("home.example.com", "192.0.2.10"), want: permanent, wantIn: "404"},
		{name: "429 with Retry-After", setup: func(f *hefake.Fake) { f.Fail(hefake.Fault{Status: 429, Body: "slow down", RetryAfter: "7"}) },
			r: rec("home.example.com", "192.0.2.10"), want: transient, wantIn: "429", retry: 7 * time.Second},
		{name: "abuse with 429 keeps Retry-After", setup: func(f *hefake.Fake) { f.Fail(hefake.Fault{Status: 429, Body: "abuse", RetryAfter: "60"}) },
			r: rec("home.example.com", "192.0.2.10"), want: transient, wantIn: "abuse", retry: time.Minute},
		{name: "abuse", setup: func(f *hefake.Fake) { f.Fail(hefake.Fault{Body: "abuse"}) },
			r: rec("home.example.com", "192.0.2.10"), want: transient, wantIn: "temporarily blocked"},
		{name: "503", setup: func(f *hefake.Fake) { f.Fail(hefake.Fault{Status: 503, Body: "<html>down</html>"}) },
			r: rec("home.example.com", "192.0.2.10"), want: transient, wantIn: "503"},
		{name: "911", setup: func(f *hefake.Fake) { f.Fail(hefake.Fault{Body: "911"}) },
			r: rec("home.example.com", "192.0.2.10"), want: transient, wantIn: "server-side"},
		{name: "malformed answer", setup: func(f *hefake.Fake) { f.Fail(hefake.Fault{Body: "<html><body>Login to continue</body></html>"}) },
			r: rec("home.example.com", "192.0.2.10"), want: transient, wantIn: "unexpected answer"},
		{name: "JSON instead of text", setup: func(f *hefake.Fake) { f.Fail(hefake.Fault{Body: `{"status":`}) },
			r: rec("home.example.com", "192.0.2.10"), want: transient, wantIn: "unexpected answer"},
		{name: "empty answer", setup: func(f *hefake.Fake) { f.Fail(hefake.Fault{}) },
			r: rec("home.example.com", "192.0.2.10"), want: transient, wantIn: "empty answer"},
		{name: "binary answer", setup: func(f *hefake.Fake) { f.Fail(hefake.Fault{Body: "\xff\xfe\x00good"}) },
			r: rec("home.example.com", "192.0.2.10"), want: transient, wantIn: "unexpected answer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			token := tc.token
			if token == "" {
				token = key
			}
			e := newEnv(t, token, tc.path)
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
			publishtest.Expect(t, err, tc.want, "he", tc.wantIn, tc.retry, key, token)
			if tc.want != ok {
				return
			}
			if res.Unchanged != tc.unchanged {
				t.Errorf("Unchanged = %v, want %v", res.Unchanged, tc.unchanged)
			}
			host := cmp.Or(tc.host, tc.r.Domain)
			if got := e.fake.Addr(host, tc.r.Type); got != tc.r.Addr.String() {
				t.Errorf("fake %s %s = %q, want %s", host, tc.r.Type, got, tc.r.Addr)
			}
			wantBody := "hostname=" + host + "&myip=" + strings.ReplaceAll(tc.r.Addr.String(), ":", "%3A") + "&password=" + key
			if got := string(e.fake.Requests()[0].Body); got != wantBody {
				t.Errorf("body %s, want %s", got, wantBody)
			}
		})
	}
}

func TestUnknownHostSaysCannotCreate(t *testing.T) {
	e := newEnv(t, key, "")
	_, err := e.p.Set(context.Background(), rec("new.example.com", "192.0.2.10"))
	if !errors.Is(err, publish.ErrCannotCreate) || !publish.IsPermanent(err) {
		t.Fatalf("got %v, want a permanent publish.ErrCannotCreate", err)
	}
}

// TestCallsPerOperation: the first publish, a change with ids remembered
// (he has none, the hint is ignored) and a repeat each cost one request;
// the state file, not the provider, makes the steady state free.
func TestCallsPerOperation(t *testing.T) {
	e := newEnv(t, key, "")
	ctx := context.Background()
	steps := []struct {
		name      string
		r         publish.Record
		unchanged bool
	}{
		{"first run", rec("home.example.com", "192.0.2.10"), false},
		{"change with a hint", func() publish.Record {
			r := rec("home.example.com", "192.0.2.11")
			r.Hint = publish.Hint{ZoneID: "z", ZoneName: "example.com", RecordID: "stale"}
			return r
		}(), false},
		{"same address again", rec("home.example.com", "192.0.2.11"), true},
	}
	for i, s := range steps {
		res, err := e.p.Set(ctx, s.r)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if res.Unchanged != s.unchanged || res.RecordID != "" || res.ZoneID != "" {
			t.Errorf("%s: result %+v", s.name, res)
		}
		if n := e.fake.Calls(""); n != i+1 {
			t.Errorf("%s: %d calls so far, want %d", s.name, n, i+1)
		}
	}
}

// TestConformance runs the provider test kit's suite.
func TestConformance(t *testing.T) { publishtest.Run(t, hefake.Service) }
