package cloudns_test

import (
	"strings"
	"testing"

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

// The outcomes, as the table rows name them.
const permanent, transient = publishtest.Permanent, publishtest.Transient

var rec = publishtest.Rec

var rr = publishtest.RR

func with(r publish.Record, f func(*publish.Record)) publish.Record { f(&r); return r }

// only asserts that host in zone holds exactly one record of typ, with
// value and ttl.
func only(zone, host, typ, value string, ttl int) func(*testing.T, *cloudnsfake.Fake, publish.Result) {
	return publishtest.OneRecord[*cloudnsfake.Fake](zone, publishtest.Record{Host: host, Type: typ, Value: value, TTL: ttl})
}

// withSubUser is an account holding example.com with an API sub-user
// alice, id 77, whose password is testToken.
func withSubUser(f *cloudnsfake.Fake) publish.Hint {
	f.AddZone("example.com")
	f.AddSubUser("77", "alice", testToken)
	return publish.Hint{}
}

// table runs cases on a fresh account; every call is a form POST asking
// for JSON.
var table = publishtest.Table[*cloudnsfake.Fake]{
	Provider: "cloudns", ID: testID, Token: testToken,
	New: func() *cloudnsfake.Fake { return cloudnsfake.New(testID, testToken) },
	Request: func(t *testing.T, req publishtest.Request) {
		if req.Method != "POST" || req.Header.Get("Content-Type") != "application/x-www-form-urlencoded" || req.Header.Get("Accept") != "application/json" {
			t.Errorf("%s request: %s, Content-Type %q, Accept %q", req.Action, req.Method, req.Header.Get("Content-Type"), req.Header.Get("Accept"))
		}
	},
}

// flow is how ClouDNS walks the engine's zone flow: zones are known by
// name, records made without a TTL get 60 s.
var flow = publishtest.ZoneFlow[*cloudnsfake.Fake]{
	Info: info, List: list, Create: create, Update: modify,
	AddZone:  func(f *cloudnsfake.Fake, name string) string { f.AddZone(name); return name },
	Defaults: publishtest.Record{TTL: 60},
	BadToken: "wrong-password-value", BadAuth: "mod-record: API error: Invalid authentication",
}

func TestProvider(t *testing.T) {
	home := rec("home.example.com", "192.0.2.10")
	cases := []publishtest.Case[*cloudnsfake.Fake]{
		{
			Name:   "update keeps the record's TTL",
			Given:  flow.Holding(rr("home", "192.0.2.1", 3600)),
			Record: home,
			Calls:  map[string]int{info: 2, list: 1, modify: 1},
			Then: func(t *testing.T, f *cloudnsfake.Fake, res publish.Result) {
				only("example.com", "home", "A", "192.0.2.10", 3600)(t, f, res)
				if !strings.HasSuffix(res.RecordID, "/3600") {
					t.Errorf("record id %q does not remember the TTL", res.RecordID)
				}
			},
		},
		{
			Name:   "a zone under a public suffix (the original guessed co.uk)",
			Given:  flow.Zones("example.co.uk"),
			Record: rec("a.example.co.uk", "192.0.2.10"),
			Calls:  map[string]int{info: 2, list: 1, create: 1},
			Then:   only("example.co.uk", "a", "A", "192.0.2.10", 60),
		},
		{
			Name:   "apex: the empty host filter lists every host; only the apex record is updated",
			Given:  flow.Holding(rr("www", "192.0.2.1", 60), rr("", "192.0.2.2", 60)),
			Record: rec("example.com", "192.0.2.10"),
			Calls:  map[string]int{info: 1, list: 1, modify: 1},
			Then: func(t *testing.T, f *cloudnsfake.Fake, res publish.Result) {
				only("example.com", "", "A", "192.0.2.10", 60)(t, f, res)
				only("example.com", "www", "A", "192.0.2.1", 60)(t, f, res)
			},
		},
		{
			Name: "a slave zone owns the name but cannot be written",
			Given: func(f *cloudnsfake.Fake) publish.Hint {
				f.AddZone("example.com")
				f.AddZoneOfType("b.example.com", "slave")
				return publish.Hint{}
			},
			Record:  rec("a.b.example.com", "192.0.2.10"),
			Want:    permanent,
			ErrText: "zone b.example.com is a slave zone",
			Calls:   map[string]int{info: 2},
		},
		{
			Name:   "sub-user by id",
			ID:     "sub:77",
			Given:  withSubUser,
			Record: home,
			Calls:  map[string]int{info: 2, list: 1, create: 1},
			Then: func(t *testing.T, f *cloudnsfake.Fake, res publish.Result) {
				only("example.com", "home", "A", "192.0.2.10", 60)(t, f, res)
				form := cloudnsfake.Form(f.Requests()[0])
				if form.Get("sub-auth-id") != "77" || form.Has("auth-id") || form.Has("sub-auth-user") {
					t.Errorf("credentials sent as %v", form)
				}
			},
		},
		{
			Name:   "sub-user by name",
			ID:     "sub:alice",
			Given:  withSubUser,
			Record: home,
			Calls:  map[string]int{info: 2, list: 1, create: 1},
			Then:   only("example.com", "home", "A", "192.0.2.10", 60),
		},
		{
			Name:    "unknown sub-user: permanent",
			ID:      "sub:bob",
			Given:   flow.Zones("example.com"),
			Record:  home,
			Want:    permanent,
			ErrText: "incorrect sub-auth-id, sub-auth-user or auth-password",
			Calls:   map[string]int{info: 1},
		},
		{
			Name:    "rate limit reported in the body: transient",
			Given:   flow.Zones("example.com"),
			Faults:  []cloudnsfake.Fault{{Message: cloudnsfake.RateLimit}},
			Record:  home,
			Want:    transient,
			ErrText: "is sending more than 20 requests per second",
			Calls:   map[string]int{info: 1},
		},
		{
			Name:    "malformed JSON",
			Given:   flow.Zones("example.com"),
			Faults:  []cloudnsfake.Fault{{Body: `{"name": "home.example.com"`}},
			Record:  home,
			Want:    transient,
			ErrText: "get-zone-info: malformed answer",
			Calls:   map[string]int{info: 1},
		},
		{
			Name:    "a list that is not records",
			Given:   flow.Zones("example.com"),
			Faults:  []cloudnsfake.Fault{{Body: `{"status": "Failed", "statusDescription": "Missing domain-name"}`}, {Body: `{"name": "example.com", "type": "master"}`}, {Body: `{"1": "x"}`}},
			Record:  home,
			Want:    transient,
			ErrText: "records: malformed answer",
			Calls:   map[string]int{info: 2, list: 1},
		},
		{
			Name:    "a write answered without status",
			Given:   flow.Zones("example.com"),
			Faults:  []cloudnsfake.Fault{{Message: cloudnsfake.NoZone}, {Body: `{"name": "example.com", "type": "master"}`}, {Body: `[]`}, {Body: `{}`}},
			Record:  home,
			Want:    transient,
			ErrText: "add-record: malformed answer",
			Calls:   map[string]int{info: 2, list: 1, create: 1},
		},
		{
			Name:   "TTL passed through on create, rounded up to one ClouDNS accepts",
			Given:  flow.Zones("example.com"),
			Record: with(home, func(r *publish.Record) { r.TTL = 120 }),
			Calls:  map[string]int{info: 2, list: 1, create: 1},
			Then:   only("example.com", "home", "A", "192.0.2.10", 300),
		},
		{
			Name:   "a TTL change alone is applied",
			Given:  flow.Holding(rr("home", "192.0.2.10", 60)),
			Record: with(home, func(r *publish.Record) { r.TTL = 3600 }),
			Calls:  map[string]int{info: 2, list: 1, modify: 1},
			Then:   only("example.com", "home", "A", "192.0.2.10", 3600),
		},
		{
			Name:   "a TTL that rounds to the record's is unchanged",
			Given:  flow.Holding(rr("home", "192.0.2.10", 300)),
			Record: with(home, func(r *publish.Record) { r.TTL = 120 }),
			Calls:  map[string]int{info: 2, list: 1},
		},
		{
			Name:  "line and extra are not sent",
			Given: flow.Zones("example.com"),
			Record: with(home, func(r *publish.Record) {
				r.Line = "电信"
				r.Extra = publish.Extra{{Key: "auth-password", Value: "stolen"}, {Key: "status", Value: "0"}}
			}),
			Calls: map[string]int{info: 2, list: 1, create: 1},
			Then: func(t *testing.T, f *cloudnsfake.Fake, res publish.Result) {
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
			Name:   "hint: a remembered TTL is kept",
			Given:  flow.Hinted(rr("home", "192.0.2.1", 86400), "/86400"),
			Record: home,
			Calls:  map[string]int{modify: 1},
			Then:   only("example.com", "home", "A", "192.0.2.10", 86400),
		},
		{
			Name:   "hint: a configured TTL wins",
			Given:  flow.Hinted(rr("home", "192.0.2.1", 86400), "/86400"),
			Record: with(home, func(r *publish.Record) { r.TTL = 300 }),
			Calls:  map[string]int{modify: 1},
			Then:   only("example.com", "home", "A", "192.0.2.10", 300),
		},
		{
			Name:   "hint: apex",
			Given:  flow.Hinted(rr("", "192.0.2.1", 60), ""),
			Record: rec("example.com", "192.0.2.10"),
			Calls:  map[string]int{modify: 1},
			Then:   only("example.com", "", "A", "192.0.2.10", 60),
		},
	}
	table.Run(t, append(flow.Cases(), cases...))
}

// TestZoneLookupsAreCached: one provider serving several domains of a zone
// asks for each candidate zone once.
func TestZoneLookupsAreCached(t *testing.T) {
	publishtest.ZoneLookupsCached(t, cloudnsfake.Service, info)
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
