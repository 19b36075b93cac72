package tencentcloud_test

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/publishtest"
	"github.com/ddns-go/ddns/publish/tencentcloud"
	fake "github.com/ddns-go/ddns/publish/tencentcloud/tencentcloudfake"
)

const (
	testID  = "AKIDtestSecretId0123456789abcdef"
	testKey = "testSecretKey0123456789abcdefgh"
	remark  = "Managed by [DDNS](https://ddns.newfuture.cc)"
)

// Action names, for call assertions.
const (
	describeDomain = "DescribeDomain"
	listRecords    = "DescribeRecordList"
	createRecord   = "CreateRecord"
	modifyRecord   = "ModifyRecord"
)

// env is one fake account and the server it answers on.
type env struct {
	*publishtest.Account[*fake.Fake]
}

func newEnv(t *testing.T, zones ...string) *env {
	f := fake.New(testID, testKey)
	return &env{publishtest.NewAccount(t, f, f.AddDomain, zones...)}
}

// provider builds a provider against the fake; id or key "" means the
// right one.
func (e *env) provider(t *testing.T, id, key string, now func() time.Time) publish.Provider {
	return publishtest.Provider(t, tencentcloud.New, e.Settings(cmp.Or(id, testID), cmp.Or(key, testKey), now))
}

var record, with = publishtest.Rec, publishtest.With

// calls is the expected number of requests of each action.
type calls map[string]int

// holds returns the one sub/type record of zone, which must hold value.
func (e *env) holds(t *testing.T, zone, sub, typ, value string) fake.Record {
	t.Helper()
	return publishtest.Only(t, e.Fake.Find(zone, sub, typ), fake.Record.Held, value)
}

// TestSet is the matrix: given an account, when a record is set, then the
// account holds what was asked, with the expected calls, or the error is
// of the expected class.
func TestSet(t *testing.T) {
	tests := []struct {
		name  string
		zones []string
		given func(e *env)
		id    string           // "" = the right SecretId
		key   string           // "" = the right SecretKey
		now   func() time.Time // nil = time.Now
		rec   publish.Record
		calls calls
		err   string // substring of the error; "" = success
		perm  bool   // the error is permanent
		retry time.Duration
		then  func(t *testing.T, e *env, res publish.Result)
	}{{
		name: "create", zones: []string{"example.com"},
		rec:   record("www.example.com", "192.0.2.1"),
		calls: calls{describeDomain: 2, listRecords: 1, createRecord: 1},
		then: func(t *testing.T, e *env, res publish.Result) {
			r := e.holds(t, "example.com", "www", "A", "192.0.2.1")
			if r.Line != "默认" || r.TTL != fake.DefaultTTL || r.Remark != remark {
				t.Errorf("created %+v: want the default line and TTL, and the remark", r)
			}
			want := publish.Result{ZoneID: e.Zones["example.com"], ZoneName: "example.com", RecordID: itoa(r.ID)}
			if res != want {
				t.Errorf("result %+v, want %+v", res, want)
			}
		},
	}, {
		name: "create AAAA", zones: []string{"example.com"},
		rec:   record("www.example.com", "2001:db8::1"),
		calls: calls{describeDomain: 2, listRecords: 1, createRecord: 1},
		then: func(t *testing.T, e *env, res publish.Result) {
			e.holds(t, "example.com", "www", "AAAA", "2001:db8::1")
		},
	}, {
		name: "update keeps the TTL and the remark's place", zones: []string{"example.com"},
		given: func(e *env) { e.Fake.AddRecord("example.com", "www", "A", "192.0.2.9", "", 300) },
		rec:   record("www.example.com", "192.0.2.1"),
		calls: calls{describeDomain: 2, listRecords: 1, modifyRecord: 1},
		then: func(t *testing.T, e *env, res publish.Result) {
			if r := e.holds(t, "example.com", "www", "A", "192.0.2.1"); r.TTL != 300 || r.Line != "默认" {
				t.Errorf("updated %+v: want TTL 300 and the default line kept", r)
			}
			if res.Unchanged || res.RecordID == "" {
				t.Errorf("result %+v", res)
			}
		},
	}, {
		name: "unchanged makes no write", zones: []string{"example.com"},
		given: func(e *env) { e.Fake.AddRecord("example.com", "www", "A", "192.0.2.1", "", 0) },
		rec:   record("www.example.com", "192.0.2.1"),
		calls: calls{describeDomain: 2, listRecords: 1},
		then: func(t *testing.T, e *env, res publish.Result) {
			if !res.Unchanged || res.RecordID == "" {
				t.Errorf("result %+v, want Unchanged with the record id", res)
			}
		},
	}, {
		name: "multi-level sub-domain in the parent zone", zones: []string{"example.com"},
		rec:   record("a.b.example.com", "192.0.2.1"),
		calls: calls{describeDomain: 3, listRecords: 1, createRecord: 1},
		then: func(t *testing.T, e *env, res publish.Result) {
			e.holds(t, "example.com", "a.b", "A", "192.0.2.1")
		},
	}, {
		name: "apex", zones: []string{"example.com"},
		rec:   record("example.com", "192.0.2.1"),
		calls: calls{describeDomain: 1, listRecords: 1, createRecord: 1},
		then: func(t *testing.T, e *env, res publish.Result) {
			e.holds(t, "example.com", "@", "A", "192.0.2.1")
		},
	}, {
		name: "explicit zone separator", zones: []string{"example.com"},
		rec:   record("www~example.com", "192.0.2.1"),
		calls: calls{describeDomain: 1, listRecords: 1, createRecord: 1},
		then: func(t *testing.T, e *env, res publish.Result) {
			e.holds(t, "example.com", "www", "A", "192.0.2.1")
		},
	}, {
		name: "zone not found", zones: []string{"example.com"},
		rec:   record("www.example.org", "192.0.2.1"),
		calls: calls{describeDomain: 2}, err: "no zone of www.example.org", perm: true,
	}, {
		name: "wrong SecretKey: permanent, one request", zones: []string{"example.com"}, key: "wrongSecretKey0123456789abcdefgh",
		rec:   record("www.example.com", "192.0.2.1"),
		calls: calls{describeDomain: 1}, perm: true,
		err: "DescribeDomain: AuthFailure.SignatureFailure 请求签名验证失败，请检查您的签名计算是否正确。 (check id = SecretId and token = SecretKey)",
	}, {
		name: "unknown SecretId: permanent, one request", zones: []string{"example.com"}, id: "AKIDunknown",
		rec:   record("www.example.com", "192.0.2.1"),
		calls: calls{describeDomain: 1}, err: "AuthFailure.SecretIdNotFound", perm: true,
	}, {
		name: "a clock 10 minutes off is transient", zones: []string{"example.com"},
		now:   func() time.Time { return time.Now().Add(-10 * time.Minute) },
		rec:   record("www.example.com", "192.0.2.1"),
		calls: calls{describeDomain: 1}, err: "AuthFailure.SignatureExpire",
	}, {
		name: "throttled (the API's own way) is transient", zones: []string{"example.com"},
		given: func(e *env) { e.Fake.Fail(fake.Throttled) },
		rec:   record("www.example.com", "192.0.2.1"),
		calls: calls{describeDomain: 1}, err: "RequestLimitExceeded",
	}, {
		name: "429 is transient with Retry-After", zones: []string{"example.com"},
		given: func(e *env) { e.Fake.Fail(fake.Fault{Status: 429, RetryAfter: "7"}) },
		rec:   record("www.example.com", "192.0.2.1"),
		calls: calls{describeDomain: 1}, err: "HTTP 429 Too Many Requests: RequestLimitExceeded", retry: 7 * time.Second,
	}, {
		name: "5xx is transient", zones: []string{"example.com"},
		given: func(e *env) { e.Fake.Fail(fake.Fault{Status: 503, RetryAfter: "30"}) },
		rec:   record("www.example.com", "192.0.2.1"),
		calls: calls{describeDomain: 1}, err: "HTTP 503 Service Unavailable: InternalError", retry: 30 * time.Second,
	}, {
		name: "an internal error answered with 200 is transient", zones: []string{"example.com"},
		given: func(e *env) { e.Fake.Fail(fake.Fault{Code: "InternalError", Message: "内部错误。"}) },
		rec:   record("www.example.com", "192.0.2.1"),
		calls: calls{describeDomain: 1}, err: "DescribeDomain: InternalError",
	}, {
		name: "malformed JSON", zones: []string{"example.com"},
		given: func(e *env) { e.Fake.Fail(fake.MalformedJSON) },
		rec:   record("www.example.com", "192.0.2.1"),
		calls: calls{describeDomain: 1}, err: "DescribeDomain: malformed answer",
	}, {
		name: "an HTML error page", zones: []string{"example.com"},
		given: func(e *env) {
			e.Fake.Fail(fake.Fault{Status: 502, Body: "<html>\n<body>Bad Gateway</body></html>"})
		},
		rec:   record("www.example.com", "192.0.2.1"),
		calls: calls{describeDomain: 1}, err: "HTTP 502 Bad Gateway: <html>",
	}, {
		name: "a malformed list answer", zones: []string{"example.com"},
		given: func(e *env) {
			e.Fake.Fail(fake.Fault{Body: `{"Response": {"Error": {"Code": "InvalidParameterValue.DomainNotExists"}}}`})
			e.Fake.Fail(fake.Fault{Body: `{"Response": {"DomainInfo": {"DomainId": 62}}}`})
			e.Fake.Fail(fake.Fault{Body: `{"Response": {"RecordList": {"RecordId": 1}}}`})
		},
		rec:   record("www.example.com", "192.0.2.1"),
		calls: calls{describeDomain: 2, listRecords: 1}, err: "DescribeRecordList: malformed answer",
	}, {
		name: "an invalid parameter is permanent, with the API's code", zones: []string{"example.com"},
		rec:   with(record("www.example.com", "192.0.2.1"), func(r *publish.Record) { r.TTL = -5 }),
		calls: calls{describeDomain: 2, listRecords: 1, createRecord: 1}, perm: true,
		err: "CreateRecord: LimitExceeded.RecordTtlLimit 记录的TTL值超出了限制。",
	}, {
		name: "TTL and line are passed through", zones: []string{"example.com"},
		given: func(e *env) { e.Fake.AddRecord("example.com", "www", "A", "192.0.2.9", "", 0) },
		rec:   with(record("www.example.com", "192.0.2.1"), func(r *publish.Record) { r.TTL, r.Line = 120, "电信" }),
		calls: calls{describeDomain: 2, listRecords: 1, createRecord: 1},
		then: func(t *testing.T, e *env, res publish.Result) {
			recs := e.Fake.Find("example.com", "www", "A")
			if len(recs) != 2 || recs[0].Value != "192.0.2.9" || recs[1].Line != "电信" || recs[1].TTL != 120 || recs[1].Value != "192.0.2.1" {
				t.Errorf("records %+v: want the default line untouched and a 电信 record with TTL 120", recs)
			}
			if !strings.HasSuffix(res.RecordID, "/电信") {
				t.Errorf("record id %q does not remember the line", res.RecordID)
			}
		},
	}, {
		name: "a new TTL updates an otherwise current record", zones: []string{"example.com"},
		given: func(e *env) { e.Fake.AddRecord("example.com", "www", "A", "192.0.2.1", "", 600) },
		rec:   with(record("www.example.com", "192.0.2.1"), func(r *publish.Record) { r.TTL = 60 }),
		calls: calls{describeDomain: 2, listRecords: 1, modifyRecord: 1},
		then: func(t *testing.T, e *env, res publish.Result) {
			if r := e.holds(t, "example.com", "www", "A", "192.0.2.1"); r.TTL != 60 {
				t.Errorf("TTL %d, want 60", r.TTL)
			}
		},
	}, {
		name: "without a line the default line's record is updated", zones: []string{"example.com"},
		given: func(e *env) {
			e.Fake.AddRecord("example.com", "www", "A", "192.0.2.8", "电信", 0)
			e.Fake.AddRecord("example.com", "www", "A", "192.0.2.9", "", 0)
		},
		rec:   record("www.example.com", "192.0.2.1"),
		calls: calls{describeDomain: 2, listRecords: 1, modifyRecord: 1},
		then: func(t *testing.T, e *env, res publish.Result) {
			recs := e.Fake.Find("example.com", "www", "A")
			if recs[0].Value != "192.0.2.8" || recs[1].Value != "192.0.2.1" || recs[1].Line != "默认" {
				t.Errorf("records %+v: want the 默认 one updated", recs)
			}
		},
	}, {
		name: "a record's own line is kept", zones: []string{"example.com"},
		given: func(e *env) { e.Fake.AddRecord("example.com", "www", "A", "192.0.2.8", "联通", 0) },
		rec:   record("www.example.com", "192.0.2.1"),
		calls: calls{describeDomain: 2, listRecords: 1, modifyRecord: 1},
		then: func(t *testing.T, e *env, res publish.Result) {
			if r := e.holds(t, "example.com", "www", "A", "192.0.2.1"); r.Line != "联通" {
				t.Errorf("line %s, want 联通 kept", r.Line)
			}
		},
	}, {
		name: "extra parameters are passed through", zones: []string{"example.com"},
		rec: with(record("www.example.com", "192.0.2.1"), func(r *publish.Record) {
			r.Extra = publish.Extra{{Key: "Remark", Value: "home router"}, {Key: "Weight", Value: "10"}, {Key: "Status", Value: nil}}
		}),
		calls: calls{describeDomain: 2, listRecords: 1, createRecord: 1},
		then: func(t *testing.T, e *env, res publish.Result) {
			r := e.holds(t, "example.com", "www", "A", "192.0.2.1")
			if r.Remark != "home router" || r.Weight == nil || *r.Weight != 10 {
				t.Errorf("created %+v: want the user's remark and weight 10", r)
			}
			reqs := e.Fake.Requests()
			if b := string(reqs[2].Body); strings.Contains(b, "Remark") || strings.Contains(b, "Weight") {
				t.Errorf("extra sent to the listing: %s", b)
			}
		},
	}, {
		name: "an extra the API does not know fails the write, not the listing", zones: []string{"example.com"},
		rec: with(record("www.example.com", "192.0.2.1"), func(r *publish.Record) {
			r.Extra = publish.Extra{{Key: "Color", Value: "blue"}}
		}),
		calls: calls{describeDomain: 2, listRecords: 1, createRecord: 1}, perm: true,
		err: "CreateRecord: UnknownParameter The parameter `Color` is not recognized.",
	}, {
		name: "an extra colliding with a provider parameter is refused before any call", zones: []string{"example.com"},
		rec: with(record("www.example.com", "192.0.2.1"), func(r *publish.Record) {
			r.Extra = publish.Extra{{Key: "TTL", Value: "60"}}
		}),
		calls: calls{}, err: `extra "TTL" would replace`, perm: true,
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, tc.zones...)
			if tc.given != nil {
				tc.given(e)
			}
			res, err := e.provider(t, tc.id, tc.key, tc.now).Set(context.Background(), tc.rec)
			publishtest.Expect(t, err, publishtest.Want(tc.err, tc.perm), "tencentcloud", tc.err, tc.retry, testKey, "Signature=")
			e.ExpectCalls(t, tc.calls)
			if tc.then != nil {
				tc.then(t, e, res)
			}
		})
	}
}

// TestSequence runs one provider through create, update and unchanged:
// the zone is remembered between records, so only the first run asks.
func TestSequence(t *testing.T) {
	e := newEnv(t, "example.com")
	p := e.provider(t, "", "", nil)
	steps := []struct {
		addr      string
		calls     calls
		unchanged bool
	}{
		{"192.0.2.10", calls{describeDomain: 2, listRecords: 1, createRecord: 1}, false},
		{"192.0.2.11", calls{listRecords: 1, modifyRecord: 1}, false},
		{"192.0.2.11", calls{listRecords: 1}, true},
	}
	for i, s := range steps {
		e.Fake.Reset()
		res, err := p.Set(context.Background(), record("home.example.com", s.addr))
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		e.holds(t, "example.com", "home", "A", s.addr)
		e.ExpectCalls(t, s.calls)
		if res.Unchanged != s.unchanged {
			t.Errorf("step %d: result %+v", i, res)
		}
	}
}

// TestHint covers a change with the ids remembered in the state file:
// one call when the record is still there, the full flow when it is gone.
func TestHint(t *testing.T) {
	tests := []struct {
		name   string
		line   string // the remembered record's line ("" = default)
		hint   func(e *env, id string) publish.Hint
		given  func(e *env, id string)
		key    string
		rec    func(r *publish.Record)
		calls  calls
		err    string
		perm   bool
		ttl    int    // the record's TTL afterwards
		onLine string // the line holding 192.0.2.1 afterwards
	}{{
		name:  "one call; the TTL is kept",
		calls: calls{modifyRecord: 1}, ttl: 300, onLine: "默认",
	}, {
		name: "one call; a configured TTL is set", rec: func(r *publish.Record) { r.TTL = 60 },
		calls: calls{modifyRecord: 1}, ttl: 60, onLine: "默认",
	}, {
		name: "one call; a record on another line stays there", line: "电信",
		calls: calls{modifyRecord: 1}, ttl: 300, onLine: "电信",
	}, {
		name: "a configured line that is not the record's: the full flow", rec: func(r *publish.Record) { r.Line = "移动" },
		calls: calls{describeDomain: 2, listRecords: 1, createRecord: 1}, ttl: fake.DefaultTTL, onLine: "移动",
	}, {
		name:  "record deleted: the full flow recreates it",
		given: func(e *env, id string) { e.Fake.DeleteRecord(id) },
		calls: calls{modifyRecord: 1, describeDomain: 2, listRecords: 1, createRecord: 1}, ttl: fake.DefaultTTL, onLine: "默认",
	}, {
		name: "zone id stale: the full flow finds the record",
		hint: func(e *env, id string) publish.Hint {
			return publish.Hint{ZoneID: "999999", ZoneName: "example.com", RecordID: id}
		},
		calls: calls{modifyRecord: 2, describeDomain: 2, listRecords: 1}, ttl: 300, onLine: "默认",
	}, {
		name: "bad credentials: permanent, no fallback", key: "wrongSecretKey0123456789abcdefgh",
		calls: calls{modifyRecord: 1}, err: "AuthFailure.SignatureFailure", perm: true,
	}, {
		name:  "5xx: transient, no fallback",
		given: func(e *env, id string) { e.Fake.Fail(fake.Fault{Status: 500}) },
		calls: calls{modifyRecord: 1}, err: "HTTP 500",
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, "example.com")
			id := e.Fake.AddRecord("example.com", "www", "A", "192.0.2.9", tc.line, 300)
			ref := id
			if tc.line != "" {
				ref += "/" + tc.line
			}
			hint := publish.Hint{ZoneID: e.Zones["example.com"], ZoneName: "example.com", RecordID: ref}
			if tc.hint != nil {
				hint = tc.hint(e, ref)
			}
			if tc.given != nil {
				tc.given(e, id)
			}
			r := record("www.example.com", "192.0.2.1")
			r.Hint = hint
			if tc.rec != nil {
				tc.rec(&r)
			}
			_, err := e.provider(t, "", tc.key, nil).Set(context.Background(), r)
			publishtest.Expect(t, err, publishtest.Want(tc.err, tc.perm), "tencentcloud", tc.err, 0, testKey, "Signature=")
			if errors.Is(err, publish.ErrNotFound) {
				t.Fatalf("Set: %v: a stale id is not the caller's business", err)
			}
			e.ExpectCalls(t, tc.calls)
			if tc.err != "" {
				return
			}
			var got *fake.Record
			for _, rec := range e.Fake.Find("example.com", "www", "A") {
				if rec.Value == "192.0.2.1" {
					got = &rec
				}
			}
			if got == nil || got.TTL != tc.ttl || got.Line != tc.onLine {
				t.Errorf("records %+v: want 192.0.2.1 on %s with TTL %d", e.Fake.Find("example.com", "www", "A"), tc.onLine, tc.ttl)
			}
		})
	}
}

// TestModifySendsWhatTheAPIRequires checks a ModifyRecord by id: the zone
// by id, the sub-domain (a missing one would rename the record to "@"),
// the record's line and the default remark.
func TestModifySendsWhatTheAPIRequires(t *testing.T) {
	e := newEnv(t, "example.com")
	id := e.Fake.AddRecord("example.com", "@", "A", "192.0.2.9", "", 0)
	r := record("example.com", "192.0.2.1")
	r.Hint = publish.Hint{ZoneID: e.Zones["example.com"], ZoneName: "example.com", RecordID: id}
	if _, err := e.provider(t, "", "", nil).Set(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	want := `{"Domain": "", "DomainId": ` + e.Zones["example.com"] + `, "SubDomain": "@", "RecordId": ` + id +
		`, "RecordType": "A", "RecordLine": "\u9ed8\u8ba4", "Value": "192.0.2.1", "Remark": "` + remark + `"}`
	if got := string(e.Fake.Requests()[0].Body); got != want {
		t.Errorf("body\n got %s\nwant %s", got, want)
	}
}

// TestNew: the constructor's checks; every name of the original selects
// this provider.
func TestNew(t *testing.T) {
	publishtest.ExpectNew(t, publishtest.Constructor{Build: tencentcloud.New,
		NoID: "tencentcloud: id must be configured", NoToken: "tencentcloud: token must be configured", Names: []string{"tencentcloud", "tencent", "QCloud"}},
		publishtest.Construction{Settings: publish.Settings{ID: "i", Token: "k", Endpoint: "dnspod.tencentcloudapi.com"}, Err: "not an http(s) URL"},
		publishtest.Construction{Settings: publish.Settings{ID: "i", Token: "k", Endpoint: "https://dnspod.ap-guangzhou.tencentcloudapi.com"}})
	if info, ok := publish.InfoOf("qcloud"); !ok || !info.Readable || !info.Creates || !info.TTL || !info.Line {
		t.Errorf("info %+v", info)
	}
}

// TestEndpointTrailingSlash: "https://host/" is requested as "/", not "//".
func TestEndpointTrailingSlash(t *testing.T) {
	e := newEnv(t, "example.com")
	publishtest.ExpectSlash(t, tencentcloud.New, e.Settings(testID, testKey, nil), record("www.example.com", "192.0.2.1"))
	e.ExpectCalls(t, calls{describeDomain: 2, listRecords: 1, createRecord: 1})
}

// TestFakeChecksSignatures: the fake refuses any request changed after
// signing, as the gateway does, so the matrix above proves the provider
// signs what it sends.
func TestFakeChecksSignatures(t *testing.T) {
	publishtest.ExpectSigned(t, publishtest.Signed{
		Build: tencentcloud.New, ID: testID, Token: testKey,
		Fake:    func(t *testing.T) http.Handler { return newEnv(t, "example.com").Fake },
		Refused: "AuthFailure.SignatureFailure", Missing: "AuthFailure.InvalidAuthorization",
	}, publishtest.Tampered{Name: "content type", Change: func(r *http.Request) { r.Header.Set("Content-Type", "text/plain") }, Want: "AuthFailure.SignatureFailure"},
		publishtest.Tampered{Name: "timestamp", Change: func(r *http.Request) {
			r.Header.Set("X-TC-Timestamp", itoa(int(time.Now().Unix()+60)))
		}, Want: "AuthFailure.SignatureFailure"},
		publishtest.Tampered{Name: "secret id", Change: func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), testID, "AKIDother", 1))
		}, Want: "AuthFailure.SecretIdNotFound"},
		publishtest.Tampered{Name: "version", Change: func(r *http.Request) { r.Header.Set("X-TC-Version", "2018-08-08") }, Want: "NoSuchVersion"})
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestConformance runs the provider test kit's suite.
func TestConformance(t *testing.T) { publishtest.Run(t, fake.Service) }
