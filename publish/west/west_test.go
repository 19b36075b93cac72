package west_test

import (
	"bytes"
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/rs/zerolog"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/publishtest"
	"github.com/ddns-go/ddns/publish/west"
	"github.com/ddns-go/ddns/publish/west/westfake"
)

const (
	user   = "myuser"
	apikey = "fedcba9876543210fedcba9876543210" // the account's API key
	domKey = "0123456789abcdef0123456789abcdef" // example.com's apidomainkey
)

func TestNew(t *testing.T) {
	for _, tc := range []struct {
		name string
		s    publish.Settings
		want string // "" = accepted, else a substring of the error
		warn bool   // a warning about the token's form is logged
	}{
		{"account", publish.Settings{ID: user, Token: apikey}, "", false},
		{"domain key", publish.Settings{Token: domKey}, "", false},
		{"35.cn endpoint", publish.Settings{Token: domKey, Endpoint: "https://api.35.cn/API/v2/domain/dns/"}, "", false},
		{"endpoint without path", publish.Settings{Token: domKey, Endpoint: "http://127.0.0.1:8080"}, "", false},
		{"password instead of its MD5", publish.Settings{ID: user, Token: "MyApiPassword"}, "", true},
		{"no token", publish.Settings{ID: user}, "west: token must be configured", false},
		{"endpoint without scheme", publish.Settings{Token: domKey, Endpoint: "api.west.cn"}, "not an http(s) URL", false},
		{"endpoint ftp", publish.Settings{Token: domKey, Endpoint: "ftp://api.west.cn/"}, "not an http(s) URL", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var log bytes.Buffer
			tc.s.Log = zerolog.New(&log)
			_, err := west.New(tc.s)
			publishtest.ExpectConfig(t, err, tc.want)
			if warned := strings.Contains(log.String(), "MD5"); warned != tc.warn {
				t.Errorf("warning logged = %v, want %v: %s", warned, tc.warn, log.String())
			}
			if tc.s.Token != "" && strings.Contains(log.String(), tc.s.Token) {
				t.Errorf("log shows the token: %s", log.String())
			}
		})
	}
}

func TestRegistered(t *testing.T) {
	for _, name := range []string{"west", "west_cn", "35cn", "WEST"} {
		if _, err := publish.New(name, publish.Settings{Token: domKey}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	info, ok := publish.InfoOf("35cn")
	if !ok || info.Name != "west" || !info.Creates || info.TTL || !info.Line || info.Readable {
		t.Errorf("info %+v", info)
	}
}

// TestCandidates pins the original client's search order.
func TestCandidates(t *testing.T) {
	for _, tc := range []struct {
		domain string
		want   string // "host|zone" pairs, space-separated; "" = rejected
	}{
		{"example.com", "@|example.com"},
		{"www.example.com", "www|example.com @|www.example.com"},
		{"a.b.example.com", "a.b|example.com a|b.example.com @|a.b.example.com"},
		{"example.com.cn", "example|com.cn @|example.com.cn"},
		{"WWW.Example.COM", "www|example.com @|www.example.com"},
		{"a.b~example.com", "a.b|example.com"},
		{"a+b~c.com", "a+b|c.com"},
		{"a.b+example.com", "a.b|example.com"},
		{"@~example.com", "@|example.com"},
		{"~example.com", "@|example.com"},
		{"www~", ""},
		{"localhost", ""},
		{"www.example.com.", ""},
		{"", ""},
	} {
		got, err := west.Candidates(tc.domain)
		if tc.want == "" {
			if err == nil {
				t.Errorf("%q: %v, want an error", tc.domain, got)
			}
			continue
		}
		if err != nil || strings.Join(got, " ") != tc.want {
			t.Errorf("%q: %v %v, want %s", tc.domain, got, err, tc.want)
		}
	}
}

// env is a provider wired to a fake account holding example.com (with
// its own domain key), b.example.org and example.com.cn.
type env struct {
	fake *westfake.Fake
	p    publish.Provider
}

func newEnv(t *testing.T, id, token, pathPrefix string) *env {
	t.Helper()
	f := westfake.New(user, apikey)
	f.AddZone("example.com", domKey)
	f.AddZone("b.example.org", "")
	f.AddZone("example.com.cn", "")
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	p, err := west.New(publish.Settings{ID: id, Token: token, Endpoint: srv.URL + pathPrefix, HTTP: srv.Client(), Now: time.Now})
	if err != nil {
		t.Fatal(err)
	}
	return &env{f, p}
}

var rec = publishtest.Rec

func with(r publish.Record, edit func(*publish.Record)) publish.Record {
	edit(&r)
	return r
}

// The outcomes, as the table rows name them.
const ok, transient, permanent = publishtest.Succeeds, publishtest.Transient, publishtest.Permanent

// TestSet is the matrix against the fake, in account mode unless a case
// says otherwise. Every case states the requests it costs.
func TestSet(t *testing.T) {
	for _, tc := range []struct {
		name      string
		id, token string // "" = the account's; id "-" = none (domain mode); token "-" = domain mode with example.com's key
		path      string // appended to the endpoint
		setup     func(*westfake.Fake)
		r         publish.Record
		want      publishtest.Outcome
		wantIn    string // substring of the error
		retry     time.Duration
		calls     int
		zone      string // where the record must land when ok
		host      string
		line      string // its line
		changes   int    // records created or changed at West
		body      string // the last request's body, when given
	}{
		{name: "create", r: rec("www.example.com", "192.0.2.10"), calls: 1, zone: "example.com", host: "www", changes: 1,
			body: "act=dnsrec.update&apikey=" + apikey + "&domain=example.com&hostname=www&record_value=192.0.2.10&username=" + user},
		{name: "update", setup: func(f *westfake.Fake) { f.AddRecord("example.com", "www", "A", "192.0.2.9", "") },
			r: rec("www.example.com", "192.0.2.10"), calls: 1, zone: "example.com", host: "www", changes: 1},
		{name: "already current at West: one call, nothing changes", setup: func(f *westfake.Fake) { f.AddRecord("example.com", "www", "A", "192.0.2.10", "") },
			r: rec("www.example.com", "192.0.2.10"), calls: 1, zone: "example.com", host: "www"},
		{name: "AAAA", r: rec("www.example.com", "2001:db8::10"), calls: 1, zone: "example.com", host: "www", changes: 1,
			body: "act=dnsrec.update&apikey=" + apikey + "&domain=example.com&hostname=www&record_value=2001%3Adb8%3A%3A10&username=" + user},
		{name: "apex", r: rec("example.com", "192.0.2.10"), calls: 1, zone: "example.com", host: "@", changes: 1},
		{name: "multi-level sub-domain in zone example.com", r: rec("a.b.example.com", "192.0.2.10"), calls: 1, zone: "example.com", host: "a.b", changes: 1},
		{name: "multi-level sub-domain in zone b.example.org: 404 for example.org first", r: rec("a.b.example.org", "192.0.2.10"), calls: 2, zone: "b.example.org", host: "a", changes: 1},
		{name: "both zones exist: the original's order, shortest zone first", setup: func(f *westfake.Fake) { f.AddZone("b.example.com", "") },
			r: rec("a.b.example.com", "192.0.2.10"), calls: 1, zone: "example.com", host: "a.b", changes: 1},
		{name: "both zones exist: sub~zone picks the longer one", setup: func(f *westfake.Fake) { f.AddZone("b.example.com", "") },
			r: rec("a~b.example.com", "192.0.2.10"), calls: 1, zone: "b.example.com", host: "a", changes: 1},
		{name: "sub+zone spelling", r: rec("a.b+example.com", "192.0.2.10"), calls: 1, zone: "example.com", host: "a.b", changes: 1},
		{name: "@~zone spelling", r: rec("@~example.com", "192.0.2.10"), calls: 1, zone: "example.com", host: "@", changes: 1},
		{name: "apex of a zone under com.cn: 404 for com.cn first", r: rec("example.com.cn", "192.0.2.10"), calls: 2, zone: "example.com.cn", host: "@", changes: 1},

		{name: "domain mode", token: "-", r: rec("www.example.com", "192.0.2.10"), calls: 1, zone: "example.com", host: "www", changes: 1,
			body: "act=dnsrec.update&apidomainkey=" + domKey + "&domain=example.com&hostname=www&record_value=192.0.2.10"},

		{name: "line code", r: with(rec("www.example.com", "192.0.2.10"), func(r *publish.Record) { r.Line = "LTEL" }),
			calls: 1, zone: "example.com", host: "www", line: "LTEL", changes: 1,
			body: "act=dnsrec.update&apikey=" + apikey + "&domain=example.com&hostname=www&record_line=LTEL&record_value=192.0.2.10&username=" + user},
		{name: "line by its Chinese name", r: with(rec("www.example.com", "192.0.2.10"), func(r *publish.Record) { r.Line = "联通" }),
			calls: 1, zone: "example.com", host: "www", line: "LCNC", changes: 1},
		{name: "default line sends no record_line", r: with(rec("www.example.com", "192.0.2.10"), func(r *publish.Record) { r.Line = "默认" }),
			calls: 1, zone: "example.com", host: "www", changes: 1,
			body: "act=dnsrec.update&apikey=" + apikey + "&domain=example.com&hostname=www&record_value=192.0.2.10&username=" + user},
		{name: "TTL and extra are not sent", r: with(rec("www.example.com", "192.0.2.10"), func(r *publish.Record) {
			r.TTL = 600
			r.Extra = publish.Extra{{Key: "record_ttl", Value: "60"}, {Key: "hostname", Value: "evil"}}
		}), calls: 1, zone: "example.com", host: "www", changes: 1,
			body: "act=dnsrec.update&apikey=" + apikey + "&domain=example.com&hostname=www&record_value=192.0.2.10&username=" + user},
		{name: "code as a string", setup: func(f *westfake.Fake) {
			f.Fail(westfake.Fault{Body: `{"code": "200", "msg": "success", "body": {"record_id": "77"}}`})
		},
			r: rec("www.example.com", "192.0.2.10"), calls: 1},

		{name: "zone not found", r: rec("www.nowhere.org", "192.0.2.10"), calls: 2, want: permanent,
			wantIn: "west: www.nowhere.org: no zone for it in this account (West answered 404 for nowhere.org, www.nowhere.org)"},
		{name: "zone named but not found", r: rec("www~nowhere.org", "192.0.2.10"), calls: 1, want: permanent, wantIn: "404 for nowhere.org)"},
		{name: "not a domain name", r: rec("localhost", "192.0.2.10"), want: permanent, wantIn: "not a domain name"},
		{name: "bad API key", token: "00000000000000000000000000000000", r: rec("a.b.example.org", "192.0.2.10"), calls: 1, want: permanent,
			wantIn: "API code 401: username or apikey error (check id"},
		{name: "bad user name", id: "someone", r: rec("www.example.com", "192.0.2.10"), calls: 1, want: permanent, wantIn: "API code 401"},
		{name: "bad domain key", id: "-", token: "11111111111111111111111111111111", r: rec("www.example.com", "192.0.2.10"), calls: 1, want: permanent, wantIn: "apidomainkey error"},
		{name: "invalid line", r: with(rec("www.example.com", "192.0.2.10"), func(r *publish.Record) { r.Line = "Mars" }),
			calls: 1, want: permanent, wantIn: "API code 400: record_line is invalid"},
		{name: "429 with Retry-After", setup: func(f *westfake.Fake) { f.Fail(westfake.Fault{Status: 429, Body: "slow down", RetryAfter: "7"}) },
			r: rec("www.example.com", "192.0.2.10"), calls: 1, want: transient, wantIn: "429", retry: 7 * time.Second},
		{name: "503", setup: func(f *westfake.Fake) { f.Fail(westfake.Fault{Status: 503, Body: "<html>down</html>"}) },
			r: rec("www.example.com", "192.0.2.10"), calls: 1, want: transient, wantIn: "503"},
		{name: "403 from a front end", setup: func(f *westfake.Fake) { f.Fail(westfake.Fault{Status: 403, Body: "forbidden"}) },
			r: rec("www.example.com", "192.0.2.10"), calls: 1, want: permanent, wantIn: "403"},
		{name: "wrong endpoint path: HTTP 404", path: "/api/v3/", r: rec("www.example.com", "192.0.2.10"), calls: 1, want: permanent, wantIn: "HTTP 404"},
		{name: "API code 500", setup: func(f *westfake.Fake) { f.Fail(westfake.Fault{Code: "500", Message: "system busy"}) },
			r: rec("www.example.com", "192.0.2.10"), calls: 1, want: transient, wantIn: "API code 500: system busy"},
		{name: "API code 429", setup: func(f *westfake.Fake) { f.Fail(westfake.Fault{Code: "429", Message: "too frequent"}) },
			r: rec("www.example.com", "192.0.2.10"), calls: 1, want: transient, wantIn: "API code 429"},
		// The GBK bytes of a Chinese message ("系统繁忙", system busy).
		{name: "GBK message", setup: func(f *westfake.Fake) {
			f.Fail(westfake.Fault{Body: "{\"code\":500,\"msg\":\"\xcf\xb5\xcd\xb3\xb7\xb1\xc3\xa6\\n\"}"})
		}, r: rec("www.example.com", "192.0.2.10"), calls: 1, want: transient, wantIn: "API code 500: \uFFFD\uFFFD\uFFFD\uFFFD (Chinese text not shown"},
		{name: "malformed JSON", setup: func(f *westfake.Fake) { f.Fail(westfake.Fault{Body: `{"code":`}) },
			r: rec("www.example.com", "192.0.2.10"), calls: 1, want: transient, wantIn: "malformed answer"},
		{name: "HTML instead of JSON", setup: func(f *westfake.Fake) { f.Fail(westfake.Fault{Body: "<html><body>Login</body></html>"}) },
			r: rec("www.example.com", "192.0.2.10"), calls: 1, want: transient, wantIn: "malformed answer"},
		{name: "empty answer", setup: func(f *westfake.Fake) { f.Fail(westfake.Fault{}) },
			r: rec("www.example.com", "192.0.2.10"), calls: 1, want: transient, wantIn: "malformed answer"},
		{name: "JSON without a code", setup: func(f *westfake.Fake) { f.Fail(westfake.Fault{Body: `{"msg": "success"}`}) },
			r: rec("www.example.com", "192.0.2.10"), calls: 1, want: transient, wantIn: "no integer code"},
		{name: "a long message is clipped on a character boundary", setup: func(f *westfake.Fake) {
			f.Fail(westfake.Fault{Code: "500", Message: strings.Repeat("错", 100), ContentType: "application/json; charset=utf-8"})
		},
			r: rec("www.example.com", "192.0.2.10"), calls: 1, want: transient, wantIn: strings.Repeat("错", 66) + "…"},
		{name: "the key echoed in a message is masked", setup: func(f *westfake.Fake) { f.Fail(westfake.Fault{Code: "401", Message: "apikey " + apikey + " invalid"}) },
			r: rec("www.example.com", "192.0.2.10"), calls: 1, want: permanent, wantIn: "apikey fe***10 invalid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			id, token := tc.id, tc.token
			switch {
			case id == "-":
				id = ""
			case id == "" && tc.token != "-":
				id = user
			}
			switch token {
			case "":
				token = apikey
			case "-":
				id, token = "", domKey
			}
			e := newEnv(t, id, token, tc.path)
			if tc.setup != nil {
				tc.setup(e.fake)
			}
			res, err := e.p.Set(context.Background(), tc.r)

			if n := e.fake.Calls(""); n != tc.calls {
				t.Errorf("%d requests, want %d", n, tc.calls)
			}
			if n := e.fake.Changes(); n != tc.changes {
				t.Errorf("%d changes at West, want %d", n, tc.changes)
			}
			reqs := e.fake.Requests()
			if tc.body != "" && (len(reqs) == 0 || string(reqs[len(reqs)-1].Body) != tc.body) {
				t.Errorf("requests %+v, want the last body %s", reqs, tc.body)
			}
			publishtest.Expect(t, err, tc.want, "west", tc.wantIn, tc.retry, apikey, domKey, token)
			if err != nil && !utf8.ValidString(err.Error()) {
				t.Errorf("error %q is not valid UTF-8", err)
			}
			if tc.want != ok {
				return
			}
			if res.Unchanged {
				t.Error("Unchanged set: dnsrec.update always writes")
			}
			if tc.zone == "" {
				return
			}
			got := e.fake.Records(tc.zone, tc.host, tc.r.Type)
			if len(got) != 1 || got[0].Value != tc.r.Addr.String() || got[0].Line != tc.line {
				t.Fatalf("fake %s %s %s = %+v, want one record %s on line %q", tc.zone, tc.host, tc.r.Type, got, tc.r.Addr, tc.line)
			}
			if res.ZoneName != tc.zone || res.RecordID != got[0].ID {
				t.Errorf("result %+v, want zone %s record %s", res, tc.zone, got[0].ID)
			}
		})
	}
}

// TestCallsPerOperation: the first publish searches for the zone; with
// the zone remembered (the state file's hint) a change is one request; a
// record deleted at West is simply created again by the same one request;
// a remembered zone that is gone falls back to the search.
func TestCallsPerOperation(t *testing.T) {
	e := newEnv(t, user, apikey, "")
	ctx := context.Background()
	hinted := func(r publish.Record, res publish.Result) publish.Record {
		r.Hint = publish.Hint{ZoneID: res.ZoneID, ZoneName: res.ZoneName, RecordID: res.RecordID}
		return r
	}
	step := func(name string, r publish.Record, calls int, zone string) publish.Result {
		t.Helper()
		e.fake.Reset()
		res, err := e.p.Set(ctx, r)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if n := e.fake.Calls("dnsrec.update"); n != calls || e.fake.Calls("") != calls {
			t.Errorf("%s: %v calls, want %d dnsrec.update", name, e.fake.CallCounts(), calls)
		}
		if res.ZoneName != zone {
			t.Errorf("%s: zone %q, want %s", name, res.ZoneName, zone)
		}
		return res
	}

	first := step("first run (404 for example.org, then b.example.org)", rec("a.b.example.org", "192.0.2.10"), 2, "b.example.org")
	second := step("change with the zone remembered", hinted(rec("a.b.example.org", "192.0.2.11"), first), 1, "b.example.org")
	if second.RecordID != first.RecordID {
		t.Errorf("record id changed from %s to %s on update", first.RecordID, second.RecordID)
	}

	e.fake.DeleteRecord("b.example.org", second.RecordID)
	third := step("record deleted at West: recreated by the same request", hinted(rec("a.b.example.org", "192.0.2.12"), second), 1, "b.example.org")
	if third.RecordID == second.RecordID {
		t.Errorf("record id %s reused after deletion", third.RecordID)
	}

	// The zone moves: b.example.org is gone, example.org arrives.
	e.fake.DeleteZone("b.example.org")
	e.fake.AddZone("example.org", "")
	step("remembered zone gone: 404, then the search", hinted(rec("a.b.example.org", "192.0.2.13"), third), 2, "example.org")
	if got := e.fake.Records("example.org", "a.b", "A"); len(got) != 1 || got[0].Value != "192.0.2.13" {
		t.Errorf("example.org holds %+v", got)
	}

	// A hint for a zone that is not a suffix of the domain is ignored.
	step("foreign hint", with(rec("www.example.com", "192.0.2.14"), func(r *publish.Record) { r.Hint.ZoneName = "example.net" }), 1, "example.com")
}

// TestIgnoredSettingsLoggedOnce: TTL and extra cannot be sent; the user
// is told once, not on every publish.
func TestIgnoredSettingsLoggedOnce(t *testing.T) {
	f := westfake.New(user, apikey)
	f.AddZone("example.com", "")
	srv := httptest.NewServer(f)
	defer srv.Close()
	var log bytes.Buffer
	p, err := west.New(publish.Settings{ID: user, Token: apikey, Endpoint: srv.URL, HTTP: srv.Client(), Log: zerolog.New(&log), Now: time.Now})
	if err != nil {
		t.Fatal(err)
	}
	r := with(rec("www.example.com", "192.0.2.10"), func(r *publish.Record) { r.TTL = 600 })
	for i := 0; i < 3; i++ {
		if _, err := p.Set(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
	if n := strings.Count(log.String(), "ignored"); n != 1 {
		t.Errorf("%d notes about ignored settings, want 1:\n%s", n, log.String())
	}
}

// TestConformance runs the provider test kit's suite.
func TestConformance(t *testing.T) { publishtest.Run(t, westfake.Service) }
