package dnscom_test

import (
	"bytes"
	"context"
	"errors"
	"net/netip"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/dnscom"
	"github.com/ddns-go/ddns/publish/dnscom/dnscomfake"
	"github.com/ddns-go/ddns/publish/publishtest"
)

const (
	apiKey = "testApiKey"
	secret = "testApiSecret-9f8e7d"
)

// newFake starts a fake holding zones.
func newFake(t *testing.T, zones ...string) *dnscomfake.Server {
	t.Helper()
	f := dnscomfake.New(apiKey, secret)
	t.Cleanup(f.Close)
	for _, z := range zones {
		f.AddZone(z)
	}
	return f
}

// settings talks to f with the right credentials and the real clock.
func settings(f *dnscomfake.Server) publish.Settings {
	return publish.Settings{ID: apiKey, Token: secret, Endpoint: f.URL, HTTP: f.Client(), Now: time.Now, Log: zerolog.Nop()}
}

func provider(t *testing.T, s publish.Settings) publish.Provider {
	t.Helper()
	return publishtest.Provider(t, dnscom.New, s)
}

var rec = publishtest.Rec

// The actions of the API, for call counts.
const (
	getsingle = "domain/getsingle"
	list      = "record/list"
	create    = "record/create"
	modify    = "record/modify"
)

// calls is the expected number of requests per action.
type calls map[string]int

// check compares the requests f received, by action, with c: no other
// request was made.
func (c calls) check(t *testing.T, f *dnscomfake.Server) {
	t.Helper()
	publishtest.ExpectCalls(t, f.CallCounts(), c)
}

func TestNew(t *testing.T) {
	publishtest.ExpectNew(t, publishtest.Constructor{Build: dnscom.New,
		NoID: "dnscom: id (API key) must be configured", NoToken: "dnscom: token (API secret) must be configured", Names: []string{"dnscom", "51dns", "dns_com", "DNSCOM"}},
		publishtest.Construction{Settings: publish.Settings{ID: "k", Token: "s", Endpoint: "http://127.0.0.1:1/"}},
		publishtest.Construction{Settings: publish.Settings{ID: "k", Token: "s", Endpoint: "www.51dns.com"}, Err: "must start with http"})
}

// TestFlow runs the publishing cases against the fake: what ends up in the
// zone, and which calls it took.
func TestFlow(t *testing.T) {
	type existing struct {
		zone string
		rec  dnscomfake.Record
	}
	for _, tc := range []struct {
		name      string
		zones     []string
		records   []existing
		set       publish.Record
		zone      string // where the record must end up
		host      string
		calls     calls
		unchanged bool
		check     func(t *testing.T, f *dnscomfake.Server)
	}{
		{
			name: "create", zones: []string{"example.com"},
			set: rec("www.example.com", "192.0.2.1"), zone: "example.com", host: "www",
			calls: calls{getsingle: 2, list: 1, create: 1},
			check: func(t *testing.T, f *dnscomfake.Server) {
				p := f.Last("record/create")
				if p.Has("TTL") || p.Has("viewID") || p.Get("remark") != "Managed by [DDNS](https://ddns.newfuture.cc)" {
					t.Errorf("create params %v: want no TTL, no viewID, the default remark", p)
				}
			},
		},
		{
			name: "create AAAA", zones: []string{"example.com"},
			set: rec("www.example.com", "2001:db8::1"), zone: "example.com", host: "www",
			calls: calls{getsingle: 2, list: 1, create: 1},
		},
		{
			name: "update", zones: []string{"example.com"},
			records: []existing{{"example.com", dnscomfake.Record{Host: "www", Type: "A", Value: "198.51.100.7", TTL: 600, ViewID: "1"}}},
			set:     rec("www.example.com", "192.0.2.1"), zone: "example.com", host: "www",
			calls: calls{getsingle: 2, list: 1, modify: 1},
			check: func(t *testing.T, f *dnscomfake.Server) {
				if p := f.Last("record/modify"); p.Has("newTTL") {
					t.Errorf("modify params %v: TTL sent though not configured", p)
				}
			},
		},
		{
			name: "unchanged", zones: []string{"example.com"},
			records: []existing{{"example.com", dnscomfake.Record{Host: "www", Type: "A", Value: "192.0.2.1", TTL: 600, ViewID: "1"}}},
			set:     rec("www.example.com", "192.0.2.1"), zone: "example.com", host: "www",
			calls: calls{getsingle: 2, list: 1}, unchanged: true,
		},
		{
			name: "other types and hosts are left alone", zones: []string{"example.com"},
			records: []existing{
				{"example.com", dnscomfake.Record{Host: "www", Type: "AAAA", Value: "2001:db8::9", TTL: 600, ViewID: "1"}},
				{"example.com", dnscomfake.Record{Host: "www2", Type: "A", Value: "198.51.100.7", TTL: 600, ViewID: "1"}},
			},
			set: rec("www.example.com", "192.0.2.1"), zone: "example.com", host: "www",
			calls: calls{getsingle: 2, list: 1, create: 1},
		},
		{
			name: "multi-level sub-domain", zones: []string{"example.com"},
			set: rec("a.b.example.com", "192.0.2.1"), zone: "example.com", host: "a.b",
			calls: calls{getsingle: 3, list: 1, create: 1},
		},
		{
			name: "longest zone wins", zones: []string{"example.com", "b.example.com"},
			set: rec("a.b.example.com", "192.0.2.1"), zone: "b.example.com", host: "a",
			calls: calls{getsingle: 2, list: 1, create: 1},
		},
		{
			name: "apex", zones: []string{"example.com"},
			set: rec("example.com", "192.0.2.1"), zone: "example.com", host: "@",
			calls: calls{getsingle: 1, list: 1, create: 1},
		},
		{
			name: "explicit zone", zones: []string{"b.example.com", "example.com"},
			set: rec("a.b~example.com", "192.0.2.1"), zone: "example.com", host: "a.b",
			calls: calls{getsingle: 1, list: 1, create: 1},
		},
		{
			name: "TTL and line on create", zones: []string{"example.com"},
			set: func() publish.Record {
				r := rec("www.example.com", "192.0.2.1")
				r.TTL, r.Line = 300, "2"
				return r
			}(),
			zone: "example.com", host: "www",
			calls: calls{getsingle: 2, list: 1, create: 1},
			check: func(t *testing.T, f *dnscomfake.Server) {
				r, _ := f.Find("example.com", "www", "A")
				if r.TTL != 300 || r.ViewID != "2" {
					t.Errorf("record %+v: want TTL 300 on line 2", r)
				}
			},
		},
		{
			name: "TTL on update", zones: []string{"example.com"},
			records: []existing{{"example.com", dnscomfake.Record{Host: "www", Type: "A", Value: "198.51.100.7", TTL: 600, ViewID: "1"}}},
			set: func() publish.Record {
				r := rec("www.example.com", "192.0.2.1")
				r.TTL = 120
				return r
			}(),
			zone: "example.com", host: "www",
			calls: calls{getsingle: 2, list: 1, modify: 1},
			check: func(t *testing.T, f *dnscomfake.Server) {
				if r, _ := f.Find("example.com", "www", "A"); r.TTL != 120 {
					t.Errorf("record %+v: want TTL 120", r)
				}
			},
		},
		{
			name: "only the TTL differs", zones: []string{"example.com"},
			records: []existing{{"example.com", dnscomfake.Record{Host: "www", Type: "A", Value: "192.0.2.1", TTL: 600, ViewID: "1"}}},
			set: func() publish.Record {
				r := rec("www.example.com", "192.0.2.1")
				r.TTL = 120
				return r
			}(),
			zone: "example.com", host: "www",
			calls: calls{getsingle: 2, list: 1, modify: 1},
		},
		{
			name: "a record on another line is not this one", zones: []string{"example.com"},
			records: []existing{{"example.com", dnscomfake.Record{Host: "www", Type: "A", Value: "198.51.100.7", TTL: 600, ViewID: "1"}}},
			set: func() publish.Record {
				r := rec("www.example.com", "192.0.2.1")
				r.Line = "3"
				return r
			}(),
			zone: "example.com", host: "www",
			calls: calls{getsingle: 2, list: 1, create: 1},
			check: func(t *testing.T, f *dnscomfake.Server) {
				rs := f.Records("example.com")
				if len(rs) != 2 || rs[0].Value != "198.51.100.7" || rs[1].ViewID != "3" {
					t.Errorf("records %+v: want the line-1 record kept and a line-3 one added", rs)
				}
			},
		},
		{
			name: "several matches: the first is updated", zones: []string{"example.com"},
			records: []existing{
				{"example.com", dnscomfake.Record{Host: "www", Type: "A", Value: "198.51.100.7", TTL: 600, ViewID: "1"}},
				{"example.com", dnscomfake.Record{Host: "www", Type: "A", Value: "198.51.100.8", TTL: 600, ViewID: "1"}},
			},
			set: rec("www.example.com", "192.0.2.1"), zone: "example.com", host: "www",
			calls: calls{getsingle: 2, list: 1, modify: 1},
			check: func(t *testing.T, f *dnscomfake.Server) {
				rs := f.Records("example.com")
				if rs[0].Value != "192.0.2.1" || rs[1].Value != "198.51.100.8" {
					t.Errorf("records %+v", rs)
				}
			},
		},
		{
			name: "extra goes into create, the user's remark wins", zones: []string{"example.com"},
			set: func() publish.Record {
				r := rec("www.example.com", "192.0.2.1")
				r.Extra = publish.Extra{{Key: "remark", Value: "home"}, {Key: "weight", Value: true}}
				return r
			}(),
			zone: "example.com", host: "www",
			calls: calls{getsingle: 2, list: 1, create: 1},
			check: func(t *testing.T, f *dnscomfake.Server) {
				p := f.Last("record/create")
				if p.Get("remark") != "home" || p.Get("weight") != "True" {
					t.Errorf("create params %v", p)
				}
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, tc.zones...)
			for _, e := range tc.records {
				f.AddRecord(e.zone, e.rec)
			}
			res, err := provider(t, settings(f)).Set(context.Background(), tc.set)
			if err != nil {
				t.Fatal(err)
			}
			if !holds(f, tc.zone, tc.host, tc.set.Type, tc.set.Addr.String()) {
				t.Fatalf("zone %s holds %+v, want %s %s", tc.zone, f.Records(tc.zone), tc.host, tc.set.Addr)
			}
			if res.Unchanged != tc.unchanged || res.ZoneName != tc.zone || res.ZoneID == "" || res.RecordID == "" {
				t.Errorf("result %+v", res)
			}
			tc.calls.check(t, f)
			if tc.check != nil {
				tc.check(t, f)
			}
		})
	}
}

// holds reports whether zone has a record host/typ with value.
func holds(f *dnscomfake.Server, zone, host, typ, value string) bool {
	for _, r := range f.Records(zone) {
		if r.Host == host && r.Type == typ && r.Value == value {
			return true
		}
	}
	return false
}

// TestErrors checks the class of each failure, that it names the
// provider, leaks no secret, and took no more requests than stated
// (nothing is retried inside the provider).
func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		name       string
		zones      []string
		settings   func(publish.Settings) publish.Settings
		fault      *dnscomfake.Fault
		set        publish.Record
		permanent  bool
		retryAfter time.Duration
		requests   int
		text       string
	}{
		{name: "zone not found", set: rec("www.example.com", "192.0.2.1"), permanent: true, requests: 2, text: "no zone of www.example.com"},
		{name: "explicit zone not found", set: rec("www~example.com", "192.0.2.1"), permanent: true, requests: 1, text: "zone example.com not found"},
		{name: "bad secret", zones: []string{"example.com"}, settings: func(s publish.Settings) publish.Settings { s.Token = "wrong-secret"; return s },
			set: rec("www.example.com", "192.0.2.1"), permanent: true, requests: 1, text: "API error 2: hash校验失败"},
		{name: "bad api key", zones: []string{"example.com"}, settings: func(s publish.Settings) publish.Settings { s.ID = "otherKey"; return s },
			set: rec("www.example.com", "192.0.2.1"), permanent: true, requests: 1, text: "apiKey错误"},
		{name: "clock far off", zones: []string{"example.com"},
			settings: func(s publish.Settings) publish.Settings {
				s.Now = func() time.Time { return time.Now().Add(time.Hour) }
				return s
			},
			set: rec("www.example.com", "192.0.2.1"), permanent: true, requests: 1, text: "timestamp"},
		{name: "429 with Retry-After", zones: []string{"example.com"}, fault: &dnscomfake.Fault{Status: 429, RetryAfter: "7"},
			set: rec("www.example.com", "192.0.2.1"), retryAfter: 7 * time.Second, requests: 1, text: "429"},
		{name: "5xx", zones: []string{"example.com"}, fault: &dnscomfake.Fault{Status: 503},
			set: rec("www.example.com", "192.0.2.1"), requests: 1, text: "503"},
		{name: "403 from a gateway", zones: []string{"example.com"}, fault: &dnscomfake.Fault{Status: 403},
			set: rec("www.example.com", "192.0.2.1"), permanent: true, requests: 1, text: "403"},
		{name: "malformed JSON", zones: []string{"example.com"}, fault: &dnscomfake.Fault{Body: `{"code": 0, "data": {`},
			set: rec("www.example.com", "192.0.2.1"), requests: 1, text: "malformed answer"},
		{name: "HTML page", zones: []string{"example.com"}, fault: &dnscomfake.Fault{Body: "<html><body>portal</body></html>"},
			set: rec("www.example.com", "192.0.2.1"), requests: 1, text: "not a JSON object"},
		{name: "data of the wrong shape", zones: []string{"example.com"}, fault: &dnscomfake.Fault{Body: `{"code": 0, "data": 5}`},
			set: rec("www.example.com", "192.0.2.1"), requests: 1, text: "malformed data"},
		{name: "service busy", zones: []string{"example.com"}, fault: &dnscomfake.Fault{Body: `{"code": 9, "message": "操作过于频繁，请稍后再试"}`},
			set: rec("www.example.com", "192.0.2.1"), requests: 1, text: "API error 9"},
		{name: "extra clashes with a parameter", zones: []string{"example.com"},
			set: func() publish.Record {
				r := rec("www.example.com", "192.0.2.1")
				r.Extra = publish.Extra{{Key: "TTL", Value: "60"}}
				return r
			}(),
			permanent: true, requests: 3, text: `extra parameter "TTL"`},
		{name: "refused value", zones: []string{"example.com"},
			set:       publish.Record{Domain: "www.example.com", Type: "A", Addr: netip.MustParseAddr("2001:db8::1")},
			permanent: true, requests: 4, text: "API error 3: 非法参数"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, tc.zones...)
			s := settings(f)
			if tc.settings != nil {
				s = tc.settings(s)
			}
			if tc.fault != nil {
				f.Fail(*tc.fault)
			}
			_, err := provider(t, s).Set(context.Background(), tc.set)
			publishtest.Expect(t, err, publishtest.Want(tc.text, tc.permanent), "dnscom", tc.text, tc.retryAfter, secret, "wrong-secret")
			if f.Calls("") != tc.requests {
				t.Errorf("%d requests, want %d", f.Calls(""), tc.requests)
			}
		})
	}
}

// TestStateHints counts the calls of a first run, of an address change
// with the ids a state file keeps (one call), and of a change whose
// remembered record was deleted meanwhile (the full flow again).
func TestStateHints(t *testing.T) {
	f := newFake(t, "example.com")
	ctx := context.Background()

	res, err := provider(t, settings(f)).Set(ctx, rec("home.example.com", "192.0.2.10"))
	if err != nil {
		t.Fatal(err)
	}
	calls{getsingle: 2, list: 1, create: 1}.check(t, f)

	// Next run, new process: only what the state file remembers.
	f.Reset()
	r := rec("home.example.com", "192.0.2.11")
	r.Hint = publish.Hint{ZoneID: res.ZoneID, ZoneName: res.ZoneName, RecordID: res.RecordID}
	res2, err := provider(t, settings(f)).Set(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	calls{modify: 1}.check(t, f)
	if got, _ := f.Find("example.com", "home", "A"); got.Value != "192.0.2.11" {
		t.Errorf("record %+v", got)
	}
	if res2 != res {
		t.Errorf("result %+v, want %+v", res2, res)
	}

	// The record was deleted in the control panel: the id is stale.
	f.DeleteRecord("example.com", res.RecordID)
	f.Reset()
	r = rec("home.example.com", "192.0.2.12")
	r.Hint = publish.Hint{ZoneID: res.ZoneID, ZoneName: res.ZoneName, RecordID: res.RecordID}
	res3, err := provider(t, settings(f)).Set(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	calls{getsingle: 2, list: 1, create: 1, modify: 1}.check(t, f)
	if got, _ := f.Find("example.com", "home", "A"); got.Value != "192.0.2.12" || res3.RecordID == res.RecordID {
		t.Errorf("record %+v, result %+v", got, res3)
	}

	// A stale hint with bad credentials fails at once, without the full flow.
	f.Reset()
	s := settings(f)
	s.Token = "wrong-secret"
	r.Hint = publish.Hint{ZoneID: res3.ZoneID, ZoneName: res3.ZoneName, RecordID: res3.RecordID}
	if _, err := provider(t, s).Set(ctx, r); !publish.IsPermanent(err) {
		t.Errorf("%v: want permanent", err)
	}
	calls{modify: 1}.check(t, f)
}

// TestZoneCache: one provider serves every domain of a configuration; a
// zone found once is not asked for again.
func TestZoneCache(t *testing.T) {
	f := newFake(t, "example.com")
	p := provider(t, settings(f))
	for _, r := range []publish.Record{rec("example.com", "192.0.2.1"), rec("example.com", "2001:db8::1")} {
		if _, err := p.Set(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
	calls{getsingle: 1, list: 2, create: 2}.check(t, f)
}

// TestDebugLogHidesSignature: requests are logged at debug level, with the
// hash masked; the secret never appears.
func TestDebugLogHidesSignature(t *testing.T) {
	f := newFake(t, "example.com")
	var buf bytes.Buffer
	s := settings(f)
	s.Log = zerolog.New(&buf).Level(zerolog.DebugLevel)
	if _, err := provider(t, s).Set(context.Background(), rec("www.example.com", "192.0.2.1")); err != nil {
		t.Fatal(err)
	}
	log := buf.String()
	if !strings.Contains(log, "hash=***") || !strings.Contains(log, "record/create") {
		t.Errorf("log lacks the requests:\n%s", log)
	}
	if regexp.MustCompile(`hash=[0-9a-f]{32}`).MatchString(log) || strings.Contains(log, secret) {
		t.Errorf("log leaks the signature or secret:\n%s", log)
	}
}

func TestAPIErrorIsMatchable(t *testing.T) {
	f := newFake(t, "example.com")
	s := settings(f)
	s.Token = "wrong-secret"
	_, err := provider(t, s).Set(context.Background(), rec("www.example.com", "192.0.2.1"))
	var ae *dnscom.APIError
	if !errors.As(err, &ae) || ae.Code != "2" || ae.Action != "domain/getsingle" {
		t.Errorf("%v: want an *APIError with code 2", err)
	}
}

// TestZoneAnswerForAnotherName: were the service to answer a lookup of
// www.example.com with the zone example.com, www.example.com must not be
// taken for a zone (its record would land at the apex).
func TestZoneAnswerForAnotherName(t *testing.T) {
	f := newFake(t, "example.com")
	f.Fail(dnscomfake.Fault{Body: `{"code": 0, "message": "success", "data": {"domainID": 1001, "domains": "example.com"}}`})
	if _, err := provider(t, settings(f)).Set(context.Background(), rec("www.example.com", "192.0.2.1")); err != nil {
		t.Fatal(err)
	}
	if !holds(f, "example.com", "www", "A", "192.0.2.1") || holds(f, "example.com", "@", "A", "192.0.2.1") {
		t.Errorf("records %+v, want www only", f.Records("example.com"))
	}
	calls{getsingle: 2, list: 1, create: 1}.check(t, f)
}

// TestConformance runs the provider test kit's suite.
func TestConformance(t *testing.T) { publishtest.Run(t, dnscomfake.Service) }
