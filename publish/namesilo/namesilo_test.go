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

type errClass = publishtest.Outcome

// The outcomes, as the table rows name them.
const noError, permanent, transient = publishtest.Succeeds, publishtest.Permanent, publishtest.Transient

type providerCase struct {
	name    string
	key     string // "" = the right one
	setup   func(f *namesilofake.Fake) publish.Hint
	faults  []namesilofake.Fault
	record  publish.Record
	wantErr errClass
	errText string        // a substring the error must contain
	retry   time.Duration // RetryAfter the error must carry
	calls   map[string]int
	then    func(t *testing.T, f *namesilofake.Fake, res publish.Result)
}

var rec = publishtest.Rec

func with(r publish.Record, f func(*publish.Record)) publish.Record { f(&r); return r }

func domains(names ...string) func(f *namesilofake.Fake) publish.Hint {
	return func(f *namesilofake.Fake) publish.Hint {
		for _, n := range names {
			f.AddDomain(n)
		}
		return publish.Hint{}
	}
}

// existing adds example.com holding home A value with ttl.
func existing(value string, ttl int) func(f *namesilofake.Fake) publish.Hint {
	return func(f *namesilofake.Fake) publish.Hint {
		f.AddDomain("example.com")
		f.AddRecord("example.com", "home", "A", value, ttl)
		return publish.Hint{}
	}
}

// only asserts that host in zone holds exactly one record of typ, with
// value and ttl.
func only(zone, host, typ, value string, ttl int) func(*testing.T, *namesilofake.Fake, publish.Result) {
	return func(t *testing.T, f *namesilofake.Fake, _ publish.Result) {
		t.Helper()
		got := f.Records(zone, host, typ)
		if len(got) != 1 || got[0].Value != value || got[0].TTL != ttl {
			t.Errorf("%q in %s: %+v, want one %s %s with ttl %d", host, zone, got, typ, value, ttl)
		}
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

func TestProvider(t *testing.T) {
	home := rec("home.example.com", "192.0.2.10")
	cases := []providerCase{
		{
			name:   "create",
			setup:  domains("example.com"),
			record: home,
			// Longest candidate first: home.example.com, then example.com.
			calls: map[string]int{info: 2, list: 1, add: 1},
			then:  all(only("example.com", "home", "A", "192.0.2.10", namesilofake.DefaultTTL), sentParam("rrttl", "<absent>")),
		},
		{
			name:   "update keeps the record's TTL",
			setup:  existing("192.0.2.1", 3600),
			record: home,
			calls:  map[string]int{info: 2, list: 1, update: 1},
			then:   all(only("example.com", "home", "A", "192.0.2.10", 3600), sentParam("rrttl", "3600"), sentParam("rrhost", "home")),
		},
		{
			name:   "unchanged: no write",
			setup:  existing("192.0.2.10", 0),
			record: home,
			calls:  map[string]int{info: 2, list: 1},
			then: func(t *testing.T, f *namesilofake.Fake, res publish.Result) {
				if !res.Unchanged || !strings.HasSuffix(res.RecordID, "/7207") {
					t.Errorf("result %+v, want Unchanged with the record's TTL in the id", res)
				}
			},
		},
		{
			name: "an IPv6 address written differently is unchanged",
			setup: func(f *namesilofake.Fake) publish.Hint {
				f.AddDomain("example.com")
				f.AddRecord("example.com", "home", "AAAA", "2001:0db8:0:0:0:0:0:10", 0)
				return publish.Hint{}
			},
			record: rec("home.example.com", "2001:db8::10"),
			calls:  map[string]int{info: 2, list: 1},
		},
		{
			name: "records of other names and types are left alone",
			setup: func(f *namesilofake.Fake) publish.Hint {
				f.AddDomain("example.com")
				f.AddRecord("example.com", "www", "A", "192.0.2.1", 0)
				f.AddRecord("example.com", "home", "AAAA", "2001:db8::1", 0)
				f.AddRecord("example.com", "", "A", "192.0.2.2", 0)
				return publish.Hint{}
			},
			record: home,
			calls:  map[string]int{info: 2, list: 1, add: 1},
			then: all(
				only("example.com", "home", "A", "192.0.2.10", namesilofake.DefaultTTL),
				only("example.com", "www", "A", "192.0.2.1", namesilofake.DefaultTTL),
				only("example.com", "home", "AAAA", "2001:db8::1", namesilofake.DefaultTTL),
				only("example.com", "@", "A", "192.0.2.2", namesilofake.DefaultTTL),
			),
		},
		{
			name:   "multi-level sub-domain in the parent zone",
			setup:  domains("example.com"),
			record: rec("a.b.example.com", "192.0.2.10"),
			calls:  map[string]int{info: 3, list: 1, add: 1},
			then:   only("example.com", "a.b", "A", "192.0.2.10", namesilofake.DefaultTTL),
		},
		{
			name:   "apex: created with an empty rrhost",
			setup:  domains("example.com"),
			record: rec("example.com", "192.0.2.10"),
			calls:  map[string]int{info: 1, list: 1, add: 1},
			then:   all(only("example.com", "@", "A", "192.0.2.10", namesilofake.DefaultTTL), sentParam("rrhost", "")),
		},
		{
			name: "apex: listed as the domain itself, updated",
			setup: func(f *namesilofake.Fake) publish.Hint {
				f.AddDomain("example.com")
				f.AddRecord("example.com", "@", "A", "192.0.2.1", 0)
				f.AddRecord("example.com", "www", "A", "192.0.2.1", 0)
				return publish.Hint{}
			},
			record: rec("example.com", "192.0.2.10"),
			calls:  map[string]int{info: 1, list: 1, update: 1},
			then: all(
				only("example.com", "@", "A", "192.0.2.10", namesilofake.DefaultTTL),
				only("example.com", "www", "A", "192.0.2.1", namesilofake.DefaultTTL),
				sentParam("rrhost", ""),
			),
		},
		{
			name:    "zone not found",
			setup:   domains("example.org"),
			record:  home,
			wantErr: permanent,
			errText: "no zone of home.example.com",
			calls:   map[string]int{info: 2},
		},
		{
			name:    "key not usable from this IP: permanent",
			setup:   domains("example.com"),
			faults:  []namesilofake.Fault{{Code: "113", Message: "This API account cannot be accessed from your IP"}},
			record:  home,
			wantErr: permanent,
			errText: "API error 113",
			calls:   map[string]int{info: 1},
		},
		{
			name:    "503 for a burst (NameSilo answers XML)",
			setup:   domains("example.com"),
			faults:  []namesilofake.Fault{{Status: 503, RetryAfter: "2", Body: "<namesilo><reply><code>503</code></reply></namesilo>"}},
			record:  home,
			wantErr: transient,
			errText: "503",
			retry:   2 * time.Second,
			calls:   map[string]int{info: 1},
		},
		{
			name:    "5xx on the write",
			setup:   domains("example.com"),
			faults:  []namesilofake.Fault{{Action: add, Status: 502, Body: "<html>bad gateway</html>"}},
			record:  home,
			wantErr: transient,
			errText: "dnsAddRecord: HTTP 502",
			calls:   map[string]int{info: 2, list: 1, add: 1},
		},
		{
			name:    "malformed JSON",
			setup:   domains("example.com"),
			faults:  []namesilofake.Fault{{Body: `{"reply": {"code": 300`}},
			record:  home,
			wantErr: transient,
			errText: "getDomainInfo: malformed answer",
			calls:   map[string]int{info: 1},
		},
		{
			name:    "JSON without a reply",
			setup:   domains("example.com"),
			faults:  []namesilofake.Fault{{Body: `{"request": {"operation": "getDomainInfo"}}`}},
			record:  home,
			wantErr: transient,
			errText: "malformed answer (no reply code)",
			calls:   map[string]int{info: 1},
		},
		{
			name:    "an earlier request still processing: transient",
			setup:   domains("example.com"),
			faults:  []namesilofake.Fault{{Code: "400", Message: "Existing API request is still processing"}},
			record:  home,
			wantErr: transient,
			errText: "API error 400: Existing API request is still processing",
			calls:   map[string]int{info: 1},
		},
		{
			name:   "TTL passed through on create",
			setup:  domains("example.com"),
			record: with(home, func(r *publish.Record) { r.TTL = 3600 }),
			calls:  map[string]int{info: 2, list: 1, add: 1},
			then: func(t *testing.T, f *namesilofake.Fake, res publish.Result) {
				only("example.com", "home", "A", "192.0.2.10", 3600)(t, f, res)
				if !strings.HasSuffix(res.RecordID, "/3600") {
					t.Errorf("record id %q does not carry the TTL", res.RecordID)
				}
			},
		},
		{
			name:   "a TTL change alone is applied",
			setup:  existing("192.0.2.10", 7207),
			record: with(home, func(r *publish.Record) { r.TTL = 86400 }),
			calls:  map[string]int{info: 2, list: 1, update: 1},
			then:   only("example.com", "home", "A", "192.0.2.10", 86400),
		},
		{
			name:    "a TTL NameSilo refuses is an invalid parameter",
			setup:   domains("example.com"),
			record:  with(home, func(r *publish.Record) { r.TTL = 60 }),
			wantErr: permanent,
			errText: "dnsAddRecord: API error 280: DNS modification error: TTL must be between",
			calls:   map[string]int{info: 2, list: 1, add: 1},
		},
		{
			name:  "line and extra are not sent",
			setup: domains("example.com"),
			record: with(home, func(r *publish.Record) {
				r.Line = "电信"
				r.Extra = publish.Extra{{Key: "rrdistance", Value: "5"}, {Key: "key", Value: "stolen"}}
			}),
			calls: map[string]int{info: 2, list: 1, add: 1},
			then: all(
				only("example.com", "home", "A", "192.0.2.10", namesilofake.DefaultTTL),
				sentParam("rrdistance", "<absent>"),
				sentParam("key", testKey),
			),
		},

		// With ids from the state file.
		{
			name: "hint: update by id is one call, the remembered TTL kept",
			setup: func(f *namesilofake.Fake) publish.Hint {
				f.AddDomain("example.com")
				id := f.AddRecord("example.com", "home", "A", "192.0.2.1", 3600)
				return publish.Hint{ZoneID: "example.com", ZoneName: "example.com", RecordID: id + "/3600"}
			},
			record: home,
			calls:  map[string]int{update: 1},
			then:   all(only("example.com", "home", "A", "192.0.2.10", 3600), sentParam("rrttl", "3600")),
		},
		{
			name: "hint: a configured TTL wins and is remembered",
			setup: func(f *namesilofake.Fake) publish.Hint {
				f.AddDomain("example.com")
				id := f.AddRecord("example.com", "home", "A", "192.0.2.1", 3600)
				return publish.Hint{ZoneID: "example.com", ZoneName: "example.com", RecordID: id + "/3600"}
			},
			record: with(home, func(r *publish.Record) { r.TTL = 7200 }),
			calls:  map[string]int{update: 1},
			then: func(t *testing.T, f *namesilofake.Fake, res publish.Result) {
				only("example.com", "home", "A", "192.0.2.10", 7200)(t, f, res)
				if !strings.HasSuffix(res.RecordID, "/7200") {
					t.Errorf("record id %q, want the new TTL remembered", res.RecordID)
				}
			},
		},
		{
			name: "hint: no TTL known, none configured: the default stays",
			setup: func(f *namesilofake.Fake) publish.Hint {
				f.AddDomain("example.com")
				id := f.AddRecord("example.com", "home", "A", "192.0.2.1", 0)
				return publish.Hint{ZoneID: "example.com", ZoneName: "example.com", RecordID: id}
			},
			record: home,
			calls:  map[string]int{update: 1},
			then:   all(only("example.com", "home", "A", "192.0.2.10", namesilofake.DefaultTTL), sentParam("rrttl", "<absent>")),
		},
		{
			name: "hint: apex by id",
			setup: func(f *namesilofake.Fake) publish.Hint {
				f.AddDomain("example.com")
				id := f.AddRecord("example.com", "@", "A", "192.0.2.1", 3600)
				return publish.Hint{ZoneID: "example.com", ZoneName: "example.com", RecordID: id + "/3600"}
			},
			record: rec("example.com", "192.0.2.10"),
			calls:  map[string]int{update: 1},
			then:   all(only("example.com", "@", "A", "192.0.2.10", 3600), sentParam("rrhost", "")),
		},
		{
			name: "hint: a zone no longer in the account falls back, then fails",
			setup: func(f *namesilofake.Fake) publish.Hint {
				return publish.Hint{ZoneID: "example.com", ZoneName: "example.com", RecordID: "abc123/3600"}
			},
			record:  home,
			wantErr: permanent,
			errText: "no zone of home.example.com",
			calls:   map[string]int{update: 1, info: 2},
		},
		{
			name: "hint: bad credentials stop at the first call",
			setup: func(f *namesilofake.Fake) publish.Hint {
				f.AddDomain("example.com")
				id := f.AddRecord("example.com", "home", "A", "192.0.2.1", 0)
				return publish.Hint{ZoneID: "example.com", ZoneName: "example.com", RecordID: id}
			},
			key:     "wrong-namesilo-key-fedcba9876",
			record:  home,
			wantErr: permanent,
			errText: "API error 110",
			calls:   map[string]int{update: 1},
		},
		{
			name: "hint: a transient failure is not mistaken for a stale id",
			setup: func(f *namesilofake.Fake) publish.Hint {
				f.AddDomain("example.com")
				id := f.AddRecord("example.com", "home", "A", "192.0.2.1", 0)
				return publish.Hint{ZoneID: "example.com", ZoneName: "example.com", RecordID: id}
			},
			faults:  []namesilofake.Fault{{Code: "201", Message: "Internal system error"}},
			record:  home,
			wantErr: transient,
			errText: "dnsUpdateRecord: API error 201",
			calls:   map[string]int{update: 1},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { runCase(t, namesilofake.New(testKey), tc) })
	}
}

func runCase(t *testing.T, f *namesilofake.Fake, tc providerCase) {
	t.Helper()
	// Given an account on the fake.
	srv := httptest.NewServer(f)
	defer srv.Close()
	r := tc.record
	if tc.setup != nil {
		r.Hint = tc.setup(f)
	}
	f.Fail(tc.faults...)
	key := testKey
	if tc.key != "" {
		key = tc.key
	}
	p, err := publish.New("namesilo", publish.Settings{Token: key, Endpoint: srv.URL, HTTP: srv.Client(), Log: zerolog.Nop(), Now: time.Now})
	if err != nil {
		t.Fatal(err)
	}

	// When the record is set.
	res, err := p.Set(context.Background(), r)

	// Then the outcome, the calls made and the account are as expected.
	publishtest.Expect(t, err, tc.wantErr, "namesilo", tc.errText, tc.retry, testKey, tc.key)
	if got := f.CallCounts(); !maps.Equal(got, tc.calls) {
		t.Errorf("calls %v, want %v", got, tc.calls)
	}
	for _, req := range f.Requests() {
		if req.Method != "GET" || req.Query.Get("type") != "json" || req.Query.Get("version") != "1" {
			t.Errorf("request %s %s %v: want a GET with type=json and version=1", req.Method, req.Action, req.Query)
		}
	}
	if tc.then != nil {
		tc.then(t, f, res)
	}
}

// TestStringCodes: the original's canned answers carry "code": "300" as a
// string, the live API a number; both are understood.
func TestStringCodes(t *testing.T) {
	f := namesilofake.New(testKey)
	f.StringCodes = true
	runCase(t, f, providerCase{
		setup:  existing("192.0.2.1", 3600),
		record: rec("home.example.com", "192.0.2.10"),
		calls:  map[string]int{info: 2, list: 1, update: 1},
		then:   only("example.com", "home", "A", "192.0.2.10", 3600),
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
	f := namesilofake.New(testKey)
	f.AddDomain("example.com")
	srv := httptest.NewServer(f)
	defer srv.Close()
	p, _ := namesilo.New(publish.Settings{Token: testKey, Endpoint: srv.URL + "/", HTTP: srv.Client(), Log: zerolog.Nop(), Now: time.Now})
	for _, d := range []string{"a.example.com", "b.example.com", "example.com"} {
		if _, err := p.Set(context.Background(), rec(d, "192.0.2.10")); err != nil {
			t.Fatal(err)
		}
	}
	// a.example.com and b.example.com are not zones (asked once each);
	// example.com is found once, then cached.
	if got := f.Calls(info); got != 3 {
		t.Errorf("%d getDomainInfo calls, want 3", got)
	}
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
