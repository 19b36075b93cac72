package edgeone_test

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/edgeone"
	fake "github.com/ddns-go/ddns/publish/edgeone/edgeonefake"
	"github.com/ddns-go/ddns/publish/publishtest"
	tc "github.com/ddns-go/ddns/publish/tencentcloud/tencentcloudfake"
)

const (
	testID  = "AKIDedgeoneTestSecretId012345678"
	testKey = "edgeoneTestSecretKey0123456789ab"
	wrong   = "wrongSecretKey0123456789abcdefgh"
)

// Action names, for call assertions.
const (
	zones        = "DescribeZones"
	listRecords  = "DescribeDnsRecords"
	createRecord = "CreateDnsRecord"
	modifyRecord = "ModifyDnsRecords"
	listDomains  = "DescribeAccelerationDomains"
	createDomain = "CreateAccelerationDomain"
	modifyDomain = "ModifyAccelerationDomain"
)

// env is one fake account and the server it answers on.
type env struct {
	*publishtest.Account[*fake.Fake]
}

func newEnv(t *testing.T, names ...string) *env {
	f := fake.New(testID, testKey)
	return &env{publishtest.NewAccount(t, f, f.AddZone, names...)}
}

// provider builds the named provider ("edgeone" or "edgeone_dns")
// against the fake; key "" means the right one.
func (e *env) provider(t *testing.T, name, key string, now func() time.Time) publish.Provider {
	build := edgeone.New
	if name == "edgeone_dns" {
		build = edgeone.NewDNS
	}
	return publishtest.Provider(t, build, e.Settings(testID, cmp.Or(key, testKey), now))
}

var record = publishtest.Rec

// calls is the expected number of requests of each action.
type calls map[string]int

// dnsRecord returns the only DNS record called name of type typ.
func (e *env) dnsRecord(t *testing.T, name, typ string) fake.DNSRecord {
	t.Helper()
	var out []fake.DNSRecord
	for _, r := range e.Fake.DNSRecords() {
		if r.Name == name && r.Type == typ {
			out = append(out, r)
		}
	}
	if len(out) != 1 {
		t.Fatalf("%s %s records: %+v, want one", name, typ, out)
	}
	return out[0]
}

// domain returns the only acceleration domain.
func (e *env) domain(t *testing.T) fake.Domain {
	t.Helper()
	ds := e.Fake.Domains()
	if len(ds) != 1 {
		t.Fatalf("acceleration domains %+v, want one", ds)
	}
	return ds[0]
}

type testCase struct {
	name     string
	provider string // "edgeone" or "edgeone_dns"
	zones    []string
	given    func(e *env)
	key      string           // "" = the right SecretKey
	now      func() time.Time // nil = time.Now
	rec      publish.Record
	calls    calls
	err      string // substring of the error; "" = success
	perm     bool
	retry    time.Duration
	then     func(t *testing.T, e *env, res publish.Result)
}

func run(t *testing.T, tests []testCase) {
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, tc.zones...)
			if tc.given != nil {
				tc.given(e)
			}
			res, err := e.provider(t, tc.provider, tc.key, tc.now).Set(context.Background(), tc.rec)
			publishtest.Expect(t, err, publishtest.Want(tc.err, tc.perm), tc.provider, tc.err, tc.retry, testKey, wrong, "Signature=")
			e.ExpectCalls(t, tc.calls)
			if tc.then != nil {
				tc.then(t, e, res)
			}
		})
	}
}

// TestDNS is the matrix of edgeone_dns: DNS records of a site.
func TestDNS(t *testing.T) {
	const p = "edgeone_dns"
	ex := []string{"example.com"}
	run(t, []testCase{{
		name: "create", provider: p, zones: ex,
		rec:   record("www.example.com", "192.0.2.1"),
		calls: calls{zones: 2, listRecords: 1, createRecord: 1},
		then: func(t *testing.T, e *env, res publish.Result) {
			r := e.dnsRecord(t, "www.example.com", "A")
			if r.Content != "192.0.2.1" || r.TTL != fake.DefaultTTL {
				t.Errorf("created %+v", r)
			}
			if want := (publish.Result{ZoneID: e.Zones["example.com"], ZoneName: "example.com", RecordID: r.ID}); res != want {
				t.Errorf("result %+v, want %+v", res, want)
			}
		},
	}, {
		name: "create AAAA next to an A record", provider: p, zones: ex,
		given: func(e *env) { e.Fake.AddDNSRecord("example.com", "www.example.com", "A", "192.0.2.9") },
		rec:   record("www.example.com", "2001:db8::1"),
		calls: calls{zones: 2, listRecords: 1, createRecord: 1},
		then: func(t *testing.T, e *env, res publish.Result) {
			if r := e.dnsRecord(t, "www.example.com", "AAAA"); r.Content != "2001:db8::1" {
				t.Errorf("created %+v", r)
			}
			if r := e.dnsRecord(t, "www.example.com", "A"); r.Content != "192.0.2.9" {
				t.Errorf("A record changed: %+v", r)
			}
		},
	}, {
		name: "update", provider: p, zones: ex,
		given: func(e *env) { e.Fake.AddDNSRecord("example.com", "www.example.com", "A", "192.0.2.9") },
		rec:   record("www.example.com", "192.0.2.1"),
		calls: calls{zones: 2, listRecords: 1, modifyRecord: 1},
		then: func(t *testing.T, e *env, res publish.Result) {
			if r := e.dnsRecord(t, "www.example.com", "A"); r.Content != "192.0.2.1" || r.ID != res.RecordID || res.Unchanged {
				t.Errorf("record %+v, result %+v", r, res)
			}
		},
	}, {
		name: "unchanged makes no write", provider: p, zones: ex,
		given: func(e *env) { e.Fake.AddDNSRecord("example.com", "www.example.com", "A", "192.0.2.1") },
		rec:   record("www.example.com", "192.0.2.1"),
		calls: calls{zones: 2, listRecords: 1},
		then: func(t *testing.T, e *env, res publish.Result) {
			if !res.Unchanged || res.RecordID == "" {
				t.Errorf("result %+v, want Unchanged with the record id", res)
			}
		},
	}, {
		name: "multi-level sub-domain in the parent zone", provider: p, zones: ex,
		rec:   record("a.b.example.com", "192.0.2.1"),
		calls: calls{zones: 3, listRecords: 1, createRecord: 1},
		then: func(t *testing.T, e *env, res publish.Result) {
			if r := e.dnsRecord(t, "a.b.example.com", "A"); r.ZoneID != e.Zones["example.com"] {
				t.Errorf("created %+v in the wrong site", r)
			}
		},
	}, {
		name: "apex", provider: p, zones: ex,
		rec:   record("example.com", "192.0.2.1"),
		calls: calls{zones: 1, listRecords: 1, createRecord: 1},
		then:  func(t *testing.T, e *env, res publish.Result) { e.dnsRecord(t, "example.com", "A") },
	}, {
		name: "explicit zone separator", provider: p, zones: ex,
		rec:   record("www~example.com", "192.0.2.1"),
		calls: calls{zones: 1, listRecords: 1, createRecord: 1},
		then:  func(t *testing.T, e *env, res publish.Result) { e.dnsRecord(t, "www.example.com", "A") },
	}, {
		name: "zone not found", provider: p, zones: ex,
		rec:   record("www.example.org", "192.0.2.1"),
		calls: calls{zones: 2}, err: "no zone of www.example.org", perm: true,
	}, {
		name: "bad credentials: permanent, one request", provider: p, zones: ex, key: wrong,
		rec:   record("www.example.com", "192.0.2.1"),
		calls: calls{zones: 1}, perm: true,
		err: "edgeone_dns: DescribeZones: AuthFailure.SignatureFailure 请求签名验证失败，请检查您的签名计算是否正确。 (check id = SecretId and token = SecretKey)",
	}, {
		name: "a clock 10 minutes ahead is transient", provider: p, zones: ex,
		now:   func() time.Time { return time.Now().Add(10 * time.Minute) },
		rec:   record("www.example.com", "192.0.2.1"),
		calls: calls{zones: 1}, err: "AuthFailure.SignatureExpire",
	}, {
		name: "throttled is transient", provider: p, zones: ex,
		given: func(e *env) { e.Fake.Fail(tc.Throttled) },
		rec:   record("www.example.com", "192.0.2.1"),
		calls: calls{zones: 1}, err: "DescribeZones: RequestLimitExceeded",
	}, {
		name: "429 is transient with Retry-After", provider: p, zones: ex,
		given: func(e *env) { e.Fake.Fail(tc.Fault{Status: 429, RetryAfter: "7"}) },
		rec:   record("www.example.com", "192.0.2.1"),
		calls: calls{zones: 1}, err: "HTTP 429", retry: 7 * time.Second,
	}, {
		name: "5xx is transient", provider: p, zones: ex,
		given: func(e *env) { e.Fake.Fail(tc.Fault{Status: 502}) },
		rec:   record("www.example.com", "192.0.2.1"),
		calls: calls{zones: 1}, err: "HTTP 502 Bad Gateway: InternalError",
	}, {
		name: "malformed JSON", provider: p, zones: ex,
		given: func(e *env) { e.Fake.Fail(tc.MalformedJSON) },
		rec:   record("www.example.com", "192.0.2.1"),
		calls: calls{zones: 1}, err: "DescribeZones: malformed answer",
	}, {
		name: "a malformed record list", provider: p, zones: ex,
		given: func(e *env) {
			e.Fake.Fail(tc.Fault{Body: `{"Response": {"Zones": []}}`})
			e.Fake.Fail(tc.Fault{Body: `{"Response": {"Zones": [{"ZoneId": "zone-1", "ZoneName": "example.com"}]}}`})
			e.Fake.Fail(tc.Fault{Body: `{"Response": {"DnsRecords": [{"RecordId": ["x"]}]}}`})
		},
		rec:   record("www.example.com", "192.0.2.1"),
		calls: calls{zones: 2, listRecords: 1}, err: "DescribeDnsRecords: malformed answer",
	}, {
		name: "an invalid parameter is permanent, with the API's code", provider: p, zones: ex,
		rec:   record("www.example.com", "192.0.2.1", publish.KV{Key: "TTL", Value: "5"}),
		calls: calls{zones: 2, listRecords: 1, createRecord: 1}, perm: true,
		err: "CreateDnsRecord: InvalidParameterValue",
	}, {
		name: "TTL is not sent; the TTL extra is, inside the record on update", provider: p, zones: ex,
		given: func(e *env) { e.Fake.AddDNSRecord("example.com", "www.example.com", "A", "192.0.2.9") },
		rec: func() publish.Record {
			r := record("www.example.com", "192.0.2.1", publish.KV{Key: "TTL", Value: "600"})
			r.TTL, r.Line = 120, "电信"
			return r
		}(),
		calls: calls{zones: 2, listRecords: 1, modifyRecord: 1},
		then: func(t *testing.T, e *env, res publish.Result) {
			if r := e.dnsRecord(t, "www.example.com", "A"); r.TTL != 600 || r.Location != "Default" {
				t.Errorf("record %+v: want TTL 600 from extra, the line untouched", r)
			}
			reqs := e.Fake.Requests()
			if b := string(reqs[len(reqs)-1].Body); !strings.Contains(b, `"Content": "192.0.2.1", "TTL": 600}]}`) {
				t.Errorf("ModifyDnsRecords body %s: want TTL inside the record", b)
			}
		},
	}, {
		name: "extra fields are created with the record", provider: p, zones: ex,
		rec:   record("www.example.com", "192.0.2.1", publish.KV{Key: "TTL", Value: "900"}, publish.KV{Key: "Weight", Value: nil}),
		calls: calls{zones: 2, listRecords: 1, createRecord: 1},
		then: func(t *testing.T, e *env, res publish.Result) {
			if r := e.dnsRecord(t, "www.example.com", "A"); r.TTL != 900 || r.Weight != nil {
				t.Errorf("record %+v: want TTL 900 and no weight", r)
			}
		},
	}, {
		name: "an extra colliding with a provider parameter is refused before any call", provider: p, zones: ex,
		rec:   record("www.example.com", "192.0.2.1", publish.KV{Key: "Content", Value: "192.0.2.2"}),
		calls: calls{}, err: `extra "Content" would replace`, perm: true,
	}, {
		name: "teoDomainType switches to acceleration domains", provider: p, zones: ex,
		rec:   record("www.example.com", "192.0.2.1", publish.KV{Key: "teoDomainType", Value: "Acceleration"}),
		calls: calls{zones: 2, listDomains: 1, createDomain: 1},
		then: func(t *testing.T, e *env, res publish.Result) {
			if d := e.domain(t); d.Origin != "192.0.2.1" || len(e.Fake.DNSRecords()) != 0 {
				t.Errorf("domain %+v, records %+v", d, e.Fake.DNSRecords())
			}
		},
	}})
}

// TestAcceleration is the matrix of edgeone: the origin of an
// acceleration domain.
func TestAcceleration(t *testing.T) {
	const p = "edgeone"
	ex := []string{"example.com"}
	run(t, []testCase{{
		name: "create", provider: p, zones: ex,
		rec:   record("www.example.com", "192.0.2.1"),
		calls: calls{zones: 2, listDomains: 1, createDomain: 1},
		then: func(t *testing.T, e *env, res publish.Result) {
			d := e.domain(t)
			if d.Name != "www.example.com" || d.OriginType != "IP_DOMAIN" || d.Origin != "192.0.2.1" || d.BackupOrigin != "" {
				t.Errorf("created %+v", d)
			}
			if want := (publish.Result{ZoneID: e.Zones["example.com"], ZoneName: "example.com", RecordID: "www.example.com"}); res != want {
				t.Errorf("result %+v, want %+v", res, want)
			}
		},
	}, {
		name: "update keeps the backup origin", provider: p, zones: ex,
		given: func(e *env) { e.Fake.AddDomain("example.com", "www.example.com", "192.0.2.9", "backup.example.net") },
		rec:   record("www.example.com", "192.0.2.1"),
		calls: calls{zones: 2, listDomains: 1, modifyDomain: 1},
		then: func(t *testing.T, e *env, res publish.Result) {
			if d := e.domain(t); d.Origin != "192.0.2.1" || d.BackupOrigin != "backup.example.net" {
				t.Errorf("domain %+v", d)
			}
		},
	}, {
		name: "unchanged makes no write", provider: p, zones: ex,
		given: func(e *env) { e.Fake.AddDomain("example.com", "www.example.com", "192.0.2.1", "") },
		rec:   record("www.example.com", "192.0.2.1"),
		calls: calls{zones: 2, listDomains: 1},
		then: func(t *testing.T, e *env, res publish.Result) {
			if !res.Unchanged {
				t.Errorf("result %+v, want Unchanged", res)
			}
		},
	}, {
		name: "an IPv6 address replaces the one origin", provider: p, zones: ex,
		given: func(e *env) { e.Fake.AddDomain("example.com", "www.example.com", "192.0.2.1", "") },
		rec:   record("www.example.com", "2001:db8::1"),
		calls: calls{zones: 2, listDomains: 1, modifyDomain: 1},
		then: func(t *testing.T, e *env, res publish.Result) {
			if d := e.domain(t); d.Origin != "2001:db8::1" {
				t.Errorf("domain %+v", d)
			}
		},
	}, {
		name: "apex", provider: p, zones: ex,
		rec:   record("example.com", "192.0.2.1"),
		calls: calls{zones: 1, listDomains: 1, createDomain: 1},
		then: func(t *testing.T, e *env, res publish.Result) {
			if d := e.domain(t); d.Name != "example.com" {
				t.Errorf("domain %+v", d)
			}
		},
	}, {
		name: "zone not found", provider: p, zones: ex,
		rec:   record("www.example.org", "192.0.2.1"),
		calls: calls{zones: 2}, err: "no zone of www.example.org", perm: true,
	}, {
		name: "bad credentials: permanent, one request", provider: p, zones: ex, key: wrong,
		rec:   record("www.example.com", "192.0.2.1"),
		calls: calls{zones: 1}, err: "edgeone: DescribeZones: AuthFailure.SignatureFailure", perm: true,
	}, {
		name: "a failed write is reported with the API's code", provider: p, zones: ex,
		rec:   record("www.example.com", "192.0.2.1", publish.KV{Key: "OriginProtocol", Value: 42}),
		calls: calls{zones: 2, listDomains: 1, createDomain: 1}, perm: true,
		err: "CreateAccelerationDomain: InvalidParameter The value type of parameter `OriginProtocol` is incorrect.",
	}, {
		name: "extra parameters are sent", provider: p, zones: ex,
		rec:   record("www.example.com", "192.0.2.1", publish.KV{Key: "OriginProtocol", Value: "HTTPS"}),
		calls: calls{zones: 2, listDomains: 1, createDomain: 1},
		then: func(t *testing.T, e *env, res publish.Result) {
			reqs := e.Fake.Requests()
			if b := string(reqs[len(reqs)-1].Body); !strings.HasSuffix(b, `"OriginProtocol": "HTTPS"}`) {
				t.Errorf("body %s", b)
			}
		},
	}, {
		name: "teoDomainType dns switches to DNS records", provider: p, zones: ex,
		rec:   record("www.example.com", "192.0.2.1", publish.KV{Key: "teoDomainType", Value: "DNS"}),
		calls: calls{zones: 2, listRecords: 1, createRecord: 1},
		then: func(t *testing.T, e *env, res publish.Result) {
			e.dnsRecord(t, "www.example.com", "A")
			reqs := e.Fake.Requests()
			if b := string(reqs[len(reqs)-1].Body); strings.Contains(b, "teoDomainType") {
				t.Errorf("teoDomainType sent: %s", b)
			}
		},
	}, {
		name: "an extra colliding with a provider parameter is refused", provider: p, zones: ex,
		rec:   record("www.example.com", "192.0.2.1", publish.KV{Key: "OriginInfo", Value: "x"}),
		calls: calls{}, err: `extra "OriginInfo" would replace`, perm: true,
	}})
}

// TestHint covers a change with the ids remembered in the state file.
func TestHint(t *testing.T) {
	type hintCase struct {
		name     string
		provider string
		given    func(e *env, id string) // after the record exists
		hint     func(e *env, id string) publish.Hint
		key      string
		calls    calls
		err      string
		perm     bool
		check    func(t *testing.T, e *env)
	}
	dnsHolds := func(t *testing.T, e *env) {
		if r := e.dnsRecord(t, "www.example.com", "A"); r.Content != "192.0.2.1" {
			t.Errorf("record %+v", r)
		}
	}
	originIs := func(t *testing.T, e *env) {
		if d := e.domain(t); d.Origin != "192.0.2.1" || d.BackupOrigin != "backup.example.net" {
			t.Errorf("domain %+v", d)
		}
	}
	tests := []hintCase{{
		name: "DNS: one call", provider: "edgeone_dns",
		calls: calls{modifyRecord: 1}, check: dnsHolds,
	}, {
		name: "DNS: record deleted, the full flow recreates it", provider: "edgeone_dns",
		given: func(e *env, id string) { e.Fake.DeleteDNSRecord(id) },
		calls: calls{modifyRecord: 1, zones: 2, listRecords: 1, createRecord: 1}, check: dnsHolds,
	}, {
		name: "DNS: site id stale, the full flow finds the record", provider: "edgeone_dns",
		hint: func(e *env, id string) publish.Hint {
			return publish.Hint{ZoneID: "zone-000000000000", ZoneName: "example.com", RecordID: id}
		},
		calls: calls{modifyRecord: 2, zones: 2, listRecords: 1}, check: dnsHolds,
	}, {
		name: "DNS: bad credentials, permanent, no fallback", provider: "edgeone_dns", key: wrong,
		calls: calls{modifyRecord: 1}, err: "AuthFailure.SignatureFailure", perm: true,
	}, {
		name: "DNS: 5xx, transient, no fallback", provider: "edgeone_dns",
		given: func(e *env, id string) { e.Fake.Fail(tc.Fault{Status: 500}) },
		calls: calls{modifyRecord: 1}, err: "HTTP 500",
	}, {
		name: "acceleration: read then modify, keeping the backup origin", provider: "edgeone",
		calls: calls{listDomains: 1, modifyDomain: 1}, check: originIs,
	}, {
		name: "acceleration: domain deleted, the full flow recreates it", provider: "edgeone",
		given: func(e *env, id string) { e.Fake.DeleteDomain("www.example.com") },
		calls: calls{listDomains: 2, zones: 2, createDomain: 1},
		check: func(t *testing.T, e *env) {
			if d := e.domain(t); d.Origin != "192.0.2.1" {
				t.Errorf("domain %+v", d)
			}
		},
	}, {
		name: "acceleration: a DNS record id remembered, the full flow", provider: "edgeone",
		hint: func(e *env, id string) publish.Hint {
			return publish.Hint{ZoneID: e.Zones["example.com"], ZoneName: "example.com", RecordID: "record-1"}
		},
		calls: calls{zones: 2, listDomains: 1, modifyDomain: 1}, check: originIs,
	}, {
		name: "acceleration: bad credentials, permanent, no fallback", provider: "edgeone", key: wrong,
		calls: calls{listDomains: 1}, err: "AuthFailure.SignatureFailure", perm: true,
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, "example.com")
			id := "www.example.com"
			if tc.provider == "edgeone_dns" {
				id = e.Fake.AddDNSRecord("example.com", "www.example.com", "A", "192.0.2.9")
			} else {
				e.Fake.AddDomain("example.com", "www.example.com", "192.0.2.9", "backup.example.net")
			}
			hint := publish.Hint{ZoneID: e.Zones["example.com"], ZoneName: "example.com", RecordID: id}
			if tc.hint != nil {
				hint = tc.hint(e, id)
			}
			if tc.given != nil {
				tc.given(e, id)
			}
			r := record("www.example.com", "192.0.2.1")
			r.Hint = hint
			_, err := e.provider(t, tc.provider, tc.key, nil).Set(context.Background(), r)
			publishtest.Expect(t, err, publishtest.Want(tc.err, tc.perm), tc.provider, tc.err, 0, testKey, wrong, "Signature=")
			if errors.Is(err, publish.ErrNotFound) {
				t.Fatalf("Set: %v: a stale id is not the caller's business", err)
			}
			e.ExpectCalls(t, tc.calls)
			if tc.check != nil {
				tc.check(t, e)
			}
		})
	}
}

// TestNew: the constructor's checks; every name of the original selects
// one of the two.
func TestNew(t *testing.T) {
	names := []string{"edgeone", "edgeone_acc", "teo_acc", "TEO", "edgeone_dns", "teo_dns", "edgeone_noacc"}
	publishtest.ExpectNew(t, publishtest.Constructor{Build: edgeone.New,
		NoID: "edgeone: id must be configured", NoToken: "edgeone: token must be configured", Names: names},
		publishtest.Construction{Settings: publish.Settings{ID: "i", Token: "k", Endpoint: "ftp://teo.tencentcloudapi.com"}, Err: "not an http(s) URL"},
		publishtest.Construction{Settings: publish.Settings{ID: "i", Token: "k", Endpoint: "https://teo.intl.tencentcloudapi.com"}})
	for _, name := range names {
		if info, ok := publish.InfoOf(name); !ok || !info.Readable || !info.Creates || info.TTL || info.Line {
			t.Errorf("%s: info %+v", name, info)
		}
	}
}

// TestFakeChecksSignatures: the fake refuses any request changed after
// signing, or signed for another service, as the gateway does.
func TestFakeChecksSignatures(t *testing.T) {
	publishtest.ExpectSigned(t, publishtest.Signed{
		Build: edgeone.NewDNS, ID: testID, Token: testKey,
		Fake:    func(t *testing.T) http.Handler { return newEnv(t, "example.com").Fake },
		Refused: "AuthFailure.SignatureFailure", Missing: "AuthFailure.InvalidAuthorization",
	}, publishtest.Tampered{Name: "service", Change: func(r *http.Request) {
		r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "/teo/", "/dnspod/", 1))
	}, Want: "AuthFailure.SignatureFailure"},
		publishtest.Tampered{Name: "version", Change: func(r *http.Request) { r.Header.Set("X-TC-Version", "2022-01-06") }, Want: "NoSuchVersion"})
}

// TestConformance runs the provider test kit's suite.
func TestConformance(t *testing.T) { publishtest.Run(t, fake.Service) }
