package cloudns_test

import (
	"context"
	"maps"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/cloudns"
	"github.com/ddns-go/ddns/publish/cloudns/cloudnsfake"
	"github.com/ddns-go/ddns/publish/publishtest"
)

const (
	testID    = "4242"
	testToken = "fake-cloudns-password-0123456789"
)

// Call kinds as the fake counts them.
const (
	info   = "get-zone-info"
	list   = "records"
	create = "add-record"
	modify = "mod-record"
)

type errClass = publishtest.Outcome

// The outcomes, as the table rows name them.
const noError, permanent, transient = publishtest.Succeeds, publishtest.Permanent, publishtest.Transient

type providerCase struct {
	name    string
	id      string // "" = testID
	token   string // "" = the right one
	given   func(f *cloudnsfake.Fake) publish.Hint
	faults  []cloudnsfake.Fault
	record  publish.Record
	wantErr errClass
	errText string        // a substring the error must contain
	retry   time.Duration // RetryAfter the error must carry
	calls   map[string]int
	then    func(t *testing.T, f *cloudnsfake.Fake, res publish.Result)
}

var rec = publishtest.Rec

func with(r publish.Record, f func(*publish.Record)) publish.Record { f(&r); return r }

func zones(names ...string) func(f *cloudnsfake.Fake) publish.Hint {
	return func(f *cloudnsfake.Fake) publish.Hint {
		for _, n := range names {
			f.AddZone(n)
		}
		return publish.Hint{}
	}
}

// only asserts that host in zone holds exactly one record of typ, with
// value and ttl.
func only(zone, host, typ, value string, ttl int) func(*testing.T, *cloudnsfake.Fake, publish.Result) {
	return func(t *testing.T, f *cloudnsfake.Fake, _ publish.Result) {
		t.Helper()
		got := f.Records(zone, host, typ)
		if len(got) != 1 || got[0].Value != value || got[0].TTL != ttl {
			t.Errorf("%q in %s: %+v, want one %s %s, ttl %d", host, zone, got, typ, value, ttl)
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
			then:  only("example.com", "home", "A", "192.0.2.10", 60),
		},
		{
			name: "update keeps the record's TTL",
			given: func(f *cloudnsfake.Fake) publish.Hint {
				f.AddZone("example.com")
				f.AddRecord("example.com", "home", "A", "192.0.2.1", 3600)
				return publish.Hint{}
			},
			record: home,
			calls:  map[string]int{info: 2, list: 1, modify: 1},
			then: func(t *testing.T, f *cloudnsfake.Fake, res publish.Result) {
				only("example.com", "home", "A", "192.0.2.10", 3600)(t, f, res)
				if !strings.HasSuffix(res.RecordID, "/3600") {
					t.Errorf("record id %q does not remember the TTL", res.RecordID)
				}
			},
		},
		{
			name: "unchanged: no write",
			given: func(f *cloudnsfake.Fake) publish.Hint {
				f.AddZone("example.com")
				f.AddRecord("example.com", "home", "A", "192.0.2.10", 60)
				return publish.Hint{}
			},
			record: home,
			calls:  map[string]int{info: 2, list: 1},
			then: func(t *testing.T, f *cloudnsfake.Fake, res publish.Result) {
				if !res.Unchanged || res.ZoneName != "example.com" || res.RecordID == "" {
					t.Errorf("result %+v, want Unchanged with ids", res)
				}
			},
		},
		{
			name:   "multi-level sub-domain in the parent zone",
			given:  zones("example.com"),
			record: rec("a.b.example.com", "192.0.2.10"),
			calls:  map[string]int{info: 3, list: 1, create: 1},
			then:   only("example.com", "a.b", "A", "192.0.2.10", 60),
		},
		{
			name:   "a zone under a public suffix (the original guessed co.uk)",
			given:  zones("example.co.uk"),
			record: rec("a.example.co.uk", "192.0.2.10"),
			calls:  map[string]int{info: 2, list: 1, create: 1},
			then:   only("example.co.uk", "a", "A", "192.0.2.10", 60),
		},
		{
			name:   "apex",
			given:  zones("example.com"),
			record: rec("example.com", "192.0.2.10"),
			calls:  map[string]int{info: 1, list: 1, create: 1},
			then:   only("example.com", "", "A", "192.0.2.10", 60),
		},
		{
			name: "apex: the empty host filter lists every host; only the apex record is updated",
			given: func(f *cloudnsfake.Fake) publish.Hint {
				f.AddZone("example.com")
				f.AddRecord("example.com", "www", "A", "192.0.2.1", 60)
				f.AddRecord("example.com", "", "A", "192.0.2.2", 60)
				return publish.Hint{}
			},
			record: rec("example.com", "192.0.2.10"),
			calls:  map[string]int{info: 1, list: 1, modify: 1},
			then: func(t *testing.T, f *cloudnsfake.Fake, res publish.Result) {
				only("example.com", "", "A", "192.0.2.10", 60)(t, f, res)
				only("example.com", "www", "A", "192.0.2.1", 60)(t, f, res)
			},
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
			name: "a slave zone owns the name but cannot be written",
			given: func(f *cloudnsfake.Fake) publish.Hint {
				f.AddZone("example.com")
				f.AddZoneOfType("b.example.com", "slave")
				return publish.Hint{}
			},
			record:  rec("a.b.example.com", "192.0.2.10"),
			wantErr: permanent,
			errText: "zone b.example.com is a slave zone",
			calls:   map[string]int{info: 2},
		},
		{
			name: "sub-user by id",
			id:   "sub:77",
			given: func(f *cloudnsfake.Fake) publish.Hint {
				f.AddZone("example.com")
				f.AddSubUser("77", "alice", testToken)
				return publish.Hint{}
			},
			record: home,
			calls:  map[string]int{info: 2, list: 1, create: 1},
			then: func(t *testing.T, f *cloudnsfake.Fake, res publish.Result) {
				only("example.com", "home", "A", "192.0.2.10", 60)(t, f, res)
				form := cloudnsfake.Form(f.Requests()[0])
				if form.Get("sub-auth-id") != "77" || form.Has("auth-id") || form.Has("sub-auth-user") {
					t.Errorf("credentials sent as %v", form)
				}
			},
		},
		{
			name: "sub-user by name",
			id:   "sub:alice",
			given: func(f *cloudnsfake.Fake) publish.Hint {
				f.AddZone("example.com")
				f.AddSubUser("77", "alice", testToken)
				return publish.Hint{}
			},
			record: home,
			calls:  map[string]int{info: 2, list: 1, create: 1},
			then:   only("example.com", "home", "A", "192.0.2.10", 60),
		},
		{
			name:    "unknown sub-user: permanent",
			id:      "sub:bob",
			given:   zones("example.com"),
			record:  home,
			wantErr: permanent,
			errText: "incorrect sub-auth-id, sub-auth-user or auth-password",
			calls:   map[string]int{info: 1},
		},
		{
			name:    "5xx",
			given:   zones("example.com"),
			faults:  []cloudnsfake.Fault{{Status: 502, Body: "<html>bad gateway</html>"}},
			record:  home,
			wantErr: transient,
			errText: "502",
			calls:   map[string]int{info: 1},
		},
		{
			name:    "rate limit reported in the body: transient",
			given:   zones("example.com"),
			faults:  []cloudnsfake.Fault{{Message: cloudnsfake.RateLimit}},
			record:  home,
			wantErr: transient,
			errText: "is sending more than 20 requests per second",
			calls:   map[string]int{info: 1},
		},
		{
			name:    "malformed JSON",
			given:   zones("example.com"),
			faults:  []cloudnsfake.Fault{{Body: `{"name": "home.example.com"`}},
			record:  home,
			wantErr: transient,
			errText: "get-zone-info: malformed answer",
			calls:   map[string]int{info: 1},
		},
		{
			name:    "a list that is not records",
			given:   zones("example.com"),
			faults:  []cloudnsfake.Fault{{Body: `{"status": "Failed", "statusDescription": "Missing domain-name"}`}, {Body: `{"name": "example.com", "type": "master"}`}, {Body: `{"1": "x"}`}},
			record:  home,
			wantErr: transient,
			errText: "records: malformed answer",
			calls:   map[string]int{info: 2, list: 1},
		},
		{
			name:    "a write answered without status",
			given:   zones("example.com"),
			faults:  []cloudnsfake.Fault{{Message: cloudnsfake.NoZone}, {Body: `{"name": "example.com", "type": "master"}`}, {Body: `[]`}, {Body: `{}`}},
			record:  home,
			wantErr: transient,
			errText: "add-record: malformed answer",
			calls:   map[string]int{info: 2, list: 1, create: 1},
		},
		{
			name:   "TTL passed through on create, rounded up to one ClouDNS accepts",
			given:  zones("example.com"),
			record: with(home, func(r *publish.Record) { r.TTL = 120 }),
			calls:  map[string]int{info: 2, list: 1, create: 1},
			then:   only("example.com", "home", "A", "192.0.2.10", 300),
		},
		{
			name: "a TTL change alone is applied",
			given: func(f *cloudnsfake.Fake) publish.Hint {
				f.AddZone("example.com")
				f.AddRecord("example.com", "home", "A", "192.0.2.10", 60)
				return publish.Hint{}
			},
			record: with(home, func(r *publish.Record) { r.TTL = 3600 }),
			calls:  map[string]int{info: 2, list: 1, modify: 1},
			then:   only("example.com", "home", "A", "192.0.2.10", 3600),
		},
		{
			name: "a TTL that rounds to the record's is unchanged",
			given: func(f *cloudnsfake.Fake) publish.Hint {
				f.AddZone("example.com")
				f.AddRecord("example.com", "home", "A", "192.0.2.10", 300)
				return publish.Hint{}
			},
			record: with(home, func(r *publish.Record) { r.TTL = 120 }),
			calls:  map[string]int{info: 2, list: 1},
		},
		{
			name:  "line and extra are not sent",
			given: zones("example.com"),
			record: with(home, func(r *publish.Record) {
				r.Line = "电信"
				r.Extra = publish.Extra{{Key: "auth-password", Value: "stolen"}, {Key: "status", Value: "0"}}
			}),
			calls: map[string]int{info: 2, list: 1, create: 1},
			then: func(t *testing.T, f *cloudnsfake.Fake, res publish.Result) {
				only("example.com", "home", "A", "192.0.2.10", 60)(t, f, res)
				reqs := f.Requests()
				form := cloudnsfake.Form(reqs[len(reqs)-1])
				if len(form) != 7 || form.Get("auth-password") != testToken {
					t.Errorf("create form %v", form)
				}
			},
		},

		// With ids from the state file.
		{
			name: "hint: update by id is one call",
			given: func(f *cloudnsfake.Fake) publish.Hint {
				f.AddZone("example.com")
				id := f.AddRecord("example.com", "home", "A", "192.0.2.1", 60)
				return publish.Hint{ZoneID: "example.com", ZoneName: "example.com", RecordID: id}
			},
			record: home,
			calls:  map[string]int{modify: 1},
			then:   only("example.com", "home", "A", "192.0.2.10", 60),
		},
		{
			name: "hint: a remembered TTL is kept",
			given: func(f *cloudnsfake.Fake) publish.Hint {
				f.AddZone("example.com")
				id := f.AddRecord("example.com", "home", "A", "192.0.2.1", 86400)
				return publish.Hint{ZoneID: "example.com", ZoneName: "example.com", RecordID: id + "/86400"}
			},
			record: home,
			calls:  map[string]int{modify: 1},
			then:   only("example.com", "home", "A", "192.0.2.10", 86400),
		},
		{
			name: "hint: a configured TTL wins",
			given: func(f *cloudnsfake.Fake) publish.Hint {
				f.AddZone("example.com")
				id := f.AddRecord("example.com", "home", "A", "192.0.2.1", 86400)
				return publish.Hint{ZoneID: "example.com", ZoneName: "example.com", RecordID: id + "/86400"}
			},
			record: with(home, func(r *publish.Record) { r.TTL = 300 }),
			calls:  map[string]int{modify: 1},
			then:   only("example.com", "home", "A", "192.0.2.10", 300),
		},
		{
			name: "hint: apex",
			given: func(f *cloudnsfake.Fake) publish.Hint {
				f.AddZone("example.com")
				id := f.AddRecord("example.com", "", "A", "192.0.2.1", 60)
				return publish.Hint{ZoneID: "example.com", ZoneName: "example.com", RecordID: id}
			},
			record: rec("example.com", "192.0.2.10"),
			calls:  map[string]int{modify: 1},
			then:   only("example.com", "", "A", "192.0.2.10", 60),
		},
		{
			name: "hint: a deleted zone falls back to the full flow, which reports it",
			given: func(f *cloudnsfake.Fake) publish.Hint {
				return publish.Hint{ZoneID: "example.com", ZoneName: "example.com", RecordID: "987654"}
			},
			record:  home,
			wantErr: permanent,
			errText: "no zone of home.example.com",
			calls:   map[string]int{modify: 1, info: 2},
		},
		{
			name: "hint: bad credentials stop at the first call",
			given: func(f *cloudnsfake.Fake) publish.Hint {
				f.AddZone("example.com")
				id := f.AddRecord("example.com", "home", "A", "192.0.2.1", 60)
				return publish.Hint{ZoneID: "example.com", ZoneName: "example.com", RecordID: id}
			},
			token:   "wrong-password-value",
			record:  home,
			wantErr: permanent,
			errText: "mod-record: API error: Invalid authentication",
			calls:   map[string]int{modify: 1},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { runCase(t, tc) })
	}
}

func runCase(t *testing.T, tc providerCase) {
	// Given an account on the fake.
	f := cloudnsfake.New(testID, testToken)
	srv := httptest.NewServer(f)
	defer srv.Close()
	r := tc.record
	if tc.given != nil {
		r.Hint = tc.given(f)
	}
	f.Fail(tc.faults...)
	id, token := testID, testToken
	if tc.id != "" {
		id = tc.id
	}
	if tc.token != "" {
		token = tc.token
	}
	p, err := publish.New("cloudns", publish.Settings{ID: id, Token: token, Endpoint: srv.URL, HTTP: srv.Client(), Log: zerolog.Nop(), Now: time.Now})
	if err != nil {
		t.Fatal(err)
	}

	// When the record is set.
	res, err := p.Set(context.Background(), r)

	// Then the outcome, the calls made and the account are as expected.
	publishtest.Expect(t, err, tc.wantErr, "cloudns", tc.errText, tc.retry, testToken, tc.token)
	if got := f.CallCounts(); !maps.Equal(got, tc.calls) {
		t.Errorf("calls %v, want %v", got, tc.calls)
	}
	for _, req := range f.Requests() {
		if req.Method != "POST" || req.Header.Get("Content-Type") != "application/x-www-form-urlencoded" || req.Header.Get("Accept") != "application/json" {
			t.Errorf("%s request: %s, Content-Type %q, Accept %q", req.Action, req.Method, req.Header.Get("Content-Type"), req.Header.Get("Accept"))
		}
	}
	if tc.then != nil {
		tc.then(t, f, res)
	}
}

// TestZoneLookupsAreCached: one provider serving several domains of a zone
// asks for each candidate zone once.
func TestZoneLookupsAreCached(t *testing.T) {
	f := cloudnsfake.New(testID, testToken)
	f.AddZone("example.com")
	srv := httptest.NewServer(f)
	defer srv.Close()
	p, _ := cloudns.New(publish.Settings{ID: testID, Token: testToken, Endpoint: srv.URL + "/", HTTP: srv.Client(), Log: zerolog.Nop(), Now: time.Now})
	for _, d := range []string{"a.example.com", "b.example.com", "example.com"} {
		if _, err := p.Set(context.Background(), rec(d, "192.0.2.10")); err != nil {
			t.Fatal(err)
		}
	}
	// a.example.com and b.example.com are not zones (asked once each);
	// example.com is found once, then cached.
	if got := f.Calls(info); got != 3 {
		t.Errorf("%d get-zone-info calls, want 3", got)
	}
}

func TestNewValidates(t *testing.T) {
	cases := []struct {
		id, token, want string
	}{
		{"", "pw", "cloudns: id must be configured"},
		{"123", "", "cloudns: token must be configured"},
		{"  ", "pw", "cloudns: id must be configured"},
		{"alice", "pw", "cloudns: id must be the numeric auth-id"},
		{"sub:", "pw", "cloudns: id sub: needs the sub-user's id or name"},
		{"123", "pw", ""},
		{"sub:77", "pw", ""},
		{"sub:alice", "pw", ""},
	}
	for _, c := range cases {
		_, err := publish.New("cloudns", publish.Settings{ID: c.id, Token: c.token})
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.HasPrefix(err.Error(), c.want)) {
			t.Errorf("id %q, token %q: %v, want %q", c.id, c.token, err, c.want)
		}
	}
}

func TestRoundTTL(t *testing.T) {
	for in, want := range map[int]int{1: 60, 60: 60, 61: 300, 300: 300, 3000: 3600, 86400: 86400, 2592000: 2592000, 1 << 30: 2592000} {
		if got := cloudns.RoundTTL(in); got != want {
			t.Errorf("RoundTTL(%d) = %d, want %d", in, got, want)
		}
	}
}

// TestConformance runs the provider test kit's suite.
func TestConformance(t *testing.T) { publishtest.Run(t, cloudnsfake.Service) }
