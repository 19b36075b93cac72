package aliesa_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/aliesa"
	"github.com/ddns-go/ddns/publish/aliesa/aliesafake"
	"github.com/ddns-go/ddns/publish/publishtest"
)

const (
	keyID     = "LTAI5tEsaTestKeyId"
	keySecret = "EsaTestAccessKeySecret0123"
)

// Short names of the actions, for call-sequence assertions.
const (
	sites  = "ListSites"
	list   = "ListRecords"
	create = "CreateRecord"
	update = "UpdateRecord"
)

// kit is how the tests reach the provider and its fake.
var kit = publishtest.Kit[*aliesafake.Fake]{
	Provider: "aliesa", Build: aliesa.New, ID: keyID, Token: keySecret,
	New:     func() *aliesafake.Fake { return aliesafake.New(keyID, keySecret) },
	AddZone: (*aliesafake.Fake).AddSite,
}

// env is one fake account (its sites' ids in Zones) and a provider
// pointed at it.
type env struct {
	*publishtest.Env[*aliesafake.Fake]
}

func newEnv(t *testing.T, sites ...string) *env { return &env{kit.Start(t, sites...)} }

// mustHold returns the one record called name holding value.
func (e *env) mustHold(t *testing.T, name, value string) aliesafake.Record {
	t.Helper()
	for _, r := range e.Fake.Find(name) {
		if r.Value == value {
			return r
		}
	}
	t.Fatalf("no record %s with %s in %+v", name, value, e.Fake.Find(name))
	return aliesafake.Record{}
}

// lastBody is the raw body of the last request.
func (e *env) lastBody() string {
	calls := e.Fake.Requests()
	return string(calls[len(calls)-1].Body)
}

func withTTL(ttl int) func(*publish.Record) { return func(r *publish.Record) { r.TTL = ttl } }

func withExtra(kv ...publish.KV) func(*publish.Record) {
	return func(r *publish.Record) { r.Extra = kv }
}

func withHint(res publish.Result) func(*publish.Record) {
	return func(r *publish.Record) {
		r.Hint = publish.Hint{ZoneID: res.ZoneID, ZoneName: res.ZoneName, RecordID: res.RecordID}
	}
}

func TestCreateUpdateUnchanged(t *testing.T) {
	e := newEnv(t, "example.com")

	// Given no record, when published, then the site is found (longest
	// candidate first), the record listed and created with the
	// original's defaults.
	res, err := e.Set("home.example.com", "192.0.2.10")
	if err != nil {
		t.Fatal(err)
	}
	e.ExpectActions(t, sites, sites, list, create)
	rec := e.mustHold(t, "home.example.com", "192.0.2.10")
	if rec.Type != "A/AAAA" || rec.TTL != 1 || !rec.Proxied || rec.BizName != "web" || !strings.HasPrefix(rec.Comment, "Managed by DDNS 20") {
		t.Errorf("record %+v: want A/AAAA, TTL 1, proxied, web, the DDNS comment", rec)
	}
	if want := (publish.Result{ZoneID: e.Zones["example.com"], ZoneName: "example.com", RecordID: rec.ID}); res != want {
		t.Errorf("result %+v, want %+v", res, want)
	}

	// Given the record, when published with a new address by the same
	// provider, then the site is remembered and the record updated; it
	// stays proxied.
	e.Fake.Reset()
	if res, err = e.Set("home.example.com", "192.0.2.11"); err != nil {
		t.Fatal(err)
	}
	e.ExpectActions(t, list, update)
	if rec = e.mustHold(t, "home.example.com", "192.0.2.11"); !rec.Proxied || res.RecordID != rec.ID || res.Unchanged {
		t.Errorf("record %+v, result %+v", rec, res)
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
}

// TestBothFamilies: ESA lists an A and an AAAA record of one name under
// the one type A/AAAA; each family updates only its own record.
func TestBothFamilies(t *testing.T) {
	e := newEnv(t, "example.com")
	if _, err := e.Set("home.example.com", "192.0.2.10"); err != nil {
		t.Fatal(err)
	}
	e.Fake.Reset()
	if _, err := e.Set("home.example.com", "2001:db8::10"); err != nil {
		t.Fatal(err)
	}
	e.ExpectActions(t, list, create) // the A record is not taken for the AAAA one
	if _, err := e.Set("home.example.com", "2001:db8::11"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Set("home.example.com", "192.0.2.11"); err != nil {
		t.Fatal(err)
	}
	recs := e.Fake.Find("home.example.com")
	if len(recs) != 2 || recs[0].Value != "192.0.2.11" || recs[1].Value != "2001:db8::11" {
		t.Errorf("records %+v, want one A and one AAAA, each updated", recs)
	}
}

func TestZoneDiscovery(t *testing.T) {
	for _, tc := range []struct {
		name       string
		sites      []string
		domain     string
		site, fqdn string
		calls      []string
	}{
		{"apex", []string{"example.com"}, "example.com", "example.com", "example.com", []string{sites, list, create}},
		{"sub", []string{"example.com"}, "www.example.com", "example.com", "www.example.com", []string{sites, sites, list, create}},
		{"multi-level", []string{"example.com"}, "a.b.example.com", "example.com", "a.b.example.com", []string{sites, sites, sites, list, create}},
		{"longest site wins", []string{"example.com", "b.example.com"}, "a.b.example.com", "b.example.com", "a.b.example.com", []string{sites, sites, list, create}},
		{"explicit site", []string{"example.com", "b.example.com"}, "a.b~example.com", "example.com", "a.b.example.com", []string{sites, list, create}},
		{"explicit with +", []string{"example.com"}, "home+example.com", "example.com", "home.example.com", []string{sites, list, create}},
		{"explicit apex", []string{"example.com"}, "@~example.com", "example.com", "example.com", []string{sites, list, create}},
		{"explicit empty sub", []string{"example.com"}, "~example.com", "example.com", "example.com", []string{sites, list, create}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, tc.sites...)
			res, err := e.Set(tc.domain, "192.0.2.10")
			if err != nil {
				t.Fatal(err)
			}
			e.ExpectActions(t, tc.calls...)
			rec := e.mustHold(t, tc.fqdn, "192.0.2.10")
			if rec.SiteID != e.Zones[tc.site] || res.ZoneID != rec.SiteID || res.ZoneName != tc.site {
				t.Errorf("record %+v, result %+v: want site %s (%s)", rec, res, tc.site, e.Zones[tc.site])
			}
		})
	}
}

func TestZoneNotFound(t *testing.T) {
	t.Run("no such site", func(t *testing.T) {
		e := newEnv(t, "example.com")
		_, err := e.Set("home.example.org", "192.0.2.10")
		if !publish.IsPermanent(err) || !strings.HasPrefix(err.Error(), "aliesa: ") || !strings.Contains(err.Error(), "no zone of home.example.org") {
			t.Fatalf("err %v, want a permanent aliesa: error saying the zone is missing", err)
		}
		e.ExpectActions(t, sites, sites)
	})
	t.Run("explicit site missing", func(t *testing.T) {
		e := newEnv(t, "example.com")
		_, err := e.Set("home~example.org", "192.0.2.10")
		if !publish.IsPermanent(err) || !strings.Contains(err.Error(), "example.org not found") {
			t.Fatalf("err %v, want permanent", err)
		}
		e.ExpectActions(t, sites)
	})
	t.Run("site removed meanwhile", func(t *testing.T) {
		e := newEnv(t, "example.com")
		if _, err := e.Set("home.example.com", "192.0.2.10"); err != nil {
			t.Fatal(err)
		}
		e.Fake.Reset()
		e.Fake.Fail(aliesafake.Fault{Status: 400, Code: "SiteNotFound", Message: "The specified site does not exist."})
		_, err := e.Set("home.example.com", "192.0.2.11")
		if !publish.IsPermanent(err) || !strings.Contains(err.Error(), "site example.com") || !strings.Contains(err.Error(), "SiteNotFound") {
			t.Fatalf("err %v, want a permanent site-not-found error", err)
		}
		e.ExpectActions(t, list)
	})
}

func TestBadCredentials(t *testing.T) {
	kit.ExpectBadCredentials(t, "ListSites: credentials refused", publishtest.ACS3BadCredentials(keyID, keySecret)...)
}

func TestPermissionRefused(t *testing.T) {
	e := newEnv(t, "example.com")
	e.Fake.Fail(aliesafake.Fault{Status: 403, Code: "Forbidden.RAM", Message: "User not authorized to operate on the specified resource."})
	_, err := e.Set("home.example.com", "192.0.2.10")
	if !publish.IsPermanent(err) || !strings.Contains(err.Error(), "Forbidden.RAM") || !strings.Contains(err.Error(), "ESA permissions") {
		t.Fatalf("err %v, want a permanent permission error", err)
	}
}

func TestTransientFaults(t *testing.T) {
	kit.ExpectFaults(t, sites, append(publishtest.ACS3Faults(),
		publishtest.FaultCase{Name: "ESA busy with 400", Fault: aliesafake.Fault{Status: 400, Code: "TooManyRequests", Message: "Too many requests."}, Text: "TooManyRequests"},
		publishtest.FaultCase{Name: "record service busy", Fault: aliesafake.Fault{Status: 400, Code: "Record.ServiceBusy", Message: "The service is busy."}, Text: "Record.ServiceBusy"},
		publishtest.FaultCase{Name: "500", Fault: aliesafake.Fault{Status: 500, Code: "InternalError", Message: "The request processing has failed due to some unknown error."}, Text: "InternalError"},
		publishtest.FaultCase{Name: "malformed JSON", Fault: aliesafake.Fault{Status: 200, Body: `{"Sites": [{"SiteId": 1, `}, Text: "malformed answer"},
		publishtest.FaultCase{Name: "JSON without the fields", Fault: aliesafake.Fault{Status: 200, Body: `{"RequestId": "x"}`}, Text: "no Sites"})...)
}

// TestFaultAtEachStep answers each call of the first run in turn with a
// broken 2xx body: every one is a transient error, none a panic or a
// success.
func TestFaultAtEachStep(t *testing.T) {
	bodies := []string{"", "{", "[]", "null", `"text"`, `{"Sites": {}}`, `{"Sites": [{"SiteName": "example.com", "SiteId": "x1"}]}`,
		`{"Records": {}}`, `{"Records": [{"RecordName": "home.example.com", "RecordType": "A/AAAA", "Data": {"Value": "192.0.2.1"}}]}`,
		`{"Records": [{"RecordId": {}}]}`, `{"Records": [{"Ttl": true}]}`, `{"RecordId": ""}`, `{"RecordId": 1.5}`}
	// A site lookup of the longest candidate answered with a well-formed
	// list without the name is "not this one".
	kit.ExpectBrokenSteps(t, []string{sites, sites, list, create}, bodies, func(step int, body string) bool {
		return step == 0 && strings.Contains(body, `"Sites": [`)
	})
}

func TestHint(t *testing.T) {
	e := newEnv(t, "example.com")
	first, err := e.Set("home.example.com", "192.0.2.10")
	if err != nil {
		t.Fatal(err)
	}

	t.Run("update by id is one call", func(t *testing.T) {
		e.Fake.Reset()
		res, err := e.Set("home.example.com", "192.0.2.11", withHint(first))
		if err != nil {
			t.Fatal(err)
		}
		e.ExpectActions(t, update)
		rec := e.mustHold(t, "home.example.com", "192.0.2.11")
		if res != (publish.Result{ZoneID: first.ZoneID, ZoneName: "example.com", RecordID: first.RecordID}) || !rec.Proxied || rec.TTL != 1 {
			t.Errorf("result %+v, record %+v: the record keeps its proxied state and TTL", res, rec)
		}
		if strings.Contains(e.lastBody(), "Proxied") || strings.Contains(e.lastBody(), "Ttl") {
			t.Errorf("body %s: nothing unknown or unconfigured is sent", e.lastBody())
		}
	})
	t.Run("stale id falls back to the full flow", func(t *testing.T) {
		e.Fake.DeleteRecord(first.RecordID)
		e.Fake.Reset()
		res, err := e.Set("home.example.com", "192.0.2.12", withHint(first))
		if err != nil {
			t.Fatal(err)
		}
		e.ExpectActions(t, update, list, create) // the site is remembered by this provider
		rec := e.mustHold(t, "home.example.com", "192.0.2.12")
		if res.RecordID != rec.ID || rec.ID == first.RecordID {
			t.Errorf("result %+v, record %+v", res, rec)
		}
	})
	t.Run("stale id in a fresh process", func(t *testing.T) {
		e.P = kit.On(t, e.Account, keyID, keySecret)
		e.Fake.Reset()
		if _, err := e.Set("home.example.com", "192.0.2.13", withHint(first)); err != nil {
			t.Fatal(err)
		}
		e.ExpectActions(t, update, sites, sites, list, update)
		e.mustHold(t, "home.example.com", "192.0.2.13")
	})
	t.Run("an id that is not ESA's is not sent", func(t *testing.T) {
		e.Fake.Reset()
		bad := first
		bad.RecordID = "rec-1"
		if _, err := e.Set("home.example.com", "192.0.2.14", withHint(bad)); err != nil {
			t.Fatal(err)
		}
		e.ExpectActions(t, list, update)
	})
	t.Run("bad credentials are not taken for a stale id", func(t *testing.T) {
		e.Fake.Reset()
		e.P = kit.On(t, e.Account, keyID, "WrongSecretValue4567")
		_, err := e.Set("home.example.com", "192.0.2.15", withHint(first))
		if !publish.IsPermanent(err) || errors.Is(err, publish.ErrNotFound) {
			t.Fatalf("err %v, want permanent, not ErrNotFound", err)
		}
		e.ExpectActions(t, update)
	})
}

func TestTTL(t *testing.T) {
	e := newEnv(t, "example.com")

	// A configured TTL is sent on create; a line is ignored (ESA has none).
	if _, err := e.Set("home.example.com", "192.0.2.10", withTTL(600), func(r *publish.Record) { r.Line = "电信" }); err != nil {
		t.Fatal(err)
	}
	if rec := e.mustHold(t, "home.example.com", "192.0.2.10"); rec.TTL != 600 {
		t.Errorf("TTL %d, want 600", rec.TTL)
	}
	for _, c := range e.Fake.Requests() {
		if c.Query.Has("Line") || strings.Contains(string(c.Body), "Line") {
			t.Errorf("%s sent a line: %v %s", c.Action, c.Query, c.Body)
		}
	}

	// Only the TTL differs: that is a change.
	e.Fake.Reset()
	if _, err := e.Set("home.example.com", "192.0.2.10", withTTL(120)); err != nil {
		t.Fatal(err)
	}
	e.ExpectActions(t, list, update)
	if rec := e.mustHold(t, "home.example.com", "192.0.2.10"); rec.TTL != 120 {
		t.Errorf("TTL %d, want 120", rec.TTL)
	}

	// Without a configured TTL, none is sent and the record keeps its own.
	e.Fake.Reset()
	if _, err := e.Set("home.example.com", "192.0.2.11"); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(e.lastBody(), "Ttl") {
		t.Errorf("update body %s sends a TTL", e.lastBody())
	}
	if rec := e.mustHold(t, "home.example.com", "192.0.2.11"); rec.TTL != 120 {
		t.Errorf("TTL %d, want the record's 120", rec.TTL)
	}
}

func TestExtra(t *testing.T) {
	e := newEnv(t, "example.com")

	// The user's extras come first, in order, and replace the defaults of
	// the same name; Proxied given as text is a boolean.
	ext := withExtra(publish.KV{Key: "Comment", Value: "nas"}, publish.KV{Key: "Proxied", Value: "false"}, publish.KV{Key: "BizName", Value: "api"})
	if _, err := e.Set("home.example.com", "192.0.2.10", ext); err != nil {
		t.Fatal(err)
	}
	const want = `, "Ttl": 1, "Comment": "nas", "Proxied": false, "BizName": "api"}`
	if body := e.lastBody(); !strings.HasSuffix(body, want) {
		t.Errorf("create body %s, want it to end %s", body, want)
	}
	rec := e.mustHold(t, "home.example.com", "192.0.2.10")
	if rec.Comment != "nas" || rec.Proxied || rec.BizName != "api" {
		t.Errorf("record %+v", rec)
	}

	// A configured Proxied the record lacks is a change, even at the same
	// address; once applied, nothing is written.
	e.Fake.Reset()
	if _, err := e.Set("home.example.com", "192.0.2.10", withExtra(publish.KV{Key: "Proxied", Value: true})); err != nil {
		t.Fatal(err)
	}
	e.ExpectActions(t, list, update)
	if rec = e.mustHold(t, "home.example.com", "192.0.2.10"); !rec.Proxied {
		t.Errorf("record %+v, want proxied", rec)
	}
	e.Fake.Reset()
	if res, err := e.Set("home.example.com", "192.0.2.10", withExtra(publish.KV{Key: "Proxied", Value: true})); err != nil || !res.Unchanged {
		t.Fatalf("result %+v, %v: want unchanged", res, err)
	}

	// Extras that would replace a parameter ddns sets, or a Proxied that
	// is not a boolean, are refused before any request.
	for _, kv := range []publish.KV{{Key: "Ttl", Value: "60"}, {Key: "Data", Value: "x"}, {Key: "Type", Value: "A"},
		{Key: "RecordName", Value: "x"}, {Key: "SiteId", Value: "1"}, {Key: "RecordId", Value: "1"}, {Key: "Proxied", Value: "maybe"}} {
		e.Fake.Reset()
		_, err := e.Set("home.example.com", "192.0.2.11", withExtra(kv))
		if !publish.IsPermanent(err) || !strings.Contains(err.Error(), kv.Key) {
			t.Errorf("extra %s: %v, want a permanent error naming it", kv.Key, err)
		}
		e.ExpectActions(t)
	}
}

func TestMultipleRecordsUpdateTheFirst(t *testing.T) {
	e := newEnv(t, "example.com")
	first := e.Fake.AddRecord("example.com", "home.example.com", "192.0.2.1", 1, false)
	e.Fake.AddRecord("example.com", "home.example.com", "192.0.2.2", 1, false)
	res, err := e.Set("home.example.com", "192.0.2.10")
	if err != nil {
		t.Fatal(err)
	}
	if res.RecordID != first {
		t.Errorf("updated %s, want the first record %s", res.RecordID, first)
	}
	recs := e.Fake.Find("home.example.com")
	if len(recs) != 2 || recs[0].Value != "192.0.2.10" || recs[1].Value != "192.0.2.2" || recs[0].Proxied {
		t.Errorf("records %+v: the first updated, still not proxied; the second left", recs)
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
	publishtest.ExpectSlash(t, aliesa.New, e.Settings(keyID, keySecret, nil), publishtest.Rec("home.example.com", "192.0.2.10"))
}

func TestConstruction(t *testing.T) {
	publishtest.ExpectNew(t, publishtest.Constructor{Build: aliesa.New,
		NoID: "aliesa: id (AccessKey ID) must be configured", NoToken: "aliesa: token (AccessKey Secret) must be configured", Names: []string{"aliesa", "esa"}},
		publishtest.Construction{Settings: publish.Settings{ID: "x", Token: "y", Endpoint: "esa.cn-hangzhou.aliyuncs.com"}, Err: "is not an http(s) URL"},
		publishtest.Construction{Settings: publish.Settings{ID: "x", Token: "y", Endpoint: "ftp://esa.cn-hangzhou.aliyuncs.com"}, Err: "is not an http(s) URL"})
	if info, ok := publish.InfoOf("aliesa"); !ok || !info.Readable || !info.Creates || !info.TTL || info.Line {
		t.Errorf("info %+v", info)
	}
}

// TestConformance runs the provider test kit's suite.
func TestConformance(t *testing.T) { publishtest.Run(t, aliesafake.Service) }
