package alidns_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/alidns"
	"github.com/ddns-go/ddns/publish/alidns/alidnsfake"
	"github.com/ddns-go/ddns/publish/publishtest"
)

const (
	keyID     = "LTAI5tTestKeyId"
	keySecret = "TestAccessKeySecretValue0123"
)

// Short names of the actions, for call-sequence assertions.
const (
	getMain    = "GetMainDomainName"
	domains    = "DescribeDomains"
	list       = "DescribeSubDomainRecords"
	add        = "AddDomainRecord"
	update     = "UpdateDomainRecord"
	serviceTTL = 600 // the service's default TTL
)

// kit is how the tests reach the provider and its fake.
var kit = publishtest.Kit[*alidnsfake.Fake]{
	Provider: "alidns", Build: alidns.New, ID: keyID, Token: keySecret,
	New:     func() *alidnsfake.Fake { return alidnsfake.New(keyID, keySecret) },
	AddZone: func(f *alidnsfake.Fake, zone string) string { f.AddZone(zone); return zone },
}

// env is one fake account and a provider pointed at it.
type env struct {
	*publishtest.Env[*alidnsfake.Fake]
}

func newEnv(t *testing.T, zones ...string) *env { return &env{kit.Start(t, zones...)} }

// mustHold returns the one rr/typ record of zone, which must hold value.
func (e *env) mustHold(t *testing.T, zone, rr, typ, value string) alidnsfake.Record {
	t.Helper()
	return publishtest.Only(t, e.Fake.Find(zone, rr, typ), alidnsfake.Record.Held, value)
}

func TestCreateUpdateUnchanged(t *testing.T) {
	e := newEnv(t, "example.com")

	// Given no record, when published, then it is created (3 calls).
	res, err := e.Set("home.example.com", "192.0.2.10")
	if err != nil {
		t.Fatal(err)
	}
	rec := e.mustHold(t, "example.com", "home", "A", "192.0.2.10")
	e.ExpectActions(t, getMain, list, add)
	if want := (publish.Result{ZoneID: "example.com", ZoneName: "example.com", RecordID: rec.ID}); res != want {
		t.Errorf("result %+v, want %+v", res, want)
	}
	if rec.TTL != serviceTTL || rec.Line != "default" {
		t.Errorf("TTL %d line %s: the service defaults were not left to the service", rec.TTL, rec.Line)
	}

	// Given the record, when published with a new address on the same
	// provider, then the main domain is remembered and it is updated.
	e.Fake.Reset()
	if res, err = e.Set("home.example.com", "192.0.2.11"); err != nil {
		t.Fatal(err)
	}
	e.mustHold(t, "example.com", "home", "A", "192.0.2.11")
	e.ExpectActions(t, list, update)
	if res.RecordID != rec.ID || res.Unchanged {
		t.Errorf("result %+v", res)
	}

	// Given the same address, then nothing is written.
	e.Fake.Reset()
	if res, err = e.Set("home.example.com", "192.0.2.11"); err != nil {
		t.Fatal(err)
	}
	e.ExpectActions(t, list)
	if !res.Unchanged || res.RecordID != rec.ID {
		t.Errorf("result %+v, want unchanged", res)
	}

	// IPv6 is its own record.
	e.Fake.Reset()
	if _, err = e.Set("home.example.com", "2001:db8::1"); err != nil {
		t.Fatal(err)
	}
	e.mustHold(t, "example.com", "home", "AAAA", "2001:db8::1")
	e.mustHold(t, "example.com", "home", "A", "192.0.2.11")
}

func TestZoneDiscovery(t *testing.T) {
	for _, tc := range []struct {
		name         string
		zones        []string
		domain       string
		zone, rr     string
		calls        []string
		resultZoneID string
	}{
		{"apex", []string{"example.com"}, "example.com", "example.com", "@", []string{getMain, list, add}, "example.com"},
		{"sub", []string{"example.com"}, "www.example.com", "example.com", "www", []string{getMain, list, add}, "example.com"},
		{"multi-level in the main zone", []string{"example.com"}, "a.b.example.com", "example.com", "a.b",
			[]string{getMain, domains, list, add}, "example.com"},
		{"longest zone wins", []string{"example.com", "b.example.com"}, "a.b.example.com", "b.example.com", "a",
			[]string{getMain, domains, list, add}, "b.example.com"},
		{"sub-zone apex below a name", []string{"example.com", "b.example.com"}, "x.y.b.example.com", "b.example.com", "x.y",
			[]string{getMain, domains, list, add}, "b.example.com"},
		{"public suffix of two labels", []string{"example.com.cn"}, "nas.example.com.cn", "example.com.cn", "nas",
			[]string{getMain, list, add}, "example.com.cn"},
		{"explicit zone", []string{"example.com"}, "home~example.com", "example.com", "home", []string{list, add}, "example.com"},
		{"explicit apex of a sub-zone", []string{"example.com", "b.example.com"}, "@~b.example.com", "b.example.com", "@",
			[]string{list, add}, "b.example.com"},
		{"explicit with +", []string{"example.com"}, "a.b+example.com", "example.com", "a.b", []string{list, add}, "example.com"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, tc.zones...)
			res, err := e.Set(tc.domain, "192.0.2.10")
			if err != nil {
				t.Fatal(err)
			}
			e.mustHold(t, tc.zone, tc.rr, "A", "192.0.2.10")
			e.ExpectActions(t, tc.calls...)
			if res.ZoneName != tc.zone || res.ZoneID != tc.resultZoneID {
				t.Errorf("result %+v, want zone %s", res, tc.zone)
			}
		})
	}
}

// TestNoZoneListPermission: a key whose RAM policy allows only the record
// calls still publishes multi-level names the original's way, in the main
// domain, with a warning, and is not asked to list again.
func TestNoZoneListPermission(t *testing.T) {
	e := newEnv(t, "example.com", "b.example.com")
	e.Fake.Fail(alidnsfake.Forbidden(domains))
	if _, err := e.Set("a.b.example.com", "192.0.2.10"); err != nil {
		t.Fatal(err)
	}
	e.mustHold(t, "example.com", "a.b", "A", "192.0.2.10")
	e.ExpectActions(t, getMain, domains, list, add)
	e.Fake.Reset()
	if _, err := e.Set("c.d.example.com", "192.0.2.10"); err != nil {
		t.Fatal(err)
	}
	e.ExpectActions(t, getMain, list, add)
}

func TestPermissionRefused(t *testing.T) {
	e := newEnv(t, "example.com")
	e.Fake.Fail(alidnsfake.Forbidden(add))
	_, err := e.Set("home.example.com", "192.0.2.10")
	if !publish.IsPermanent(err) || !strings.Contains(err.Error(), "Forbidden.RAM") || !strings.Contains(err.Error(), "permission") {
		t.Fatalf("err %v, want a permanent permission error", err)
	}
}

func TestZoneNotFound(t *testing.T) {
	for _, tc := range []struct {
		name, domain string
		calls        []string
	}{
		// The main domain is trusted; the list call finds it missing.
		{"main domain", "home.example.org", []string{getMain, list}},
		// The zone list shows no zone for the name at all.
		{"multi-level", "a.b.example.org", []string{getMain, domains}},
		{"explicit", "home~other.example.com", []string{list}},
		// The public suffix com.cn is never asked about.
		{"two-label public suffix", "a.b.example.com.cn", []string{getMain, domains}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, "example.com")
			_, err := e.Set(tc.domain, "192.0.2.10")
			if err == nil || !publish.IsPermanent(err) {
				t.Fatalf("err %v, want a permanent error", err)
			}
			if !strings.Contains(err.Error(), "not found in this account") && !strings.Contains(err.Error(), "no zone of") {
				t.Errorf("error does not say the zone is missing: %v", err)
			}
			e.ExpectActions(t, tc.calls...)
		})
	}
}

func TestBadCredentials(t *testing.T) {
	kit.ExpectBadCredentials(t, "", publishtest.ACS3BadCredentials(keyID, keySecret)...)
}

func TestTransientFaults(t *testing.T) {
	kit.ExpectFaults(t, getMain, append(publishtest.ACS3Faults(),
		publishtest.FaultCase{Name: "throttled with 400", Fault: alidnsfake.Fault{Status: 400, Code: "Throttling.User", Message: "Request was denied due to user flow control."}, Text: "Throttling.User"},
		publishtest.FaultCase{Name: "malformed JSON", Fault: alidnsfake.Fault{Status: 200, Body: `{"DomainName": "example.com", "RR": `}, Text: "malformed answer"},
		publishtest.FaultCase{Name: "JSON without the fields", Fault: alidnsfake.Fault{Status: 200, Body: `{"RequestId": "x"}`}, Text: "no DomainName"})...)
}

// TestFaultAtEachStep answers each call of the flow in turn with a broken
// 2xx body: every one is an error, none a panic or a success.
func TestFaultAtEachStep(t *testing.T) {
	kit.ExpectBrokenSteps(t, []string{getMain, list, add}, []string{"", "{", "[]", "null", `{"DomainRecords": {"Record": {}}}`,
		`{"DomainRecords": {"Record": [{"RecordId": {}}]}}`, `{"RecordId": ""}`}, nil)
}

func TestHint(t *testing.T) {
	e := newEnv(t, "example.com")
	first, err := e.Set("home.example.com", "192.0.2.10")
	if err != nil {
		t.Fatal(err)
	}
	hint := func(r *publish.Record) {
		r.Hint = publish.Hint{ZoneID: first.ZoneID, ZoneName: first.ZoneName, RecordID: first.RecordID}
	}

	t.Run("update by id is one call", func(t *testing.T) {
		e.Fake.Reset()
		res, err := e.Set("home.example.com", "192.0.2.11", hint)
		if err != nil {
			t.Fatal(err)
		}
		e.ExpectActions(t, update)
		e.mustHold(t, "example.com", "home", "A", "192.0.2.11")
		if res.RecordID != first.RecordID {
			t.Errorf("result %+v", res)
		}
	})
	t.Run("address already set elsewhere", func(t *testing.T) {
		// The API refuses an update that changes nothing; the full flow
		// then finds the record current.
		e.Fake.Reset()
		res, err := e.Set("home.example.com", "192.0.2.11", hint)
		if err != nil {
			t.Fatal(err)
		}
		e.ExpectActions(t, update, list) // the zone is remembered by this provider
		if !res.Unchanged {
			t.Errorf("result %+v, want unchanged", res)
		}
	})
	t.Run("stale id falls back to the full flow", func(t *testing.T) {
		e.Fake.DeleteRecord(first.RecordID)
		e.Fake.Reset()
		res, err := e.Set("home.example.com", "192.0.2.12", hint)
		if err != nil {
			t.Fatal(err)
		}
		e.ExpectActions(t, update, list, add)
		rec := e.mustHold(t, "example.com", "home", "A", "192.0.2.12")
		if res.RecordID != rec.ID || rec.ID == first.RecordID {
			t.Errorf("result %+v, record %+v", res, rec)
		}
	})
	t.Run("stale id in a fresh process", func(t *testing.T) {
		e.P = kit.On(t, e.Account, keyID, keySecret)
		e.Fake.Reset()
		if _, err := e.Set("home.example.com", "192.0.2.13", hint); err != nil {
			t.Fatal(err)
		}
		e.ExpectActions(t, update, getMain, list, update)
		e.mustHold(t, "example.com", "home", "A", "192.0.2.13")
	})
	t.Run("bad credentials are not taken for a stale id", func(t *testing.T) {
		e.Fake.Reset()
		e.P = kit.On(t, e.Account, keyID, "WrongSecretValue4567")
		_, err := e.Set("home.example.com", "192.0.2.13", func(r *publish.Record) { r.Hint = publish.Hint{ZoneName: "example.com", RecordID: "1"} })
		if !publish.IsPermanent(err) || errors.Is(err, publish.ErrNotFound) {
			t.Fatalf("err %v, want permanent, not ErrNotFound", err)
		}
		e.ExpectActions(t, update)
	})
}

func TestTTLAndLine(t *testing.T) {
	e := newEnv(t, "example.com")
	ttlLine := func(ttl int, line string) func(*publish.Record) {
		return func(r *publish.Record) { r.TTL, r.Line = ttl, line }
	}

	// Create with TTL and a Chinese line name: sent as TTL and the line code.
	if _, err := e.Set("home.example.com", "192.0.2.10", ttlLine(300, "电信")); err != nil {
		t.Fatal(err)
	}
	rec := e.mustHold(t, "example.com", "home", "A", "192.0.2.10")
	if rec.TTL != 300 || rec.Line != "telecom" {
		t.Errorf("record %+v, want TTL 300 on telecom", rec)
	}
	calls := e.Fake.Requests()
	if p := alidnsfake.Params(calls[1]); p.Get("Line") != "telecom" {
		t.Errorf("list filter %v, want Line=telecom", p)
	}

	// Only the TTL differs: that is a change.
	e.Fake.Reset()
	if _, err := e.Set("home.example.com", "192.0.2.10", ttlLine(120, "telecom")); err != nil {
		t.Fatal(err)
	}
	e.ExpectActions(t, list, update)
	if rec = e.mustHold(t, "example.com", "home", "A", "192.0.2.10"); rec.TTL != 120 {
		t.Errorf("TTL %d, want 120", rec.TTL)
	}

	// Without a configured line, an update keeps the record's own line,
	// and without a configured TTL none is sent.
	e.Fake.Reset()
	if _, err := e.Set("home.example.com", "192.0.2.11"); err != nil {
		t.Fatal(err)
	}
	if rec = e.mustHold(t, "example.com", "home", "A", "192.0.2.11"); rec.Line != "telecom" {
		t.Errorf("line %s, want the record's own telecom", rec.Line)
	}
	if p := alidnsfake.Params(e.Fake.Requests()[1]); p.Get("Line") != "telecom" || p.Has("TTL") {
		t.Errorf("update params %v", p)
	}
}

func TestMultipleRecordsUpdateTheFirst(t *testing.T) {
	e := newEnv(t, "example.com")
	first := e.Fake.AddRecord("example.com", "home", "A", "192.0.2.1", "default", 600)
	e.Fake.AddRecord("example.com", "home", "A", "192.0.2.2", "default", 600)
	res, err := e.Set("home.example.com", "192.0.2.10")
	if err != nil {
		t.Fatal(err)
	}
	if res.RecordID != first {
		t.Errorf("updated %s, want the first record %s", res.RecordID, first)
	}
	recs := e.Fake.Find("example.com", "home", "A")
	if len(recs) != 2 || recs[0].Value != "192.0.2.10" || recs[1].Value != "192.0.2.2" {
		t.Errorf("records %+v", recs)
	}
}

func TestExtra(t *testing.T) {
	e := newEnv(t, "example.com")
	lang := func(r *publish.Record) {
		r.Extra = publish.Extra{{Key: "Lang", Value: "en"}, {Key: "Priority", Value: true}}
	}
	if _, err := e.Set("home.example.com", "192.0.2.10", lang); err != nil {
		t.Fatal(err)
	}
	calls := e.Fake.Requests()
	if l, a := alidnsfake.Params(calls[1]), alidnsfake.Params(calls[2]); l.Get("Lang") != "en" || l.Has("Priority") || a.Get("Lang") != "en" || a.Get("Priority") != "True" {
		t.Errorf("list %v, create %v: Lang filters the list, every extra goes to create", l, a)
	}

	for _, key := range []string{"TTL", "Line", "RR", "Value", "Type", "DomainName", "RecordId"} {
		e.Fake.Reset()
		_, err := e.Set("home.example.com", "192.0.2.11", func(r *publish.Record) { r.Extra = publish.Extra{{Key: key, Value: "1"}} })
		if !publish.IsPermanent(err) || !strings.Contains(err.Error(), key) {
			t.Errorf("extra %s: %v, want a permanent error naming it", key, err)
		}
		e.ExpectActions(t)
	}
}

func TestClockSkewIsTransient(t *testing.T) {
	e := newEnv(t, "example.com")
	e.Fake.Now = func() time.Time { return time.Now().Add(time.Hour) }
	_, err := e.Set("home.example.com", "192.0.2.10")
	if err == nil || publish.IsPermanent(err) || !strings.Contains(err.Error(), "InvalidTimeStamp.Expired") {
		t.Fatalf("err %v, want a transient InvalidTimeStamp.Expired", err)
	}
}

func TestEndpoint(t *testing.T) {
	e := newEnv(t, "example.com")
	publishtest.ExpectSlash(t, alidns.New, e.Settings(keyID, keySecret, nil), publishtest.Rec("home.example.com", "192.0.2.10"))
}

func TestConstruction(t *testing.T) {
	publishtest.ExpectNew(t, publishtest.Constructor{Build: alidns.New,
		NoID: "alidns: id (AccessKey ID) must be configured", NoToken: "alidns: token (AccessKey Secret) must be configured", Names: []string{"alidns", "aliyun"}},
		publishtest.Construction{Settings: publish.Settings{ID: "x", Token: "y", Endpoint: "alidns.aliyuncs.com"}, Err: "is not an http(s) URL"},
		publishtest.Construction{Settings: publish.Settings{ID: "x", Token: "y", Endpoint: "ftp://alidns.aliyuncs.com"}, Err: "is not an http(s) URL"})
}

func TestLineCode(t *testing.T) {
	for in, want := range map[string]string{"默认": "default", "电信": "telecom", "联通": "unicom", "移动": "mobile", "境外": "oversea",
		"telecom": "telecom", "cn_mobile_beijing": "cn_mobile_beijing", "": ""} {
		if got := alidns.LineCode(in); got != want {
			t.Errorf("LineCode(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestConformance runs the provider test kit's suite.
func TestConformance(t *testing.T) { publishtest.Run(t, alidnsfake.Service) }
