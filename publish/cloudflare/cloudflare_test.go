package cloudflare_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/cloudflare"
	cf "github.com/ddns-go/ddns/publish/cloudflare/cloudflarefake"
	"github.com/ddns-go/ddns/publish/publishtest"
)

// Test credentials in the service's formats: a 40-character API token,
// a 37-hex-digit Global API Key.
const (
	token    = "Xx7_tEsT-t0kEn-0123456789abcdefABCDEF012"
	email    = "user@example.com"
	key      = "c2547eb745079dac9320b638f5e225cf483cc"
	badToken = "Xx7_tEsT-t0kEn-0123456789abcdefABCDEF999"
	badKey   = "0000000000000000000000000000000000000"
)

var creds = cf.Credentials{Token: token, Email: email, Key: key}

// world is a fake API with some zones, served on a local port.
type world struct {
	fake *cf.Fake
	url  string
	http *http.Client
}

func newWorld(t *testing.T, zones ...string) *world {
	t.Helper()
	f := cf.New(creds)
	for _, z := range zones {
		f.AddZone(z)
	}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return &world{fake: f, url: srv.URL, http: srv.Client()}
}

// provider builds the provider against w with id and token.
func (w *world) provider(t *testing.T, id, tok string) publish.Provider {
	t.Helper()
	p, err := cloudflare.New(publish.Settings{ID: id, Token: tok, Endpoint: w.url, HTTP: w.http, Log: zerolog.Nop(), Now: func() time.Time { return vectorClock }})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func a4(s string) netip.Addr { return netip.MustParseAddr(s) }

func TestNew(t *testing.T) {
	tests := []struct {
		id, token, endpoint string
		wantErr             string
	}{
		{"", token, "", ""},
		{email, key, "", ""},
		{"", token, "http://127.0.0.1:1/", ""},
		{"", "", "", "cloudflare: token must be configured"},
		{email, "", "", "cloudflare: token must be configured"},
		{"1234567", key, "", "cloudflare: id must be empty (API token) or the account e-mail"},
	}
	for _, tt := range tests {
		_, err := cloudflare.New(publish.Settings{ID: tt.id, Token: tt.token, Endpoint: tt.endpoint})
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("New(%q, …): %v", tt.id, err)
		case tt.wantErr != "" && (err == nil || !strings.HasPrefix(err.Error(), tt.wantErr)):
			t.Errorf("New(%q, …) = %v, want %q…", tt.id, err, tt.wantErr)
		case err != nil && strings.Contains(err.Error(), "\n"):
			t.Errorf("New: multi-line error %q", err)
		}
	}
	if _, ok := publish.Canonical("CloudFlare"); !ok {
		t.Error("cloudflare is not a known name")
	}
}

// calls is the expected number of requests by kind; absent kinds are 0.
type calls map[string]int

// The outcomes, as the table rows name them.
const succeeds, permanent, transient = publishtest.Succeeds, publishtest.Permanent, publishtest.Transient

// TestSet runs the acceptance matrix against the fake: each case starts
// from the zones and records given, publishes one record and checks the
// outcome, the error class, the requests made by kind and the final state.
func TestSet(t *testing.T) {
	type existing struct {
		zone string
		rec  cf.Record
	}
	tests := []struct {
		name      string
		zones     []string
		records   []existing
		id, tok   string
		faults    []cf.Fault
		rec       publish.Record
		want      publishtest.Outcome
		wantText  string        // in the error
		retry     time.Duration // RetryAfter of the error
		unchanged bool
		calls     calls
		check     func(t *testing.T, f *cf.Fake)
	}{
		{
			name:  "create with an API token",
			zones: []string{"example.com"},
			rec:   publish.Record{Domain: "home.example.com", Type: "A", Addr: a4("192.0.2.10")},
			// home.example.com is tried as a zone first: the longest wins.
			calls: calls{cf.KindZones: 2, cf.KindList: 1, cf.KindCreate: 1},
			check: holds("home.example.com", "A", "192.0.2.10", "example.com", 1),
		},
		{
			name:  "create with the Global API Key",
			zones: []string{"example.com"},
			id:    email,
			tok:   key,
			rec:   publish.Record{Domain: "home.example.com", Type: "AAAA", Addr: a4("2001:db8::10")},
			calls: calls{cf.KindZones: 2, cf.KindList: 1, cf.KindCreate: 1},
			check: holds("home.example.com", "AAAA", "2001:db8::10", "example.com", 1),
		},
		{
			name:    "update keeps proxied, tags, settings and a manual TTL",
			zones:   []string{"example.com"},
			records: []existing{{"example.com", cf.Record{Name: "home.example.com", Type: "A", Content: "192.0.2.1", TTL: 300, Proxied: true, Tags: []string{"env:home"}, Settings: map[string]any{"ipv4_only": true}}}},
			rec:     publish.Record{Domain: "home.example.com", Type: "A", Addr: a4("192.0.2.10")},
			calls:   calls{cf.KindZones: 2, cf.KindList: 1, cf.KindOverwrite: 1},
			check: func(t *testing.T, f *cf.Fake) {
				r := only(t, f, "home.example.com", "A")
				if r.Content != "192.0.2.10" || r.TTL != 300 || !r.Proxied || len(r.Tags) != 1 || r.Settings["ipv4_only"] != true {
					t.Errorf("after update: %+v", r)
				}
			},
		},
		{
			name:      "unchanged makes no write",
			zones:     []string{"example.com"},
			records:   []existing{{"example.com", cf.Record{Name: "home.example.com", Type: "A", Content: "192.0.2.10"}}},
			rec:       publish.Record{Domain: "home.example.com", Type: "A", Addr: a4("192.0.2.10")},
			unchanged: true,
			calls:     calls{cf.KindZones: 2, cf.KindList: 1},
		},
		{
			name:    "a configured TTL that differs is a change",
			zones:   []string{"example.com"},
			records: []existing{{"example.com", cf.Record{Name: "home.example.com", Type: "A", Content: "192.0.2.10"}}},
			rec:     publish.Record{Domain: "home.example.com", Type: "A", Addr: a4("192.0.2.10"), TTL: 600},
			calls:   calls{cf.KindZones: 2, cf.KindList: 1, cf.KindOverwrite: 1},
			check:   holds("home.example.com", "A", "192.0.2.10", "example.com", 600),
		},
		{
			name:  "TTL passed through on create, line ignored",
			zones: []string{"example.com"},
			rec:   publish.Record{Domain: "home.example.com", Type: "A", Addr: a4("192.0.2.10"), TTL: 300, Line: "电信"},
			calls: calls{cf.KindZones: 2, cf.KindList: 1, cf.KindCreate: 1},
			check: holds("home.example.com", "A", "192.0.2.10", "example.com", 300),
		},
		{
			name:  "multi-level sub-domain in the parent zone",
			zones: []string{"example.com"},
			rec:   publish.Record{Domain: "a.b.example.com", Type: "A", Addr: a4("192.0.2.10")},
			calls: calls{cf.KindZones: 3, cf.KindList: 1, cf.KindCreate: 1},
			check: holds("a.b.example.com", "A", "192.0.2.10", "example.com", 1),
		},
		{
			name:  "apex",
			zones: []string{"example.com"},
			rec:   publish.Record{Domain: "example.com", Type: "A", Addr: a4("192.0.2.10")},
			calls: calls{cf.KindZones: 1, cf.KindList: 1, cf.KindCreate: 1},
			check: holds("example.com", "A", "192.0.2.10", "example.com", 1),
		},
		{
			name:  "explicit zone with ~",
			zones: []string{"example.com", "b.example.com"},
			rec:   publish.Record{Domain: "a.b~example.com", Type: "A", Addr: a4("192.0.2.10")},
			calls: calls{cf.KindZones: 1, cf.KindList: 1, cf.KindCreate: 1},
			check: holds("a.b.example.com", "A", "192.0.2.10", "example.com", 1),
		},
		{
			name: "several records: the first is updated, the others left",
			records: []existing{
				{"example.com", cf.Record{Name: "home.example.com", Type: "A", Content: "192.0.2.1"}},
				{"example.com", cf.Record{Name: "home.example.com", Type: "A", Content: "192.0.2.2"}},
			},
			zones: []string{"example.com"},
			rec:   publish.Record{Domain: "home.example.com", Type: "A", Addr: a4("192.0.2.10")},
			calls: calls{cf.KindZones: 2, cf.KindList: 1, cf.KindOverwrite: 1},
			check: func(t *testing.T, f *cf.Fake) {
				rs := f.Records("home.example.com", "A")
				if len(rs) != 2 || rs[0].Content != "192.0.2.10" || rs[1].Content != "192.0.2.2" {
					t.Errorf("records: %+v", rs)
				}
			},
		},
		{
			name:    "extra proxied: filtered list, fallback, switched over",
			zones:   []string{"example.com"},
			records: []existing{{"example.com", cf.Record{Name: "home.example.com", Type: "A", Content: "192.0.2.10"}}},
			rec:     publish.Record{Domain: "home.example.com", Type: "A", Addr: a4("192.0.2.10"), Extra: publish.Extra{{Key: "proxied", Value: "true"}}},
			calls:   calls{cf.KindZones: 2, cf.KindList: 2, cf.KindOverwrite: 1},
			check: func(t *testing.T, f *cf.Fake) {
				if r := only(t, f, "home.example.com", "A"); !r.Proxied {
					t.Errorf("not proxied: %+v", r)
				}
			},
		},
		{
			name:  "extras on create: proxied, comment, tags, settings as JSON text",
			zones: []string{"example.com"},
			rec: publish.Record{Domain: "home.example.com", Type: "A", Addr: a4("192.0.2.10"), Extra: publish.Extra{
				{Key: "proxied", Value: false}, {Key: "comment", Value: "router"}, {Key: "tags", Value: []any{"env:home"}}, {Key: "settings", Value: `{"ipv4_only":true}`}}},
			calls: calls{cf.KindZones: 2, cf.KindList: 2, cf.KindCreate: 1},
			check: func(t *testing.T, f *cf.Fake) {
				r := only(t, f, "home.example.com", "A")
				if r.Proxied || r.Comment != "router" || len(r.Tags) != 1 || r.Settings["ipv4_only"] != true {
					t.Errorf("created: %+v", r)
				}
			},
		},
		{
			name:     "extra colliding with a field ddns sets",
			zones:    []string{"example.com"},
			rec:      publish.Record{Domain: "home.example.com", Type: "A", Addr: a4("192.0.2.10"), Extra: publish.Extra{{Key: "content", Value: "x"}}},
			want:     permanent,
			wantText: `extra "content"`,
			calls:    calls{},
		},
		{
			name:     "extra proxied that is not a boolean",
			zones:    []string{"example.com"},
			rec:      publish.Record{Domain: "home.example.com", Type: "A", Addr: a4("192.0.2.10"), Extra: publish.Extra{{Key: "proxied", Value: "maybe"}}},
			want:     permanent,
			wantText: "proxied must be true or false",
			calls:    calls{},
		},
		{
			name:     "zone not found",
			zones:    []string{"example.com"},
			rec:      publish.Record{Domain: "home.example.org", Type: "A", Addr: a4("192.0.2.10")},
			want:     permanent,
			wantText: "cloudflare: no zone of home.example.org",
			calls:    calls{cf.KindZones: 2},
		},
		{
			name:     "bad API token: permanent, one request",
			zones:    []string{"example.com"},
			tok:      badToken,
			rec:      publish.Record{Domain: "home.example.com", Type: "A", Addr: a4("192.0.2.10")},
			want:     permanent,
			wantText: "HTTP 403: 9109 Invalid access token",
			calls:    calls{cf.KindZones: 1},
		},
		{
			name:     "malformed API token",
			zones:    []string{"example.com"},
			tok:      "short",
			rec:      publish.Record{Domain: "home.example.com", Type: "A", Addr: a4("192.0.2.10")},
			want:     permanent,
			wantText: "HTTP 400: 6003 Invalid request headers (6111 Invalid format for Authorization header)",
			calls:    calls{cf.KindZones: 1},
		},
		{
			name:     "bad Global API Key",
			zones:    []string{"example.com"},
			id:       email,
			tok:      badKey,
			rec:      publish.Record{Domain: "home.example.com", Type: "A", Addr: a4("192.0.2.10")},
			want:     permanent,
			wantText: "9103 Unknown X-Auth-Key or X-Auth-Email",
			calls:    calls{cf.KindZones: 1},
		},
		{
			name:     "502 error page",
			zones:    []string{"example.com"},
			faults:   []cf.Fault{{Action: cf.KindList, Status: 502}},
			rec:      publish.Record{Domain: "home.example.com", Type: "A", Addr: a4("192.0.2.10")},
			want:     transient,
			wantText: "HTTP 502 Bad Gateway",
			calls:    calls{cf.KindZones: 2, cf.KindList: 1},
		},
		{
			name:     "503 with Retry-After on create",
			zones:    []string{"example.com"},
			faults:   []cf.Fault{{Action: cf.KindCreate, Status: 503, RetryAfter: "30", Body: `{"success":false,"errors":[{"code":10000,"message":"Service Unavailable"}]}`}},
			rec:      publish.Record{Domain: "home.example.com", Type: "A", Addr: a4("192.0.2.10")},
			want:     transient,
			wantText: "create A record home.example.com: HTTP 503: 10000 Service Unavailable",
			retry:    30 * time.Second,
			calls:    calls{cf.KindZones: 2, cf.KindList: 1, cf.KindCreate: 1},
		},
		{
			name:     "malformed JSON",
			zones:    []string{"example.com"},
			faults:   []cf.Fault{{Status: 200, Body: `{"success":true,"result":[{"id":`}},
			rec:      publish.Record{Domain: "home.example.com", Type: "A", Addr: a4("192.0.2.10")},
			want:     transient,
			wantText: "malformed answer (HTTP 200)",
			calls:    calls{cf.KindZones: 1},
		},
		{
			name:     "a result of the wrong shape",
			zones:    []string{"example.com"},
			faults:   []cf.Fault{{Action: cf.KindList, Status: 200, Body: `{"success":true,"result":{"id":"x"}}`}},
			rec:      publish.Record{Domain: "home.example.com", Type: "A", Addr: a4("192.0.2.10")},
			want:     transient,
			wantText: "malformed records listing",
			calls:    calls{cf.KindZones: 2, cf.KindList: 1},
		},
		{
			name:     "HTTP 200 with success false is a failure",
			zones:    []string{"example.com"},
			faults:   []cf.Fault{{Action: cf.KindCreate, Status: 200, Body: `{"success":false,"errors":[{"code":81058,"message":"An identical record already exists."}],"messages":[],"result":null}`}},
			rec:      publish.Record{Domain: "home.example.com", Type: "A", Addr: a4("192.0.2.10")},
			want:     permanent,
			wantText: "HTTP 200: 81058 An identical record already exists.",
			calls:    calls{cf.KindZones: 2, cf.KindList: 1, cf.KindCreate: 1},
		},
		{
			name:     "validation error from the service",
			zones:    []string{"example.com"},
			rec:      publish.Record{Domain: "home.example.com", Type: "A", Addr: a4("192.0.2.10"), TTL: 5},
			want:     permanent,
			wantText: "HTTP 400: 1004 DNS Validation Error (9021 Invalid TTL",
			calls:    calls{cf.KindZones: 2, cf.KindList: 1, cf.KindCreate: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, tt.zones...)
			for _, e := range tt.records {
				w.fake.AddRecord(e.zone, e.rec)
			}
			for _, f := range tt.faults {
				w.fake.Fail(f)
			}
			tok := tt.tok
			if tok == "" {
				tok = token
			}
			p := w.provider(t, tt.id, tok)
			res, err := p.Set(context.Background(), tt.rec)
			checkErr(t, err, tt.want, tt.wantText, tt.retry)
			if err == nil && res.Unchanged != tt.unchanged {
				t.Errorf("Unchanged = %v, want %v", res.Unchanged, tt.unchanged)
			}
			if err == nil && (res.ZoneID == "" || res.ZoneName == "" || res.RecordID == "") {
				t.Errorf("result without ids: %+v", res)
			}
			checkCalls(t, w.fake, tt.calls)
			if tt.check != nil {
				tt.check(t, w.fake)
			}
		})
	}
}

// TestUpdateByID checks the number of calls with ids remembered from the
// state file: one PATCH, which keeps every field it does not carry; and
// the fall-back to the full flow when the ids are stale.
func TestUpdateByID(t *testing.T) {
	rec := publish.Record{Domain: "home.example.com", Type: "A", Addr: a4("192.0.2.10")}
	first := func(t *testing.T, w *world, p publish.Provider) publish.Result {
		t.Helper()
		res, err := p.Set(context.Background(), rec)
		if err != nil {
			t.Fatal(err)
		}
		checkCalls(t, w.fake, calls{cf.KindZones: 2, cf.KindList: 1, cf.KindCreate: 1})
		w.fake.Reset()
		return res
	}
	changed := func(res publish.Result) publish.Record {
		r := rec
		r.Addr = a4("192.0.2.11")
		r.Hint = publish.Hint{ZoneID: res.ZoneID, ZoneName: res.ZoneName, RecordID: res.RecordID}
		return r
	}

	t.Run("warm: one call", func(t *testing.T) {
		w := newWorld(t, "example.com")
		p := w.provider(t, "", token)
		res := first(t, w, p)
		// Fields set outside ddns survive the PATCH.
		w.fake.DeleteRecord(res.RecordID)
		id := w.fake.AddRecord("example.com", cf.Record{Name: "home.example.com", Type: "A", Content: "192.0.2.10", TTL: 300, Proxied: true, Tags: []string{"env:home"}})
		res.RecordID = id
		got, err := p.Set(context.Background(), changed(res))
		if err != nil {
			t.Fatal(err)
		}
		checkCalls(t, w.fake, calls{cf.KindEdit: 1})
		r := only(t, w.fake, "home.example.com", "A")
		if r.Content != "192.0.2.11" || r.TTL != 300 || !r.Proxied || len(r.Tags) != 1 || got.RecordID != id {
			t.Errorf("after PATCH: %+v, result %+v", r, got)
		}
	})
	t.Run("stale record id: full flow", func(t *testing.T) {
		w := newWorld(t, "example.com")
		p := w.provider(t, "", token)
		res := first(t, w, p)
		w.fake.DeleteRecord(res.RecordID)
		got, err := p.Set(context.Background(), changed(res))
		if err != nil {
			t.Fatal(err)
		}
		// The zone id is still cached from the first run.
		checkCalls(t, w.fake, calls{cf.KindEdit: 1, cf.KindZones: 0, cf.KindList: 1, cf.KindCreate: 1})
		if got.RecordID == res.RecordID || got.RecordID == "" {
			t.Errorf("result %+v", got)
		}
		holds("home.example.com", "A", "192.0.2.11", "example.com", 1)(t, w.fake)
	})
	t.Run("stale zone id: full flow", func(t *testing.T) {
		w := newWorld(t, "example.com")
		p := w.provider(t, "", token)
		res := first(t, w, p)
		res.ZoneID = "0123456789abcdef0123456789abcdef"
		p = w.provider(t, "", token) // a restart: no cached zone
		if _, err := p.Set(context.Background(), changed(res)); err != nil {
			t.Fatal(err)
		}
		checkCalls(t, w.fake, calls{cf.KindEdit: 1, cf.KindZones: 2, cf.KindList: 1, cf.KindOverwrite: 1})
		holds("home.example.com", "A", "192.0.2.11", "example.com", 1)(t, w.fake)
	})
	t.Run("bad token: one call, permanent", func(t *testing.T) {
		w := newWorld(t, "example.com")
		res := first(t, w, w.provider(t, "", token))
		_, err := w.provider(t, "", badToken).Set(context.Background(), changed(res))
		checkErr(t, err, permanent, "9109", 0)
		checkCalls(t, w.fake, calls{cf.KindEdit: 1})
	})
	t.Run("429: one call, transient, no fall-back", func(t *testing.T) {
		w := newWorld(t, "example.com")
		p := w.provider(t, "", token)
		res := first(t, w, p)
		w.fake.Fail(cf.Fault{Status: 429, RetryAfter: "12"})
		_, err := p.Set(context.Background(), changed(res))
		checkErr(t, err, transient, "HTTP 429", 12*time.Second)
		checkCalls(t, w.fake, calls{cf.KindEdit: 1})
	})
}

// TestSteadyState: a second run with the address already published and
// the zone cached costs one listing.
func TestSteadyState(t *testing.T) {
	w := newWorld(t, "example.com")
	p := w.provider(t, "", token)
	rec := publish.Record{Domain: "home.example.com", Type: "A", Addr: a4("192.0.2.10")}
	if _, err := p.Set(context.Background(), rec); err != nil {
		t.Fatal(err)
	}
	w.fake.Reset()
	res, err := p.Set(context.Background(), rec)
	if err != nil || !res.Unchanged {
		t.Fatalf("second Set: %+v, %v", res, err)
	}
	checkCalls(t, w.fake, calls{cf.KindList: 1})
}

// checkErr is publishtest.Expect; a failure never reads as "not found",
// which would make the engine create the record again.
func checkErr(t *testing.T, err error, want publishtest.Outcome, text string, retry time.Duration) {
	t.Helper()
	publishtest.Expect(t, err, want, "cloudflare", text, retry, token, key, badToken, badKey)
	if errors.Is(err, publish.ErrNotFound) {
		t.Errorf("error wraps ErrNotFound: %v", err)
	}
}

func checkCalls(t *testing.T, f *cf.Fake, want calls) {
	t.Helper()
	publishtest.ExpectCalls(t, f.CallCounts(), want)
}

// holds checks that exactly one record name/typ exists, in zone, with
// content and ttl.
func holds(name, typ, content, zone string, ttl int) func(*testing.T, *cf.Fake) {
	return func(t *testing.T, f *cf.Fake) {
		t.Helper()
		r := only(t, f, name, typ)
		if r.Content != content || r.Zone != zone || r.TTL != ttl {
			t.Errorf("%s %s = %+v, want %s in %s with TTL %d", name, typ, r, content, zone, ttl)
		}
	}
}

func only(t *testing.T, f *cf.Fake, name, typ string) cf.Record {
	t.Helper()
	rs := f.Records(name, typ)
	if len(rs) != 1 {
		t.Fatalf("%d %s records for %s, want 1: %+v", len(rs), typ, name, rs)
	}
	return rs[0]
}

// TestConformance runs the provider test kit's suite, with an API token
// and with the e-mail and Global API Key.
func TestConformance(t *testing.T) {
	t.Run("token", func(t *testing.T) { publishtest.Run(t, cf.Service) })
	t.Run("global key", func(t *testing.T) { publishtest.Run(t, cf.GlobalKeyService) })
}
