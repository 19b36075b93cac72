package dyndns2_test

import (
	"bytes"
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/dyndns2"
	"github.com/ddns-go/ddns/publish/dyndns2/dyndns2fake"
	"github.com/ddns-go/ddns/publish/publishtest"
)

const (
	user     = "ddns-user@example.com"
	password = "dyndns2-secret-p@ss"
)

func TestNew(t *testing.T) {
	const ep = "https://members.dyndns.org/v3/update"
	for _, tc := range []struct {
		name string
		s    publish.Settings
		want string // "" = accepted, else a substring of the error
	}{
		{"Dyn", publish.Settings{ID: user, Token: password, Endpoint: ep}, ""},
		{"OVH, with a query", publish.Settings{ID: user, Token: password, Endpoint: "https://www.ovh.com/nic/update?system=dyndns"}, ""},
		{"local http", publish.Settings{ID: user, Token: password, Endpoint: "http://127.0.0.1:8245/nic/update"}, ""},
		{"no endpoint", publish.Settings{ID: user, Token: password}, "dyndns2: endpoint must be configured: the service's full update URL"},
		{"no id", publish.Settings{Token: password, Endpoint: ep}, "dyndns2: id must be configured (the members.dyndns.org user name)"},
		{"no token", publish.Settings{ID: user, Endpoint: ep}, "dyndns2: token must be configured"},
		{"colon in id", publish.Settings{ID: "a:b", Token: password, Endpoint: ep}, "must not contain ':'"},
		{"no scheme", publish.Settings{ID: user, Token: password, Endpoint: "members.dyndns.org/v3/update"}, "not an http(s) URL"},
		{"ftp", publish.Settings{ID: user, Token: password, Endpoint: "ftp://members.dyndns.org/"}, "not an http(s) URL"},
		{"credentials in the URL", publish.Settings{ID: user, Token: password, Endpoint: "https://u:hunter2@members.dyndns.org/v3/update"}, "carries credentials"},
		{"fragment", publish.Settings{ID: user, Token: password, Endpoint: ep + "#x"}, "fragment"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := dyndns2.New(tc.s)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("rejected: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("error %v, want %q", err, tc.want)
			case err != nil && (strings.Contains(err.Error(), "\n") || strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), password)):
				t.Fatalf("error %q spans lines or shows a password", err)
			}
		})
	}
}

func TestRegistered(t *testing.T) {
	s := publish.Settings{ID: user, Token: password, Endpoint: "https://api.dynu.com/nic/update"}
	for _, name := range []string{"dyndns2", "dyndns", "ddns2", "DynDNS2"} {
		if _, err := publish.New(name, s); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	info, ok := publish.InfoOf("dyndns2")
	if !ok || info.Creates || info.TTL || info.Line || info.Readable || info.ID == "" || info.Token == "" {
		t.Errorf("info %+v", info)
	}
}

// env is a provider wired to a fake account holding three host names.
type env struct {
	fake *dyndns2fake.Fake
	p    publish.Provider
	logs *bytes.Buffer
}

func newEnv(t *testing.T, token, path string) *env {
	t.Helper()
	f := dyndns2fake.New(dyndns2fake.Options{Path: "/v3/update"})
	f.AddUser(user, password)
	f.AddUser("someone-else", "other-password")
	for _, h := range []string{"home.example.com", "a.b.example.com", "example.com"} {
		f.AddHost(h, user)
	}
	f.AddHost("theirs.example.com", "someone-else")
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	logs := &bytes.Buffer{}
	p, err := dyndns2.New(publish.Settings{ID: user, Token: token, Endpoint: srv.URL + path, HTTP: srv.Client(),
		Log: zerolog.New(logs).Level(zerolog.DebugLevel), Now: time.Now})
	if err != nil {
		t.Fatal(err)
	}
	return &env{f, p, logs}
}

var rec = publishtest.Rec

func withExtra(r publish.Record, kv ...publish.KV) publish.Record {
	r.Extra = kv
	return r
}

// TestSet is the matrix against the fake. Every case makes at most one
// request: the provider never retries and never reads before writing.
func TestSet(t *testing.T) {
	for _, tc := range []struct {
		name      string
		token     string // "" = the right password
		path      string // appended to the fake's URL; "" = "/v3/update"
		setup     func(*dyndns2fake.Fake)
		r         publish.Record
		want      publishtest.Outcome
		wantIn    string // substring of the error
		unchanged bool
		retry     time.Duration
		host      string // fake host that must hold r.Addr afterwards ("" = r.Domain)
		query     string // the exact query sent ("" = hostname and myip only)
		calls     int    // 0 = 1
		writes    int
	}{
		{name: "first address (host exists, empty)", r: rec("home.example.com", "192.0.2.10"), writes: 1},
		{name: "update", setup: func(f *dyndns2fake.Fake) { f.SetAddr("home.example.com", "192.0.2.9") },
			r: rec("home.example.com", "192.0.2.10"), writes: 1},
		{name: "already current: nochg is success", setup: func(f *dyndns2fake.Fake) { f.SetAddr("home.example.com", "192.0.2.10") },
			r: rec("home.example.com", "192.0.2.10"), unchanged: true},
		{name: "AAAA", r: rec("home.example.com", "2001:db8::10"), writes: 1, query: "hostname=home.example.com&myip=2001%3Adb8%3A%3A10"},
		{name: "multi-level host name", r: rec("a.b.example.com", "192.0.2.10"), writes: 1},
		{name: "apex", r: rec("example.com", "192.0.2.10"), writes: 1},
		{name: "sub+zone spelling", r: rec("a.b+example.com", "192.0.2.10"), host: "a.b.example.com", writes: 1,
			query: "hostname=a.b.example.com&myip=192.0.2.10"},
		{name: "@~zone spelling", r: rec("@~example.com", "192.0.2.10"), host: "example.com", writes: 1,
			query: "hostname=example.com&myip=192.0.2.10"},
		{name: "extra parameters are sent, sorted with the others",
			r:      withExtra(rec("home.example.com", "192.0.2.10"), publish.KV{Key: "wildcard", Value: "NOCHG"}, publish.KV{Key: "backmx", Value: false}, publish.KV{Key: "mx", Value: "NOCHG"}),
			writes: 1, query: "backmx=False&hostname=home.example.com&mx=NOCHG&myip=192.0.2.10&wildcard=NOCHG"},
		{name: "endpoint with its own query (OVH style)", path: "/v3/update?system=dyndns", r: rec("home.example.com", "192.0.2.10"),
			writes: 1, query: "system=dyndns&hostname=home.example.com&myip=192.0.2.10"},
		{name: "TTL and line are not sent",
			r:      publish.Record{Domain: "home.example.com", Type: "A", Addr: netip.MustParseAddr("192.0.2.10"), TTL: 600, Line: "电信"},
			writes: 1},

		{name: "extra replacing hostname is refused before any request",
			r:    withExtra(rec("home.example.com", "192.0.2.10"), publish.KV{Key: "hostname", Value: "evil.example.com"}),
			want: permanent, wantIn: `extra parameter "hostname"`, calls: -1},
		{name: "host does not exist: cannot create", r: rec("new.example.com", "192.0.2.10"), want: permanent, wantIn: "dyndns2: new.example.com: nohost"},
		{name: "another account's host", r: rec("theirs.example.com", "192.0.2.10"), want: permanent, wantIn: "nohost"},
		{name: "bad password", token: "wrong-password-123", r: rec("home.example.com", "192.0.2.10"), want: permanent, wantIn: "badauth"},
		{name: "wrong update path: 404", path: "/nic/update", r: rec("home.example.com", "192.0.2.10"), want: permanent, wantIn: "404"},
		{name: "429 with Retry-After", setup: func(f *dyndns2fake.Fake) {
			f.Fail(dyndns2fake.Fault{Status: 429, Body: "slow down", RetryAfter: "7"})
		},
			r: rec("home.example.com", "192.0.2.10"), want: transient, wantIn: "429", retry: 7 * time.Second},
		{name: "503", setup: func(f *dyndns2fake.Fake) { f.Fail(dyndns2fake.Fault{Status: 503, Body: "<html>down</html>"}) },
			r: rec("home.example.com", "192.0.2.10"), want: transient, wantIn: "503"},
		{name: "911: transient, at least 30 minutes", setup: func(f *dyndns2fake.Fake) { f.Fail(dyndns2fake.Fault{Body: "911"}) },
			r: rec("home.example.com", "192.0.2.10"), want: transient, wantIn: "outage or maintenance", retry: 30 * time.Minute},
		{name: "911 under 503 with a longer Retry-After", setup: func(f *dyndns2fake.Fake) { f.Fail(dyndns2fake.Fault{Status: 503, Body: "911", RetryAfter: "3600"}) },
			r: rec("home.example.com", "192.0.2.10"), want: transient, wantIn: "911", retry: time.Hour},
		{name: "dnserr", setup: func(f *dyndns2fake.Fake) { f.Fail(dyndns2fake.Fault{Body: "dnserr"}) },
			r: rec("home.example.com", "192.0.2.10"), want: transient, wantIn: "DNS error", retry: 30 * time.Minute},
		{name: "abuse is permanent", setup: func(f *dyndns2fake.Fake) { f.Fail(dyndns2fake.Fault{Body: "abuse"}) },
			r: rec("home.example.com", "192.0.2.10"), want: permanent, wantIn: "abuse"},
		{name: "badagent", setup: func(f *dyndns2fake.Fake) { f.Fail(dyndns2fake.Fault{Body: "badagent"}) },
			r: rec("home.example.com", "192.0.2.10"), want: permanent, wantIn: "refused this client"},
		{name: "update ignored: good 127.0.0.1", setup: func(f *dyndns2fake.Fake) { f.Fail(dyndns2fake.Fault{Body: "good 127.0.0.1"}) },
			r: rec("home.example.com", "192.0.2.10"), want: permanent, wantIn: "ignored the update"},
		{name: "malformed answer", setup: func(f *dyndns2fake.Fake) {
			f.Fail(dyndns2fake.Fault{Body: "<html><body>Login to continue</body></html>"})
		},
			r: rec("home.example.com", "192.0.2.10"), want: transient, wantIn: "unexpected answer"},
		{name: "JSON instead of text", setup: func(f *dyndns2fake.Fake) { f.Fail(dyndns2fake.Fault{Body: `{"status":`}) },
			r: rec("home.example.com", "192.0.2.10"), want: transient, wantIn: "unexpected answer"},
		{name: "empty answer", setup: func(f *dyndns2fake.Fake) { f.Fail(dyndns2fake.Fault{}) },
			r: rec("home.example.com", "192.0.2.10"), want: transient, wantIn: "empty answer"},
		{name: "binary answer", setup: func(f *dyndns2fake.Fake) { f.Fail(dyndns2fake.Fault{Body: "\xff\xfe\x00good"}) },
			r: rec("home.example.com", "192.0.2.10"), want: transient, wantIn: "unexpected answer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			token := tc.token
			if token == "" {
				token = password
			}
			path := tc.path
			if path == "" {
				path = "/v3/update"
			}
			e := newEnv(t, token, path)
			if tc.setup != nil {
				tc.setup(e.fake)
			}
			res, err := e.p.Set(context.Background(), tc.r)

			calls := max(tc.calls, 0)
			if tc.calls == 0 {
				calls = 1
			}
			if n := e.fake.Calls(""); n != calls {
				t.Errorf("%d requests, want exactly %d", n, calls)
			}
			if n := e.fake.Tally().Writes; n != tc.writes {
				t.Errorf("%d writes, want %d", n, tc.writes)
			}
			for _, secret := range []string{password, token, base64.StdEncoding.EncodeToString([]byte(user + ":" + token))} {
				if strings.Contains(e.logs.String(), secret) {
					t.Errorf("logs show a secret:\n%s", e.logs)
				}
			}
			publishtest.Expect(t, err, tc.want, "dyndns2", tc.wantIn, tc.retry, password, token)
			if tc.want != ok {
				return
			}
			if res.Unchanged != tc.unchanged || res != (publish.Result{Unchanged: tc.unchanged}) {
				t.Errorf("result %+v, want Unchanged=%v and no ids", res, tc.unchanged)
			}
			host := cmp.Or(tc.host, tc.r.Domain)
			if got := e.fake.Addr(host, tc.r.Type); got != tc.r.Addr.String() {
				t.Errorf("fake %s %s = %q, want %s", host, tc.r.Type, got, tc.r.Addr)
			}
			query := tc.query
			if query == "" {
				query = "hostname=" + host + "&myip=" + tc.r.Addr.String()
			}
			req := e.fake.Requests()[0]
			if _, q, _ := strings.Cut(req.URI, "?"); req.Method != http.MethodGet || q != query {
				t.Errorf("request %s %s, want GET with query %s", req.Method, req.URI, query)
			}
			if req.Header.Get("Accept") != "" {
				t.Errorf("Accept header %q, want none", req.Header.Get("Accept"))
			}
		})
	}
}

// TestAuthentication: the fake sees exactly the credentials configured,
// as HTTP Basic auth, on the first request (no challenge round trip).
func TestAuthentication(t *testing.T) {
	e := newEnv(t, password, "/v3/update")
	if _, err := e.p.Set(context.Background(), rec("home.example.com", "192.0.2.10")); err != nil {
		t.Fatal(err)
	}
	req := e.fake.Requests()[0]
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password))
	if got := req.Header.Get("Authorization"); got != want {
		t.Errorf("Authorization %q, want %q", got, want)
	}
}

func TestUnknownHostSaysCannotCreate(t *testing.T) {
	e := newEnv(t, password, "/v3/update")
	_, err := e.p.Set(context.Background(), rec("new.example.com", "192.0.2.10"))
	if !errors.Is(err, publish.ErrCannotCreate) || !publish.IsPermanent(err) || !strings.Contains(err.Error(), "cannot create records") {
		t.Fatalf("got %v, want a permanent publish.ErrCannotCreate", err)
	}
}

// TestCallsPerOperation: the first publish, a change with ids remembered
// (dyndns2 has none: the hint is ignored) and a repeat each cost one
// request; the state file, not the provider, makes the steady state free.
func TestCallsPerOperation(t *testing.T) {
	e := newEnv(t, password, "/v3/update")
	ctx := context.Background()
	hinted := rec("home.example.com", "192.0.2.11")
	hinted.Hint = publish.Hint{ZoneID: "z", ZoneName: "example.com", RecordID: "stale"}
	for i, s := range []struct {
		name      string
		r         publish.Record
		unchanged bool
	}{
		{"first run", rec("home.example.com", "192.0.2.10"), false},
		{"change with a (meaningless) hint", hinted, false},
		{"same address again", rec("home.example.com", "192.0.2.11"), true},
		{"AAAA of the same host", rec("home.example.com", "2001:db8::11"), false},
	} {
		res, err := e.p.Set(ctx, s.r)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if res != (publish.Result{Unchanged: s.unchanged}) {
			t.Errorf("%s: result %+v", s.name, res)
		}
		if n := e.fake.Calls(""); n != i+1 {
			t.Errorf("%s: %d calls so far, want %d", s.name, n, i+1)
		}
	}
	if a, aaaa := e.fake.Addr("home.example.com", "A"), e.fake.Addr("home.example.com", "AAAA"); a != "192.0.2.11" || aaaa != "2001:db8::11" {
		t.Errorf("fake holds A %q AAAA %q", a, aaaa)
	}
}

// TestDifferentAddressAnswered: a server that reports another address
// than the one sent is believed to have updated, with a warning.
func TestDifferentAddressAnswered(t *testing.T) {
	e := newEnv(t, password, "/v3/update")
	e.fake.Fail(dyndns2fake.Fault{Body: "good 198.51.100.1"})
	if _, err := e.p.Set(context.Background(), rec("home.example.com", "192.0.2.10")); err != nil {
		t.Fatal(err)
	}
	var warned bool
	for _, line := range strings.Split(strings.TrimSpace(e.logs.String()), "\n") {
		var l struct{ Level, Message string }
		if json.Unmarshal([]byte(line), &l) == nil && l.Level == "warn" && strings.Contains(l.Message, "198.51.100.1") {
			warned = true
		}
	}
	if !warned {
		t.Errorf("no warning in\n%s", e.logs)
	}
}

// TestFakeAuthenticatesLikeTheRealServer: without credentials, or with
// wrong ones, the fake answers as No-IP and Dyn do — 401, a Basic
// challenge and "badauth" — and changes nothing; without a User-Agent it
// answers "badagent".
func TestFakeAuthenticatesLikeTheRealServer(t *testing.T) {
	f := dyndns2fake.New(dyndns2fake.Options{Realm: "No-IP DNS Update API"})
	f.AddUser(user, password)
	f.AddHost("home.example.com", user)
	srv := httptest.NewServer(f)
	defer srv.Close()
	for _, tc := range []struct {
		name       string
		user, pass string // "" = no Authorization header
		ua         string
		status     int
		body       string
	}{
		{"no credentials", "", "", "test", 401, "badauth"},
		{"wrong password", user, "nope", "test", 401, "badauth"},
		{"unknown user", "nobody", password, "test", 401, "badauth"},
		{"no user agent", user, password, "", 200, "badagent"},
		{"right credentials", user, password, "test", 200, "good 192.0.2.1"},
	} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/nic/update?hostname=home.example.com&myip=192.0.2.1", nil)
		if tc.user != "" {
			req.SetBasicAuth(tc.user, tc.pass)
		}
		req.Header.Set("User-Agent", tc.ua)
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body bytes.Buffer
		body.ReadFrom(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status || body.String() != tc.body {
			t.Errorf("%s: %d %q, want %d %q", tc.name, resp.StatusCode, body.String(), tc.status, tc.body)
		}
		if c := resp.Header.Get("WWW-Authenticate"); (tc.status == 401) != (c == `Basic realm="No-IP DNS Update API"`) {
			t.Errorf("%s: challenge %q", tc.name, c)
		}
	}
	if f.Tally().Writes != 1 || f.Rejected() != 4 || f.Calls("") != 5 {
		t.Errorf("writes %d rejected %d calls %d, want 1 4 5", f.Tally().Writes, f.Rejected(), f.Calls(""))
	}
}

// TestConformance runs the provider test kit's suite.
func TestConformance(t *testing.T) {
	publishtest.Run(t, func() publishtest.Service { return dyndns2fake.Service("dyndns2", dyndns2fake.Options{}) })
}
