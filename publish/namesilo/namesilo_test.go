package namesilo_test

import (
	"bytes"
	"context"
	"maps"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/namesilo"
	"github.com/ddns-go/ddns/publish/namesilo/namesilofake"
	"github.com/ddns-go/ddns/publish/publishtest"
)

const testKey = "fake-namesilo-key-0123456789abcdef"

// Call kinds as the fake counts them.
const (
	info   = "getDomainInfo"
	list   = "dnsListRecords"
	add    = "dnsAddRecord"
	update = "dnsUpdateRecord"
)

// The outcomes, as the table rows name them.
const permanent, transient = publishtest.Permanent, publishtest.Transient

var rec = publishtest.Rec

var rr = publishtest.RR

func with(r publish.Record, f func(*publish.Record)) publish.Record { f(&r); return r }

// only asserts that host in zone holds exactly one record of typ, with
// value and ttl.
func only(zone, host, typ, value string, ttl int) func(*testing.T, *namesilofake.Fake, publish.Result) {
	return publishtest.OneRecord[*namesilofake.Fake](zone, publishtest.Record{Host: host, Type: typ, Value: value, TTL: ttl})
}

// newTable runs cases on fresh accounts from newFake; every call is a GET
// asking for version 1 in JSON.
func newTable(newFake func() *namesilofake.Fake) publishtest.Table[*namesilofake.Fake] {
	return publishtest.Table[*namesilofake.Fake]{
		Provider: "namesilo", Token: testKey, New: newFake,
		Request: func(t *testing.T, req publishtest.Request) {
			if req.Method != "GET" || req.Query.Get("type") != "json" || req.Query.Get("version") != "1" {
				t.Errorf("request %s %s %v: want a GET with type=json and version=1", req.Method, req.Action, req.Query)
			}
		},
	}
}

// sentParam asserts a query parameter of the last request.
func sentParam(key, want string) func(*testing.T, *namesilofake.Fake, publish.Result) {
	return func(t *testing.T, f *namesilofake.Fake, _ publish.Result) {
		t.Helper()
		reqs := f.Requests()
		q := reqs[len(reqs)-1].Query
		if got, ok := q[key]; want == "<absent>" && ok || want != "<absent>" && (!ok || got[0] != want) {
			t.Errorf("last request: %s = %q, want %s", key, got, want)
		}
	}
}

func all(checks ...func(*testing.T, *namesilofake.Fake, publish.Result)) func(*testing.T, *namesilofake.Fake, publish.Result) {
	return func(t *testing.T, f *namesilofake.Fake, res publish.Result) {
		t.Helper()
		for _, c := range checks {
			c(t, f, res)
		}
	}
}

// flow is how NameSilo walks the engine's zone flow: domains are known by
// name, records made without a TTL get DefaultTTL.
var flow = publishtest.ZoneFlow[*namesilofake.Fake]{
	Info: info, List: list, Create: add, Update: update,
	AddZone:  func(f *namesilofake.Fake, name string) string { f.AddDomain(name); return name },
	Defaults: publishtest.Record{TTL: namesilofake.DefaultTTL},
	BadToken: "wrong-namesilo-key-fedcba9876", BadAuth: "API error 110",
}

func TestProvider(t *testing.T) {
	home := rec("home.example.com", "192.0.2.10")
	cases := []publishtest.Case[*namesilofake.Fake]{
		{
			Name:   "create: no rrttl sent",
			Given:  flow.Zones("example.com"),
			Record: home,
			// Longest candidate first: home.example.com, then example.com.
			Calls: map[string]int{info: 2, list: 1, add: 1},
			Then:  all(only("example.com", "home", "A", "192.0.2.10", namesilofake.DefaultTTL), sentParam("rrttl", "<absent>")),
		},
		{
			Name:   "update keeps the record's TTL",
			Given:  flow.Holding(rr("home", "192.0.2.1", 3600)),
			Record: home,
			Calls:  map[string]int{info: 2, list: 1, update: 1},
			Then:   all(only("example.com", "home", "A", "192.0.2.10", 3600), sentParam("rrttl", "3600"), sentParam("rrhost", "home")),
		},
		{
			Name:   "unchanged: the id carries the record's TTL",
			Given:  flow.Holding(rr("home", "192.0.2.10", 0)),
			Record: home,
			Calls:  map[string]int{info: 2, list: 1},
			Then: func(t *testing.T, f *namesilofake.Fake, res publish.Result) {
				if !res.Unchanged || !strings.HasSuffix(res.RecordID, "/7207") {
					t.Errorf("result %+v, want Unchanged with the record's TTL in the id", res)
				}
			},
		},
		{
			Name:   "an IPv6 address written differently is unchanged",
			Given:  flow.Holding(rr("home", "2001:0db8:0:0:0:0:0:10", 0)),
			Record: rec("home.example.com", "2001:db8::10"),
			Calls:  map[string]int{info: 2, list: 1},
		},
		{
			Name:   "records of other names and types are left alone",
			Given:  flow.Holding(rr("www", "192.0.2.1", 0), rr("home", "2001:db8::1", 0), rr("", "192.0.2.2", 0)),
			Record: home,
			Calls:  map[string]int{info: 2, list: 1, add: 1},
			Then: all(
				only("example.com", "home", "A", "192.0.2.10", namesilofake.DefaultTTL),
				only("example.com", "www", "A", "192.0.2.1", namesilofake.DefaultTTL),
				only("example.com", "home", "AAAA", "2001:db8::1", namesilofake.DefaultTTL),
				only("example.com", "@", "A", "192.0.2.2", namesilofake.DefaultTTL),
			),
		},
		{
			Name:   "apex: created with an empty rrhost",
			Given:  flow.Zones("example.com"),
			Record: rec("example.com", "192.0.2.10"),
			Calls:  map[string]int{info: 1, list: 1, add: 1},
			Then:   all(only("example.com", "@", "A", "192.0.2.10", namesilofake.DefaultTTL), sentParam("rrhost", "")),
		},
		{
			Name:   "apex: listed as the domain itself, updated",
			Given:  flow.Holding(rr("@", "192.0.2.1", 0), rr("www", "192.0.2.1", 0)),
			Record: rec("example.com", "192.0.2.10"),
			Calls:  map[string]int{info: 1, list: 1, update: 1},
			Then: all(
				only("example.com", "@", "A", "192.0.2.10", namesilofake.DefaultTTL),
				only("example.com", "www", "A", "192.0.2.1", namesilofake.DefaultTTL),
				sentParam("rrhost", ""),
			),
		},
		{
			Name:    "key not usable from this IP: permanent",
			Given:   flow.Zones("example.com"),
			Faults:  []namesilofake.Fault{{Code: "113", Message: "This API account cannot be accessed from your IP"}},
			Record:  home,
			Want:    permanent,
			ErrText: "API error 113",
			Calls:   map[string]int{info: 1},
		},
		{
			Name:    "503 for a burst (NameSilo answers XML)",
			Given:   flow.Zones("example.com"),
			Faults:  []namesilofake.Fault{{Status: 503, RetryAfter: "2", Body: "<namesilo><reply><code>503</code></reply></namesilo>"}},
			Record:  home,
			Want:    transient,
			ErrText: "503",
			Retry:   2 * time.Second,
			Calls:   map[string]int{info: 1},
		},
		{
			Name:    "5xx on the write",
			Given:   flow.Zones("example.com"),
			Faults:  []namesilofake.Fault{{Action: add, Status: 502, Body: "<html>bad gateway</html>"}},
			Record:  home,
			Want:    transient,
			ErrText: "dnsAddRecord: HTTP 502",
			Calls:   map[string]int{info: 2, list: 1, add: 1},
		},
		{
			Name:    "malformed JSON",
			Given:   flow.Zones("example.com"),
			Faults:  []namesilofake.Fault{{Body: `{"reply": {"code": 300`}},
			Record:  home,
			Want:    transient,
			ErrText: "getDomainInfo: malformed answer",
			Calls:   map[string]int{info: 1},
		},
		{
			Name:    "JSON without a reply",
			Given:   flow.Zones("example.com"),
			Faults:  []namesilofake.Fault{{Body: `{"request": {"operation": "getDomainInfo"}}`}},
			Record:  home,
			Want:    transient,
			ErrText: "malformed answer (no reply code)",
			Calls:   map[string]int{info: 1},
		},
		{
			Name:    "an earlier request still processing: transient",
			Given:   flow.Zones("example.com"),
			Faults:  []namesilofake.Fault{{Code: "400", Message: "Existing API request is still processing"}},
			Record:  home,
			Want:    transient,
			ErrText: "API error 400: Existing API request is still processing",
			Calls:   map[string]int{info: 1},
		},
		{
			Name:   "TTL passed through on create",
			Given:  flow.Zones("example.com"),
			Record: with(home, func(r *publish.Record) { r.TTL = 3600 }),
			Calls:  map[string]int{info: 2, list: 1, add: 1},
			Then: func(t *testing.T, f *namesilofake.Fake, res publish.Result) {
				only("example.com", "home", "A", "192.0.2.10", 3600)(t, f, res)
				if !strings.HasSuffix(res.RecordID, "/3600") {
					t.Errorf("record id %q does not carry the TTL", res.RecordID)
				}
			},
		},
		{
			Name:   "a TTL change alone is applied",
			Given:  flow.Holding(rr("home", "192.0.2.10", 7207)),
			Record: with(home, func(r *publish.Record) { r.TTL = 86400 }),
			Calls:  map[string]int{info: 2, list: 1, update: 1},
			Then:   only("example.com", "home", "A", "192.0.2.10", 86400),
		},
		{
			Name:    "a TTL NameSilo refuses is an invalid parameter",
			Given:   flow.Zones("example.com"),
			Record:  with(home, func(r *publish.Record) { r.TTL = 60 }),
			Want:    permanent,
			ErrText: "dnsAddRecord: API error 280: DNS modification error: TTL must be between",
			Calls:   map[string]int{info: 2, list: 1, add: 1},
		},
		{
			Name:  "line and extra are not sent",
			Given: flow.Zones("example.com"),
			Record: with(home, func(r *publish.Record) {
				r.Line = "电信"
				r.Extra = publish.Extra{{Key: "rrdistance", Value: "5"}, {Key: "key", Value: "stolen"}}
			}),
			Calls: map[string]int{info: 2, list: 1, add: 1},
			Then: all(
				only("example.com", "home", "A", "192.0.2.10", namesilofake.DefaultTTL),
				sentParam("rrdistance", "<absent>"),
				sentParam("key", testKey),
			),
		},

		// With ids from the state file.
		{
			Name:   "hint: update by id is one call, the remembered TTL kept",
			Given:  flow.Hinted(rr("home", "192.0.2.1", 3600), "/3600"),
			Record: home,
			Calls:  map[string]int{update: 1},
			Then:   all(only("example.com", "home", "A", "192.0.2.10", 3600), sentParam("rrttl", "3600")),
		},
		{
			Name:   "hint: a configured TTL wins and is remembered",
			Given:  flow.Hinted(rr("home", "192.0.2.1", 3600), "/3600"),
			Record: with(home, func(r *publish.Record) { r.TTL = 7200 }),
			Calls:  map[string]int{update: 1},
			Then: func(t *testing.T, f *namesilofake.Fake, res publish.Result) {
				only("example.com", "home", "A", "192.0.2.10", 7200)(t, f, res)
				if !strings.HasSuffix(res.RecordID, "/7200") {
					t.Errorf("record id %q, want the new TTL remembered", res.RecordID)
				}
			},
		},
		{
			Name:   "hint: no TTL known, none configured: the default stays",
			Given:  flow.Hinted(rr("home", "192.0.2.1", 0), ""),
			Record: home,
			Calls:  map[string]int{update: 1},
			Then:   all(only("example.com", "home", "A", "192.0.2.10", namesilofake.DefaultTTL), sentParam("rrttl", "<absent>")),
		},
		{
			Name:   "hint: apex by id",
			Given:  flow.Hinted(rr("@", "192.0.2.1", 3600), "/3600"),
			Record: rec("example.com", "192.0.2.10"),
			Calls:  map[string]int{update: 1},
			Then:   all(only("example.com", "@", "A", "192.0.2.10", 3600), sentParam("rrhost", "")),
		},
		{
			Name:    "hint: a transient failure is not mistaken for a stale id",
			Given:   flow.Hinted(rr("home", "192.0.2.1", 0), ""),
			Faults:  []namesilofake.Fault{{Code: "201", Message: "Internal system error"}},
			Record:  home,
			Want:    transient,
			ErrText: "dnsUpdateRecord: API error 201",
			Calls:   map[string]int{update: 1},
		},
	}
	newTable(func() *namesilofake.Fake { return namesilofake.New(testKey) }).Run(t, append(flow.Cases(), cases...))
}

// TestStringCodes: the original's canned answers carry "code": "300" as a
// string, the live API a number; both are understood.
func TestStringCodes(t *testing.T) {
	stringCodes := func() *namesilofake.Fake {
		f := namesilofake.New(testKey)
		f.StringCodes = true
		return f
	}
	newTable(stringCodes).Case(t, publishtest.Case[*namesilofake.Fake]{
		Given:  flow.Holding(rr("home", "192.0.2.1", 3600)),
		Record: rec("home.example.com", "192.0.2.10"),
		Calls:  map[string]int{info: 2, list: 1, update: 1},
		Then:   only("example.com", "home", "A", "192.0.2.10", 3600),
	})
}

// TestReissuedIDs: should NameSilo give a record a new id on update, the
// state file learns it, so the next change is again one call.
func TestReissuedIDs(t *testing.T) {
	// Given a record whose id changes on every update.
	f := namesilofake.New(testKey)
	f.ReissueIDs = true
	f.AddDomain("example.com")
	id := f.AddRecord("example.com", "home", "A", "192.0.2.1", 3600)
	srv := httptest.NewServer(f)
	defer srv.Close()
	p, err := namesilo.New(publish.Settings{Token: testKey, Endpoint: srv.URL, HTTP: srv.Client(), Log: zerolog.Nop(), Now: time.Now})
	if err != nil {
		t.Fatal(err)
	}
	hint := publish.Hint{ZoneID: "example.com", ZoneName: "example.com", RecordID: id + "/3600"}

	// When the address changes twice, with the hint each Set returned.
	for i, addr := range []string{"192.0.2.10", "192.0.2.11"} {
		r := rec("home.example.com", addr)
		r.Hint = hint
		res, err := p.Set(context.Background(), r)
		if err != nil {
			t.Fatalf("change %d: %v", i, err)
		}
		got := f.Records("example.com", "home", "A")
		if len(got) != 1 || res.RecordID != got[0].ID+"/3600" || got[0].Value != addr {
			t.Fatalf("change %d: result %+v, records %+v", i, res, got)
		}
		hint.RecordID = res.RecordID
	}

	// Then each change was one update.
	if got := f.CallCounts(); !maps.Equal(got, map[string]int{update: 2}) {
		t.Errorf("calls %v, want two updates", got)
	}
}

// TestZoneLookupsAreCached: one provider serving several domains of a zone
// asks for each candidate zone once.
func TestZoneLookupsAreCached(t *testing.T) {
	publishtest.ZoneLookupsCached(t, namesilofake.Service, info)
}

func TestNewValidates(t *testing.T) {
	cases := []struct {
		name, id, token, endpoint, want, warning string
	}{
		{name: "namesilo", token: "", want: "namesilo: token must be configured"},
		{name: "namesilo_com", token: "   ", want: "namesilo: token must be configured"},
		{name: "namesilo", token: "k3y-value", endpoint: "www.namesilo.com", want: "namesilo: endpoint \"www.namesilo.com\" is not an http(s) URL"},
		{name: "namesilo", token: "k3y-value"},
		{name: "NameSilo_Com", token: "k3y-value", endpoint: "http://127.0.0.1:8080/"},
		{name: "namesilo", id: "someone", token: "k3y-value", warning: "id is not used"},
	}
	for _, c := range cases {
		var log bytes.Buffer
		_, err := publish.New(c.name, publish.Settings{ID: c.id, Token: c.token, Endpoint: c.endpoint, Log: zerolog.New(&log)})
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.HasPrefix(err.Error(), c.want)) {
			t.Errorf("%s(id %q, token %q, endpoint %q): %v, want %q", c.name, c.id, c.token, c.endpoint, err, c.want)
		}
		if !strings.Contains(log.String(), c.warning) || c.warning == "" && log.Len() != 0 {
			t.Errorf("%s(id %q): log %q, want %q", c.name, c.id, log.String(), c.warning)
		}
	}
	info, ok := publish.InfoOf("namesilo_com")
	if !ok || info.Name != "namesilo" || !info.Creates || !info.TTL || info.Line || !info.Readable {
		t.Errorf("info %+v", info)
	}
}

// TestIgnoredNoted: line and extra are ignored with one info line, not
// one per record.
func TestIgnoredNoted(t *testing.T) {
	f := namesilofake.New(testKey)
	f.AddDomain("example.com")
	srv := httptest.NewServer(f)
	defer srv.Close()
	var log bytes.Buffer
	p, _ := namesilo.New(publish.Settings{Token: testKey, Endpoint: srv.URL, HTTP: srv.Client(), Log: zerolog.New(&log), Now: time.Now})
	for _, d := range []string{"a.example.com", "b.example.com"} {
		r := with(rec(d, "192.0.2.10"), func(r *publish.Record) { r.Line = "default" })
		if _, err := p.Set(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
	if n := strings.Count(log.String(), "no line or extra parameters"); n != 1 {
		t.Errorf("%d notes, want 1:\n%s", n, log.String())
	}
}

// TestConformance runs the provider test kit's suite.
func TestConformance(t *testing.T) { publishtest.Run(t, namesilofake.Service) }
