package dnspod_test

import (
	"context"
	"maps"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/dnspod"
	"github.com/ddns-go/ddns/publish/dnspod/dnspodfake"
	"github.com/ddns-go/ddns/publish/publishtest"
)

const (
	testID    = "420042"
	testToken = "fake-dnspod-token-0123456789"
)

// Call kinds as the fake counts them.
const (
	info   = "Domain.Info"
	list   = "Record.List"
	create = "Record.Create"
	modify = "Record.Modify"
)

type errClass = publishtest.Outcome

// The outcomes, as the table rows name them.
const noError, permanent, transient = publishtest.Succeeds, publishtest.Permanent, publishtest.Transient

type providerCase struct {
	name    string
	intl    bool   // dnspod_com instead of dnspod
	token   string // "" = the right one
	given   func(f *dnspodfake.Fake) publish.Hint
	faults  []dnspodfake.Fault
	record  publish.Record
	wantErr errClass
	errText string        // a substring the error must contain
	retry   time.Duration // RetryAfter the error must carry
	calls   map[string]int
	then    func(t *testing.T, f *dnspodfake.Fake, res publish.Result)
}

var rec = publishtest.Rec

func with(r publish.Record, f func(*publish.Record)) publish.Record { f(&r); return r }

func zones(names ...string) func(f *dnspodfake.Fake) publish.Hint {
	return func(f *dnspodfake.Fake) publish.Hint {
		for _, n := range names {
			f.AddZone(n)
		}
		return publish.Hint{}
	}
}

// only asserts that name in zone holds exactly one record of typ, with
// value, line and ttl.
func only(zone, name, typ, value, line string, ttl int) func(*testing.T, *dnspodfake.Fake, publish.Result) {
	return func(t *testing.T, f *dnspodfake.Fake, _ publish.Result) {
		t.Helper()
		got := f.Records(zone, name, typ)
		if len(got) != 1 || got[0].Value != value || got[0].Line != line || got[0].TTL != ttl {
			t.Errorf("%s in %s: %+v, want one %s %s on line %s, ttl %d", name, zone, got, typ, value, line, ttl)
		}
	}
}

func TestProvider(t *testing.T) {
	home := rec("home.example.com", "192.0.2.10")
	cases := []providerCase{
		{
			name:   "create",
			given:  zones("example.com"),
			record: home,
			// Longest candidate first: home.example.com, then example.com.
			calls: map[string]int{info: 2, list: 1, create: 1},
			then:  only("example.com", "home", "A", "192.0.2.10", "默认", 600),
		},
		{
			name: "update",
			given: func(f *dnspodfake.Fake) publish.Hint {
				f.AddZone("example.com")
				f.AddRecord("example.com", "home", "A", "192.0.2.1", "", 300)
				return publish.Hint{}
			},
			record: home,
			calls:  map[string]int{info: 2, list: 1, modify: 1},
			then:   only("example.com", "home", "A", "192.0.2.10", "默认", 300),
		},
		{
			name: "unchanged: no write",
			given: func(f *dnspodfake.Fake) publish.Hint {
				f.AddZone("example.com")
				f.AddRecord("example.com", "home", "A", "192.0.2.10", "", 0)
				return publish.Hint{}
			},
			record: home,
			calls:  map[string]int{info: 2, list: 1},
			then: func(t *testing.T, f *dnspodfake.Fake, res publish.Result) {
				if !res.Unchanged {
					t.Errorf("result %+v, want Unchanged", res)
				}
			},
		},
		{
			name:   "multi-level sub-domain in the parent zone",
			given:  zones("example.com"),
			record: rec("a.b.example.com", "192.0.2.10"),
			calls:  map[string]int{info: 3, list: 1, create: 1},
			then:   only("example.com", "a.b", "A", "192.0.2.10", "默认", 600),
		},
		{
			name:   "apex",
			given:  zones("example.com"),
			record: rec("example.com", "192.0.2.10"),
			calls:  map[string]int{info: 1, list: 1, create: 1},
			then:   only("example.com", "@", "A", "192.0.2.10", "默认", 600),
		},
		{
			name:    "zone not found",
			given:   zones("example.org"),
			record:  home,
			wantErr: permanent,
			errText: "no zone of home.example.com",
			calls:   map[string]int{info: 2},
		},
		{
			name:    "5xx",
			given:   zones("example.com"),
			faults:  []dnspodfake.Fault{{Status: 502, Body: "<html>bad gateway</html>"}},
			record:  home,
			wantErr: transient,
			errText: "502",
			calls:   map[string]int{info: 1},
		},
		{
			name:    "malformed JSON",
			given:   zones("example.com"),
			faults:  []dnspodfake.Fault{{Body: `{"status": {"code": "1"`}},
			record:  home,
			wantErr: transient,
			errText: "Domain.Info: malformed answer",
			calls:   map[string]int{info: 1},
		},
		{
			name:    "JSON without status",
			given:   zones("example.com"),
			faults:  []dnspodfake.Fault{{Body: `[]`}},
			record:  home,
			wantErr: transient,
			errText: "malformed answer",
			calls:   map[string]int{info: 1},
		},
		{
			name:    "API usage limit: transient",
			given:   zones("example.com"),
			faults:  []dnspodfake.Fault{{Code: "-2", Message: "API usage is limited"}},
			record:  home,
			wantErr: transient,
			errText: "API error -2: API usage is limited",
			calls:   map[string]int{info: 1},
		},
		{
			name:    "locked account: permanent",
			given:   zones("example.com"),
			faults:  []dnspodfake.Fault{{Code: "83", Message: "Account is locked"}},
			record:  home,
			wantErr: permanent,
			errText: "API error 83",
			calls:   map[string]int{info: 1},
		},
		{
			name:   "TTL and line passed through on create",
			given:  zones("example.com"),
			record: with(home, func(r *publish.Record) { r.TTL, r.Line = 120, "电信" }),
			calls:  map[string]int{info: 2, list: 1, create: 1},
			then:   only("example.com", "home", "A", "192.0.2.10", "电信", 120),
		},
		{
			name: "a TTL change alone is applied",
			given: func(f *dnspodfake.Fake) publish.Hint {
				f.AddZone("example.com")
				f.AddRecord("example.com", "home", "A", "192.0.2.10", "", 600)
				return publish.Hint{}
			},
			record: with(home, func(r *publish.Record) { r.TTL = 120 }),
			calls:  map[string]int{info: 2, list: 1, modify: 1},
			then:   only("example.com", "home", "A", "192.0.2.10", "默认", 120),
		},
		{
			name: "a configured line gets its own record",
			given: func(f *dnspodfake.Fake) publish.Hint {
				f.AddZone("example.com")
				f.AddRecord("example.com", "home", "A", "192.0.2.1", "", 0)
				return publish.Hint{}
			},
			record: with(home, func(r *publish.Record) { r.Line = "联通" }),
			calls:  map[string]int{info: 2, list: 1, create: 1},
			then: func(t *testing.T, f *dnspodfake.Fake, _ publish.Result) {
				got := f.Records("example.com", "home", "A")
				if len(got) != 2 || got[0].Value != "192.0.2.1" || got[1].Line != "联通" || got[1].Value != "192.0.2.10" {
					t.Errorf("records %+v", got)
				}
			},
		},
		{
			name:    "an unknown line is an invalid parameter",
			given:   zones("example.com"),
			record:  with(home, func(r *publish.Record) { r.Line = "火星" }),
			wantErr: permanent,
			errText: "Record.List: API error 26",
			calls:   map[string]int{info: 2, list: 1},
		},
		{
			name: "no line configured: the record keeps its line",
			given: func(f *dnspodfake.Fake) publish.Hint {
				f.AddZone("example.com")
				f.AddRecord("example.com", "home", "A", "192.0.2.1", "电信", 0)
				return publish.Hint{}
			},
			record: home,
			calls:  map[string]int{info: 2, list: 1, modify: 1},
			then: func(t *testing.T, f *dnspodfake.Fake, res publish.Result) {
				only("example.com", "home", "A", "192.0.2.10", "电信", 600)(t, f, res)
				if !strings.HasSuffix(res.RecordID, "/电信") {
					t.Errorf("record id %q does not remember the line", res.RecordID)
				}
			},
		},
		{
			name: "several lines, none configured: the default line's record is updated",
			given: func(f *dnspodfake.Fake) publish.Hint {
				f.AddZone("example.com")
				f.AddRecord("example.com", "home", "A", "192.0.2.2", "电信", 0)
				f.AddRecord("example.com", "home", "A", "192.0.2.1", "", 0)
				return publish.Hint{}
			},
			record: home,
			calls:  map[string]int{info: 2, list: 1, modify: 1},
			then: func(t *testing.T, f *dnspodfake.Fake, _ publish.Result) {
				got := f.Records("example.com", "home", "A")
				if len(got) != 2 || got[0].Value != "192.0.2.2" || got[1].Value != "192.0.2.10" {
					t.Errorf("records %+v", got)
				}
			},
		},
		{
			name:  "extra parameters are sent but cannot replace the credentials",
			given: zones("example.com"),
			record: with(home, func(r *publish.Record) {
				r.Extra = publish.Extra{{Key: "remark", Value: "set by ddns"}, {Key: "login_token", Value: "1,stolen"}}
			}),
			calls: map[string]int{info: 2, list: 1, create: 1},
			then: func(t *testing.T, f *dnspodfake.Fake, _ publish.Result) {
				reqs := f.Requests()
				form := dnspodfake.Form(reqs[len(reqs)-1])
				if form.Get("remark") != "set by ddns" || form.Get("login_token") != testID+","+testToken {
					t.Errorf("create form %v", form)
				}
			},
		},
		{
			name:   "dnspod_com: create on the default line",
			intl:   true,
			given:  zones("example.com"),
			record: home,
			calls:  map[string]int{info: 2, list: 1, create: 1},
			then: func(t *testing.T, f *dnspodfake.Fake, res publish.Result) {
				only("example.com", "home", "A", "192.0.2.10", "Default", 600)(t, f, res)
				if l := lastForm(f).Get("record_line"); l != "default" {
					t.Errorf("record_line %q, want default", l)
				}
			},
		},
		{
			name: "dnspod_com: update sends the line as default",
			intl: true,
			given: func(f *dnspodfake.Fake) publish.Hint {
				f.AddZone("example.com")
				f.AddRecord("example.com", "home", "A", "192.0.2.1", "Default", 0)
				return publish.Hint{}
			},
			record: home,
			calls:  map[string]int{info: 2, list: 1, modify: 1},
			then: func(t *testing.T, f *dnspodfake.Fake, res publish.Result) {
				only("example.com", "home", "A", "192.0.2.10", "Default", 600)(t, f, res)
				if l := lastForm(f).Get("record_line"); l != "default" {
					t.Errorf("record_line %q, want default", l)
				}
			},
		},
		{
			name: "dnspod_com: a configured Default line is unchanged",
			intl: true,
			given: func(f *dnspodfake.Fake) publish.Hint {
				f.AddZone("example.com")
				f.AddRecord("example.com", "home", "A", "192.0.2.10", "Default", 0)
				return publish.Hint{}
			},
			record: with(home, func(r *publish.Record) { r.Line = "Default" }),
			calls:  map[string]int{info: 2, list: 1},
		},

		// With ids from the state file.
		{
			name: "hint: update by id is one call",
			given: func(f *dnspodfake.Fake) publish.Hint {
				z := f.AddZone("example.com")
				id := f.AddRecord("example.com", "home", "A", "192.0.2.1", "", 0)
				return publish.Hint{ZoneID: z, ZoneName: "example.com", RecordID: id}
			},
			record: home,
			calls:  map[string]int{modify: 1},
			then:   only("example.com", "home", "A", "192.0.2.10", "默认", 600),
		},
		{
			name: "hint: a remembered line is kept",
			given: func(f *dnspodfake.Fake) publish.Hint {
				z := f.AddZone("example.com")
				id := f.AddRecord("example.com", "home", "A", "192.0.2.1", "移动", 0)
				return publish.Hint{ZoneID: z, ZoneName: "example.com", RecordID: id + "/移动"}
			},
			record: home,
			calls:  map[string]int{modify: 1},
			then:   only("example.com", "home", "A", "192.0.2.10", "移动", 600),
		},
		{
			name: "hint: bad credentials stop at the first call",
			given: func(f *dnspodfake.Fake) publish.Hint {
				z := f.AddZone("example.com")
				id := f.AddRecord("example.com", "home", "A", "192.0.2.1", "", 0)
				return publish.Hint{ZoneID: z, ZoneName: "example.com", RecordID: id}
			},
			token:   "wrong-token-value",
			record:  home,
			wantErr: permanent,
			calls:   map[string]int{modify: 1},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { runCase(t, tc) })
	}
}

func runCase(t *testing.T, tc providerCase) {
	// Given an account on the fake.
	lines, name := dnspodfake.LinesCN, "dnspod"
	if tc.intl {
		lines, name = dnspodfake.LinesIntl, "dnspod_com"
	}
	f := dnspodfake.New(testID, testToken, lines)
	srv := httptest.NewServer(f)
	defer srv.Close()
	r := tc.record
	if tc.given != nil {
		r.Hint = tc.given(f)
	}
	f.Fail(tc.faults...)
	token := testToken
	if tc.token != "" {
		token = tc.token
	}
	p, err := publish.New(name, publish.Settings{ID: testID, Token: token, Endpoint: srv.URL, HTTP: srv.Client(), Log: zerolog.Nop(), Now: time.Now})
	if err != nil {
		t.Fatal(err)
	}

	// When the record is set.
	res, err := p.Set(context.Background(), r)

	// Then the outcome, the calls made and the account are as expected.
	publishtest.Expect(t, err, tc.wantErr, name, tc.errText, tc.retry, testToken, tc.token)
	if got := f.CallCounts(); !maps.Equal(got, tc.calls) {
		t.Errorf("calls %v, want %v", got, tc.calls)
	}
	if tc.then != nil {
		tc.then(t, f, res)
	}
}

func lastForm(f *dnspodfake.Fake) url.Values {
	reqs := f.Requests()
	return dnspodfake.Form(reqs[len(reqs)-1])
}

// TestZoneLookupsAreCached: one provider serving several domains of a zone
// asks for each candidate zone once.
func TestZoneLookupsAreCached(t *testing.T) {
	f := dnspodfake.New(testID, testToken, dnspodfake.LinesCN)
	f.AddZone("example.com")
	srv := httptest.NewServer(f)
	defer srv.Close()
	p, _ := dnspod.New(publish.Settings{ID: testID, Token: testToken, Endpoint: srv.URL + "/", HTTP: srv.Client(), Log: zerolog.Nop(), Now: time.Now})
	for _, d := range []string{"a.example.com", "b.example.com", "example.com"} {
		if _, err := p.Set(context.Background(), rec(d, "192.0.2.10")); err != nil {
			t.Fatal(err)
		}
	}
	// a.example.com and b.example.com are not zones (asked once each);
	// example.com is found once, then cached.
	if got := f.Calls(info); got != 3 {
		t.Errorf("%d Domain.Info calls, want 3", got)
	}
}

func TestNewValidates(t *testing.T) {
	cases := []struct {
		name, id, token, want string
	}{
		{"dnspod", "", "t0ken", "dnspod: id must be configured"},
		{"dnspod", "123", "", "dnspod: token must be configured"},
		{"dnspod_com", "  ", "t0ken", "dnspod_com: id must be configured"},
		{"dnspod_cn", "123,456", "t0ken", "dnspod: id must be the numeric API token ID"},
		{"dnspod_global", "123", "t0ken", ""},
	}
	for _, c := range cases {
		_, err := publish.New(c.name, publish.Settings{ID: c.id, Token: c.token})
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.HasPrefix(err.Error(), c.want)) {
			t.Errorf("%s(id %q, token %q): %v, want %q", c.name, c.id, c.token, err, c.want)
		}
	}
}

// TestConformance runs the provider test kit's suite, on the Chinese and
// the international site.
func TestConformance(t *testing.T) {
	t.Run("dnspod", func(t *testing.T) { publishtest.Run(t, dnspodfake.Service) })
	t.Run("dnspod_com", func(t *testing.T) { publishtest.Run(t, dnspodfake.IntlService) })
}
