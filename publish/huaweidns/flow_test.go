package huaweidns_test

import (
	"cmp"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/huaweidns"
	fake "github.com/ddns-go/ddns/publish/huaweidns/huaweidnsfake"
	"github.com/ddns-go/ddns/publish/publishtest"
)

const (
	testAK = "HWAKTESTKEY"
	testSK = "HWSKTESTSECRETVALUE"
)

// env is one fake account and a provider talking to it.
type env struct {
	*publishtest.Account[*fake.Server]
}

func newEnv(t *testing.T, zones ...string) *env {
	f := fake.New(testAK, testSK)
	return &env{publishtest.NewAccount(t, f, f.AddZone, zones...)}
}

// provider builds a provider against the fake; sk "" means the right one.
func (e *env) provider(t *testing.T, sk string, now func() time.Time) publish.Provider {
	return publishtest.Provider(t, huaweidns.New, e.Settings(testAK, cmp.Or(sk, testSK), now))
}

var record, with = publishtest.Rec, publishtest.With

// calls is the expected number of requests of each kind.
type calls map[string]int

// TestSet is the matrix: given an account, when a record is set, then the
// account holds what was asked, with the expected calls, or the error is
// of the expected class.
func TestSet(t *testing.T) {
	tests := []struct {
		name   string
		zones  []string
		given  func(e *env)
		sk     string           // "" = the right secret key
		now    func() time.Time // nil = time.Now
		rec    publish.Record
		calls  calls
		err    string // substring of the error; "" = success
		perm   bool   // the error is permanent
		retry  time.Duration
		then   func(t *testing.T, e *env, res publish.Result)
		nameRS string // record set holding rec.Addr afterwards ("" = none checked)
	}{{
		name: "create", zones: []string{"example.com"},
		rec:   record("www.example.com", "192.0.2.1"),
		calls: calls{fake.Zones: 2, fake.List: 1, fake.Create: 1}, nameRS: "www.example.com",
		then: func(t *testing.T, e *env, res publish.Result) {
			rs, _ := e.Fake.Record("www.example.com", "A")
			if rs.TTL != 300 || rs.Line != "default_view" || rs.Description != "Managed by [DDNS](https://ddns.newfuture.cc)" {
				t.Errorf("created %+v: want the service's TTL and line, and the remark", rs)
			}
			if res.ZoneID != e.Zones["example.com"] || res.ZoneName != "example.com" || res.RecordID != rs.ID || res.Unchanged {
				t.Errorf("result %+v, want zone %s and record %s", res, e.Zones["example.com"], rs.ID)
			}
		},
	}, {
		name: "create AAAA", zones: []string{"example.com"},
		rec:   record("www.example.com", "2001:db8::1"),
		calls: calls{fake.Zones: 2, fake.List: 1, fake.Create: 1}, nameRS: "www.example.com",
	}, {
		name: "update keeps the TTL", zones: []string{"example.com"},
		given: func(e *env) { e.Fake.AddRecord("example.com", "www.example.com", "A", 600, "", "192.0.2.9") },
		rec:   record("www.example.com", "192.0.2.1"),
		calls: calls{fake.Zones: 2, fake.List: 1, fake.Update: 1}, nameRS: "www.example.com",
		then: func(t *testing.T, e *env, res publish.Result) {
			if rs, _ := e.Fake.Record("www.example.com", "A"); rs.TTL != 600 {
				t.Errorf("TTL %d, want 600 kept", rs.TTL)
			}
		},
	}, {
		name: "unchanged makes no write", zones: []string{"example.com"},
		given: func(e *env) { e.Fake.AddRecord("example.com", "www.example.com", "A", 600, "", "192.0.2.1") },
		rec:   record("www.example.com", "192.0.2.1"),
		calls: calls{fake.Zones: 2, fake.List: 1}, nameRS: "www.example.com",
		then: func(t *testing.T, e *env, res publish.Result) {
			if !res.Unchanged || res.RecordID == "" {
				t.Errorf("result %+v, want Unchanged with the record id", res)
			}
		},
	}, {
		name: "a record set with several values is replaced", zones: []string{"example.com"},
		given: func(e *env) {
			e.Fake.AddRecord("example.com", "www.example.com", "A", 300, "", "192.0.2.1", "192.0.2.2")
		},
		rec:   record("www.example.com", "192.0.2.1"),
		calls: calls{fake.Zones: 2, fake.List: 1, fake.Update: 1},
		then: func(t *testing.T, e *env, res publish.Result) {
			if rs, _ := e.Fake.Record("www.example.com", "A"); len(rs.Records) != 1 || rs.Records[0] != "192.0.2.1" {
				t.Errorf("records %q, want only 192.0.2.1", rs.Records)
			}
		},
	}, {
		name: "multi-level sub-domain in the parent zone", zones: []string{"example.com"},
		rec:   record("a.b.example.com", "192.0.2.1"),
		calls: calls{fake.Zones: 3, fake.List: 1, fake.Create: 1}, nameRS: "a.b.example.com",
		then: func(t *testing.T, e *env, res publish.Result) {
			if res.ZoneName != "example.com" {
				t.Errorf("zone %q, want example.com", res.ZoneName)
			}
		},
	}, {
		name: "apex", zones: []string{"example.com"},
		rec:   record("example.com", "192.0.2.1"),
		calls: calls{fake.Zones: 1, fake.List: 1, fake.Create: 1}, nameRS: "example.com",
	}, {
		name: "explicit zone separator", zones: []string{"example.com"},
		rec:   record("www~example.com", "192.0.2.1"),
		calls: calls{fake.Zones: 1, fake.List: 1, fake.Create: 1}, nameRS: "www.example.com",
	}, {
		name: "zone not found", zones: []string{"example.com"},
		rec:   record("www.example.org", "192.0.2.1"),
		calls: calls{fake.Zones: 2}, err: "no zone of www.example.org", perm: true,
	}, {
		name: "bad credentials: permanent, one request", zones: []string{"example.com"}, sk: "wrong-secret",
		rec:   record("www.example.com", "192.0.2.1"),
		calls: calls{fake.Zones: 1}, err: "HTTP 401 Unauthorized: APIGW.0301 Incorrect IAM authentication information: verify aksk signature fail", perm: true,
	}, {
		name: "a clock 20 minutes off is refused", zones: []string{"example.com"},
		now:   func() time.Time { return time.Now().Add(-20 * time.Minute) },
		rec:   record("www.example.com", "192.0.2.1"),
		calls: calls{fake.Zones: 1}, err: "signature expired", perm: true,
	}, {
		name: "429 is transient with Retry-After", zones: []string{"example.com"},
		given: func(e *env) { e.Fake.Fail(fake.Fault{Status: 429, RetryAfter: "7"}) },
		rec:   record("www.example.com", "192.0.2.1"),
		calls: calls{fake.Zones: 1}, err: "HTTP 429 Too Many Requests: APIGW.0308", retry: 7 * time.Second,
	}, {
		name: "5xx is transient", zones: []string{"example.com"},
		given: func(e *env) { e.Fake.Fail(fake.Fault{Status: 503}) },
		rec:   record("www.example.com", "192.0.2.1"),
		calls: calls{fake.Zones: 1}, err: "HTTP 503 Service Unavailable: DNS.0001 Internal error.",
	}, {
		name: "malformed JSON", zones: []string{"example.com"},
		given: func(e *env) { e.Fake.Fail(fake.MalformedJSON) },
		rec:   record("www.example.com", "192.0.2.1"),
		calls: calls{fake.Zones: 1}, err: "find zone www.example.com: malformed answer",
	}, {
		name: "an HTML error page", zones: []string{"example.com"},
		given: func(e *env) {
			e.Fake.Fail(fake.Fault{Status: 502, Body: "<html>\n<body>Bad Gateway</body></html>"})
		},
		rec:   record("www.example.com", "192.0.2.1"),
		calls: calls{fake.Zones: 1}, err: "HTTP 502 Bad Gateway: <html>",
	}, {
		name: "an invalid parameter is permanent, with the API's code", zones: []string{"example.com"},
		rec:   with(record("www.example.com", "192.0.2.1"), func(r *publish.Record) { r.TTL = -5 }),
		calls: calls{fake.Zones: 2, fake.List: 1, fake.Create: 1}, err: "create www.example.com. A: HTTP 400 Bad Request: DNS.0303 Invalid TTL.", perm: true,
	}, {
		name: "TTL and line are passed through", zones: []string{"example.com"},
		given: func(e *env) {
			e.Fake.AddRecord("example.com", "www.example.com", "A", 300, "default_view", "192.0.2.9")
		},
		rec:   with(record("www.example.com", "192.0.2.1"), func(r *publish.Record) { r.TTL, r.Line = 120, "Dianxin" }),
		calls: calls{fake.Zones: 2, fake.List: 1, fake.Create: 1},
		then: func(t *testing.T, e *env, res publish.Result) {
			sets := e.Fake.RecordSets()
			if len(sets) != 2 || sets[0].Records[0] != "192.0.2.9" || sets[1].Line != "Dianxin" || sets[1].TTL != 120 || sets[1].Records[0] != "192.0.2.1" {
				t.Errorf("record sets %+v: want the default line untouched and a Dianxin set with TTL 120", sets)
			}
		},
	}, {
		name: "a new TTL updates an otherwise current record", zones: []string{"example.com"},
		given: func(e *env) { e.Fake.AddRecord("example.com", "www.example.com", "A", 300, "", "192.0.2.1") },
		rec:   with(record("www.example.com", "192.0.2.1"), func(r *publish.Record) { r.TTL = 60 }),
		calls: calls{fake.Zones: 2, fake.List: 1, fake.Update: 1},
		then: func(t *testing.T, e *env, res publish.Result) {
			if rs, _ := e.Fake.Record("www.example.com", "A"); rs.TTL != 60 {
				t.Errorf("TTL %d, want 60", rs.TTL)
			}
		},
	}, {
		name: "without a line the default line's record set is updated", zones: []string{"example.com"},
		given: func(e *env) {
			e.Fake.AddRecord("example.com", "www.example.com", "A", 300, "Dianxin", "192.0.2.8")
			e.Fake.AddRecord("example.com", "www.example.com", "A", 300, "default_view", "192.0.2.9")
		},
		rec:   record("www.example.com", "192.0.2.1"),
		calls: calls{fake.Zones: 2, fake.List: 1, fake.Update: 1},
		then: func(t *testing.T, e *env, res publish.Result) {
			sets := e.Fake.RecordSets()
			if sets[0].Records[0] != "192.0.2.8" || sets[1].Records[0] != "192.0.2.1" {
				t.Errorf("record sets %+v: want the default_view one updated", sets)
			}
		},
	}, {
		name: "extra members are passed through", zones: []string{"example.com"},
		rec: record("www.example.com", "192.0.2.1", publish.KV{Key: "description", Value: "home router"}, publish.KV{Key: "weight", Value: json.Number("1")},
			publish.KV{Key: "tags", Value: nil}),
		calls: calls{fake.Zones: 2, fake.List: 1, fake.Create: 1},
		then: func(t *testing.T, e *env, res publish.Result) {
			rs, _ := e.Fake.Record("www.example.com", "A")
			if rs.Description != "home router" || string(rs.Extra["weight"]) != "1" || rs.Extra["tags"] != nil {
				t.Errorf("created %+v: want the user's description and weight, no null tags", rs)
			}
		},
	}, {
		name: "an extra colliding with a provider field is refused before any call", zones: []string{"example.com"},
		rec:   record("www.example.com", "192.0.2.1", publish.KV{Key: "ttl", Value: "60"}),
		calls: calls{}, err: `extra "ttl" would override`, perm: true,
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, tc.zones...)
			if tc.given != nil {
				tc.given(e)
			}
			res, err := e.provider(t, tc.sk, tc.now).Set(context.Background(), tc.rec)
			publishtest.Expect(t, err, publishtest.Want(tc.err, tc.perm), "huaweidns", tc.err, tc.retry, testSK, "Signature=")
			e.ExpectCalls(t, tc.calls)
			if tc.nameRS != "" {
				rs, ok := e.Fake.Record(tc.nameRS, tc.rec.Type)
				if !ok || len(rs.Records) != 1 || rs.Records[0] != tc.rec.Addr.String() {
					t.Errorf("record set %s %s = %+v, want %s", tc.nameRS, tc.rec.Type, rs, tc.rec.Addr)
				}
			}
			if tc.then != nil {
				tc.then(t, e, res)
			}
		})
	}
}

// TestHint covers a change with the ids remembered in the state file:
// one call when the record is still there, the full flow when it is gone.
func TestHint(t *testing.T) {
	tests := []struct {
		name  string
		hint  func(e *env, id string) publish.Hint
		given func(e *env, id string)
		sk    string
		ttl   int
		calls calls
		err   string
		perm  bool
		ttlRS int // the record's TTL afterwards
	}{{
		name:  "one call; the TTL is kept",
		calls: calls{fake.Update: 1}, ttlRS: 600,
	}, {
		name: "one call; a configured TTL is set", ttl: 60,
		calls: calls{fake.Update: 1}, ttlRS: 60,
	}, {
		name:  "record deleted: the full flow recreates it",
		given: func(e *env, id string) { e.Fake.DeleteRecord(id) },
		calls: calls{fake.Update: 1, fake.Zones: 2, fake.List: 1, fake.Create: 1}, ttlRS: 300,
	}, {
		name: "zone id stale: the full flow finds the record",
		hint: func(e *env, id string) publish.Hint {
			return publish.Hint{ZoneID: "0000000000000000000000000000dead", ZoneName: "example.com", RecordID: id}
		},
		calls: calls{fake.Update: 2, fake.Zones: 2, fake.List: 1}, ttlRS: 600,
	}, {
		name: "bad credentials: permanent, no fallback", sk: "wrong-secret",
		calls: calls{fake.Update: 1}, err: "APIGW.0301", perm: true, ttlRS: 600,
	}, {
		name:  "5xx: transient, no fallback",
		given: func(e *env, id string) { e.Fake.Fail(fake.Fault{Status: 500}) },
		calls: calls{fake.Update: 1}, err: "HTTP 500", ttlRS: 600,
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, "example.com")
			id := e.Fake.AddRecord("example.com", "www.example.com", "A", 600, "", "192.0.2.9")
			hint := publish.Hint{ZoneID: e.Zones["example.com"], ZoneName: "example.com", RecordID: id}
			if tc.hint != nil {
				hint = tc.hint(e, id)
			}
			if tc.given != nil {
				tc.given(e, id)
			}
			rec := record("www.example.com", "192.0.2.1")
			rec.Hint, rec.TTL = hint, tc.ttl
			res, err := e.provider(t, tc.sk, time.Now).Set(context.Background(), rec)
			e.ExpectCalls(t, tc.calls)
			rs, _ := e.Fake.Record("www.example.com", "A")
			if rs.TTL != tc.ttlRS {
				t.Errorf("TTL %d, want %d", rs.TTL, tc.ttlRS)
			}
			publishtest.Expect(t, err, publishtest.Want(tc.err, tc.perm), "huaweidns", tc.err, 0, testSK, "Signature=")
			if err != nil {
				return
			}
			if rs.Records[0] != "192.0.2.1" || res.RecordID != rs.ID || res.ZoneID != e.Zones["example.com"] {
				t.Errorf("record %+v, result %+v: want 192.0.2.1 and the current ids", rs, res)
			}
		})
	}
}

// TestZoneCache: one provider serves every domain of a configuration, so a
// second record in a known zone skips the zone lookups.
func TestZoneCache(t *testing.T) {
	e := newEnv(t, "example.com")
	p := e.provider(t, "", time.Now)
	for _, r := range []publish.Record{record("www.example.com", "192.0.2.1"), record("example.com", "2001:db8::1")} {
		if _, err := p.Set(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
	e.ExpectCalls(t, calls{fake.Zones: 2, fake.List: 2, fake.Create: 2})
}

// TestNew: the constructor's checks; every name of the original selects
// this provider.
func TestNew(t *testing.T) {
	publishtest.ExpectNew(t, publishtest.Constructor{Build: huaweidns.New,
		NoID: "huaweidns: id (the Access Key ID) must be configured", NoToken: "huaweidns: token (the Secret Access Key) must be configured",
		Names: []string{"huaweidns", "huawei", "HuaweiCloud"}},
		publishtest.Construction{Settings: publish.Settings{ID: "ak", Token: "sk", Endpoint: "dns.myhuaweicloud.com"}, Err: "huaweidns: endpoint"},
		publishtest.Construction{Settings: publish.Settings{ID: "ak", Token: "sk", Endpoint: "https://h/?x=1"}, Err: "huaweidns: endpoint"},
		publishtest.Construction{Settings: publish.Settings{ID: "ak", Token: "sk", Endpoint: "https://dns.cn-north-4.myhuaweicloud.com/"}})
}

// TestEndpointTrailingSlash: "https://host/" must not produce "//v2".
func TestEndpointTrailingSlash(t *testing.T) {
	e := newEnv(t, "example.com")
	publishtest.ExpectSlash(t, huaweidns.New, e.Settings(testAK, testSK, nil), record("www.example.com", "192.0.2.1"))
	e.ExpectCalls(t, calls{fake.Zones: 2, fake.List: 1, fake.Create: 1})
}

// TestFakeChecksSignatures: the fake refuses any request changed after
// signing, as the gateway does, so the matrix above proves the provider
// signs what it sends.
func TestFakeChecksSignatures(t *testing.T) {
	const refused = "verify aksk signature fail"
	publishtest.ExpectSigned(t, publishtest.Signed{
		Build: huaweidns.New, ID: testAK, Token: testSK,
		Fake:    func(t *testing.T) http.Handler { return newEnv(t, "example.com").Fake },
		Refused: refused, Missing: "APIGW.0301",
	}, publishtest.Tampered{Name: "query", Change: func(r *http.Request) { r.URL.RawQuery = strings.Replace(r.URL.RawQuery, "limit=500", "limit=499", 1) }, Want: refused},
		publishtest.Tampered{Name: "path", Change: func(r *http.Request) { r.URL.Path = "/v2.1/zones/1/recordsets" }, Want: refused},
		publishtest.Tampered{Name: "the create's body", Change: func(r *http.Request) {
			if r.Method == http.MethodPost {
				b := `{"name": "example.com.", "type": "A", "records": ["192.0.2.66"]}`
				r.Body, r.ContentLength = io.NopCloser(strings.NewReader(b)), int64(len(b))
			}
		}, Want: "create example.com. A: HTTP 401 Unauthorized: APIGW.0301 Incorrect IAM authentication information: " + refused},
		publishtest.Tampered{Name: "content type", Change: func(r *http.Request) { r.Header.Set("Content-Type", "text/plain") }, Want: refused},
		publishtest.Tampered{Name: "date", Change: func(r *http.Request) {
			r.Header.Set("X-Sdk-Date", time.Now().UTC().Add(time.Minute).Format("20060102T150405Z"))
		}, Want: refused},
		publishtest.Tampered{Name: "access key", Change: func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), testAK, "OTHERAK", 1))
		}, Want: "ak OTHERAK not exist"})
}

// TestConformance runs the provider test kit's suite.
func TestConformance(t *testing.T) { publishtest.Run(t, fake.Service) }
