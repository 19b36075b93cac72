package dyndns2_test

import (
	"bytes"
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"slices"
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
			publishtest.ExpectConfig(t, err, tc.want, "hunter2", password)
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

// table runs cases against a fake account holding three host names (and
// another account's), its update path /v3/update; no log line of a case
// shows a secret.
var table = publishtest.HostTable[*dyndns2fake.Fake]{
	Provider: "dyndns2", Token: password,
	Start: func(t *testing.T, token, path string) (*dyndns2fake.Fake, publish.Provider) {
		t.Helper()
		e := newEnv(t, token, cmp.Or(path, "/v3/update"))
		t.Cleanup(func() {
			for _, secret := range []string{password, token, base64.StdEncoding.EncodeToString([]byte(user + ":" + token))} {
				if strings.Contains(e.logs.String(), secret) {
					t.Errorf("logs show a secret:\n%s", e.logs)
				}
			}
		})
		return e.fake, e.p
	},
	// The one request is a GET of the query the case wants (hostname and
	// myip by default), asking for no particular format.
	Request: func(t *testing.T, c publishtest.HostCase[*dyndns2fake.Fake], req publishtest.Request, host string) {
		query := cmp.Or(c.Query, url.Values{"hostname": {host}, "myip": {c.R.Addr.String()}}.Encode())
		if _, q, _ := strings.Cut(req.URI, "?"); req.Method != http.MethodGet || q != query {
			t.Errorf("request %s %s, want GET with query %s", req.Method, req.URI, query)
		}
		if req.Header.Get("Accept") != "" {
			t.Errorf("Accept header %q, want none", req.Header.Get("Accept"))
		}
	},
}

var rec = publishtest.Rec

func withExtra(r publish.Record, kv ...publish.KV) publish.Record {
	r.Extra = kv
	return r
}

// TestSet is the matrix against the fake. Every case makes at most one
// request: the provider never retries and never reads before writing.
func TestSet(t *testing.T) {
	table.Run(t, slices.Concat(table.Cases(), dyndns2fake.Cases(), []publishtest.HostCase[*dyndns2fake.Fake]{
		{Name: "extra parameters are sent, sorted with the others",
			R:      withExtra(rec("home.example.com", "192.0.2.10"), publish.KV{Key: "wildcard", Value: "NOCHG"}, publish.KV{Key: "backmx", Value: false}, publish.KV{Key: "mx", Value: "NOCHG"}),
			Writes: 1, Query: "backmx=False&hostname=home.example.com&mx=NOCHG&myip=192.0.2.10&wildcard=NOCHG"},
		{Name: "endpoint with its own query (OVH style)", Path: "/v3/update?system=dyndns", R: rec("home.example.com", "192.0.2.10"),
			Writes: 1, Query: "system=dyndns&hostname=home.example.com&myip=192.0.2.10"},
		{Name: "TTL and line are not sent",
			R:      publish.Record{Domain: "home.example.com", Type: "A", Addr: netip.MustParseAddr("192.0.2.10"), TTL: 600, Line: "电信"},
			Writes: 1},

		{Name: "extra replacing hostname is refused before any request",
			R:    withExtra(rec("home.example.com", "192.0.2.10"), publish.KV{Key: "hostname", Value: "evil.example.com"}),
			Want: permanent, WantIn: `extra parameter "hostname"`, Calls: -1},
		{Name: "another account's host", R: rec("theirs.example.com", "192.0.2.10"), Want: permanent, WantIn: "nohost"},
		{Name: "wrong update path: 404", Path: "/nic/update", R: rec("home.example.com", "192.0.2.10"), Want: permanent, WantIn: "404"},
		{Name: "update ignored: good 127.0.0.1", Faults: []dyndns2fake.Fault{{Body: "good 127.0.0.1"}},
			R: rec("home.example.com", "192.0.2.10"), Want: permanent, WantIn: "ignored the update"},
	}))
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

func TestUnknownHostSaysCannotCreate(t *testing.T) { table.CannotCreate(t) }

// TestCallsPerOperation: every publish is one request, the hint ignored
// (dyndns2 has no ids).
func TestCallsPerOperation(t *testing.T) { table.CallsPerOperation(t) }

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
