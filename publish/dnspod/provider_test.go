package dnspod_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/dnspod/dnspodfake"
	"github.com/ddns-go/ddns/publish/publishtest"
)

const (
	testID    = "420042"
	testToken = "fake-dnspod-token-0123456789"
)

// Call kinds as the fake counts them.
const (
	info   = "Domain.Info"
	list   = "Record.List"
	create = "Record.Create"
	modify = "Record.Modify"
)

// The outcomes, as the table rows name them.
const permanent, transient = publishtest.Permanent, publishtest.Transient

var rec = publishtest.Rec

func with(r publish.Record, f func(*publish.Record)) publish.Record { f(&r); return r }

// rr is a record of the account: name ("@" for the apex) holds value, A
// or AAAA as it is, on line with ttl ("" and 0: the defaults).
func rr(name, value, line string, ttl int) publishtest.Record {
	r := publishtest.RR(name, value, ttl)
	r.Line = line
	return r
}

// only asserts that name in zone holds exactly one record of typ, with
// value, line and ttl.
func only(zone, name, typ, value, line string, ttl int) func(*testing.T, *dnspodfake.Fake, publish.Result) {
	return publishtest.OneRecord[*dnspodfake.Fake](zone, publishtest.Record{Host: name, Type: typ, Value: value, Line: line, TTL: ttl})
}

// table runs cases on a fresh account of the site provider names, with
// the lines it accepts.
func table(provider string, lines []string) publishtest.Table[*dnspodfake.Fake] {
	return publishtest.Table[*dnspodfake.Fake]{
		Provider: provider, ID: testID, Token: testToken,
		New: func() *dnspodfake.Fake { return dnspodfake.New(testID, testToken, lines) },
	}
}

// flow is how DNSPod walks the engine's zone flow: domains are known by
// id, records made without a line or TTL are on the default line, 600 s.
var flow = publishtest.ZoneFlow[*dnspodfake.Fake]{
	Info: info, List: list, Create: create, Update: modify,
	AddZone:  (*dnspodfake.Fake).AddZone,
	Defaults: publishtest.Record{Line: dnspodfake.LinesCN[0], TTL: 600},
	BadToken: "wrong-token-value", BadAuth: "Login fail",
}

func TestProvider(t *testing.T) {
	home := rec("home.example.com", "192.0.2.10")
	cases := []publishtest.Case[*dnspodfake.Fake]{
		{
			Name:   "update",
			Given:  flow.Holding(rr("home", "192.0.2.1", "", 300)),
			Record: home,
			Calls:  map[string]int{info: 2, list: 1, modify: 1},
			Then:   only("example.com", "home", "A", "192.0.2.10", "默认", 300),
		},
		{
			Name:    "malformed JSON",
			Given:   flow.Zones("example.com"),
			Faults:  []dnspodfake.Fault{{Body: `{"status": {"code": "1"`}},
			Record:  home,
			Want:    transient,
			ErrText: "Domain.Info: malformed answer",
			Calls:   map[string]int{info: 1},
		},
		{
			Name:    "JSON without status",
			Given:   flow.Zones("example.com"),
			Faults:  []dnspodfake.Fault{{Body: `[]`}},
			Record:  home,
			Want:    transient,
			ErrText: "malformed answer",
			Calls:   map[string]int{info: 1},
		},
		{
			Name:    "API usage limit: transient",
			Given:   flow.Zones("example.com"),
			Faults:  []dnspodfake.Fault{{Code: "-2", Message: "API usage is limited"}},
			Record:  home,
			Want:    transient,
			ErrText: "API error -2: API usage is limited",
			Calls:   map[string]int{info: 1},
		},
		{
			Name:    "locked account: permanent",
			Given:   flow.Zones("example.com"),
			Faults:  []dnspodfake.Fault{{Code: "83", Message: "Account is locked"}},
			Record:  home,
			Want:    permanent,
			ErrText: "API error 83",
			Calls:   map[string]int{info: 1},
		},
		{
			Name:   "TTL and line passed through on create",
			Given:  flow.Zones("example.com"),
			Record: with(home, func(r *publish.Record) { r.TTL, r.Line = 120, "电信" }),
			Calls:  map[string]int{info: 2, list: 1, create: 1},
			Then:   only("example.com", "home", "A", "192.0.2.10", "电信", 120),
		},
		{
			Name:   "a TTL change alone is applied",
			Given:  flow.Holding(rr("home", "192.0.2.10", "", 600)),
			Record: with(home, func(r *publish.Record) { r.TTL = 120 }),
			Calls:  map[string]int{info: 2, list: 1, modify: 1},
			Then:   only("example.com", "home", "A", "192.0.2.10", "默认", 120),
		},
		{
			Name:   "a configured line gets its own record",
			Given:  flow.Holding(rr("home", "192.0.2.1", "", 0)),
			Record: with(home, func(r *publish.Record) { r.Line = "联通" }),
			Calls:  map[string]int{info: 2, list: 1, create: 1},
			Then: func(t *testing.T, f *dnspodfake.Fake, _ publish.Result) {
				got := f.Records("example.com", "home", "A")
				if len(got) != 2 || got[0].Value != "192.0.2.1" || got[1].Line != "联通" || got[1].Value != "192.0.2.10" {
					t.Errorf("records %+v", got)
				}
			},
		},
		{
			Name:    "an unknown line is an invalid parameter",
			Given:   flow.Zones("example.com"),
			Record:  with(home, func(r *publish.Record) { r.Line = "火星" }),
			Want:    permanent,
			ErrText: "Record.List: API error 26",
			Calls:   map[string]int{info: 2, list: 1},
		},
		{
			Name:   "no line configured: the record keeps its line",
			Given:  flow.Holding(rr("home", "192.0.2.1", "电信", 0)),
			Record: home,
			Calls:  map[string]int{info: 2, list: 1, modify: 1},
			Then: func(t *testing.T, f *dnspodfake.Fake, res publish.Result) {
				only("example.com", "home", "A", "192.0.2.10", "电信", 600)(t, f, res)
				if !strings.HasSuffix(res.RecordID, "/电信") {
					t.Errorf("record id %q does not remember the line", res.RecordID)
				}
			},
		},
		{
			Name:   "several lines, none configured: the default line's record is updated",
			Given:  flow.Holding(rr("home", "192.0.2.2", "电信", 0), rr("home", "192.0.2.1", "", 0)),
			Record: home,
			Calls:  map[string]int{info: 2, list: 1, modify: 1},
			Then: func(t *testing.T, f *dnspodfake.Fake, _ publish.Result) {
				got := f.Records("example.com", "home", "A")
				if len(got) != 2 || got[0].Value != "192.0.2.2" || got[1].Value != "192.0.2.10" {
					t.Errorf("records %+v", got)
				}
			},
		},
		{
			Name:  "extra parameters are sent but cannot replace the credentials",
			Given: flow.Zones("example.com"),
			Record: with(home, func(r *publish.Record) {
				r.Extra = publish.Extra{{Key: "remark", Value: "set by ddns"}, {Key: "login_token", Value: "1,stolen"}}
			}),
			Calls: map[string]int{info: 2, list: 1, create: 1},
			Then: func(t *testing.T, f *dnspodfake.Fake, _ publish.Result) {
				reqs := f.Requests()
				form := dnspodfake.Form(reqs[len(reqs)-1])
				if form.Get("remark") != "set by ddns" || form.Get("login_token") != testID+","+testToken {
					t.Errorf("create form %v", form)
				}
			},
		},
		// With ids from the state file.
		{
			Name:   "hint: a remembered line is kept",
			Given:  flow.Hinted(rr("home", "192.0.2.1", "移动", 0), "/移动"),
			Record: home,
			Calls:  map[string]int{modify: 1},
			Then:   only("example.com", "home", "A", "192.0.2.10", "移动", 600),
		},
	}
	table("dnspod", dnspodfake.LinesCN).Run(t, append(flow.Cases(), cases...))

	// The international site: its own lines, and "default" as the default
	// line's name on the wire.
	table("dnspod_com", dnspodfake.LinesIntl).Run(t, []publishtest.Case[*dnspodfake.Fake]{
		{
			Name:   "dnspod_com: create on the default line",
			Given:  flow.Zones("example.com"),
			Record: home,
			Calls:  map[string]int{info: 2, list: 1, create: 1},
			Then: func(t *testing.T, f *dnspodfake.Fake, res publish.Result) {
				only("example.com", "home", "A", "192.0.2.10", "Default", 600)(t, f, res)
				if l := lastForm(f).Get("record_line"); l != "default" {
					t.Errorf("record_line %q, want default", l)
				}
			},
		},
		{
			Name:   "dnspod_com: update sends the line as default",
			Given:  flow.Holding(rr("home", "192.0.2.1", "Default", 0)),
			Record: home,
			Calls:  map[string]int{info: 2, list: 1, modify: 1},
			Then: func(t *testing.T, f *dnspodfake.Fake, res publish.Result) {
				only("example.com", "home", "A", "192.0.2.10", "Default", 600)(t, f, res)
				if l := lastForm(f).Get("record_line"); l != "default" {
					t.Errorf("record_line %q, want default", l)
				}
			},
		},
		{
			Name:   "dnspod_com: a configured Default line is unchanged",
			Given:  flow.Holding(rr("home", "192.0.2.10", "Default", 0)),
			Record: with(home, func(r *publish.Record) { r.Line = "Default" }),
			Calls:  map[string]int{info: 2, list: 1},
		},
	})
}

func lastForm(f *dnspodfake.Fake) url.Values {
	reqs := f.Requests()
	return dnspodfake.Form(reqs[len(reqs)-1])
}

// TestZoneLookupsAreCached: one provider serving several domains of a zone
// asks for each candidate zone once.
func TestZoneLookupsAreCached(t *testing.T) {
	publishtest.ZoneLookupsCached(t, dnspodfake.Service, info)
}

func TestNewValidates(t *testing.T) {
	cases := []struct {
		name, id, token, want string
	}{
		{"dnspod", "", "t0ken", "dnspod: id must be configured"},
		{"dnspod", "123", "", "dnspod: token must be configured"},
		{"dnspod_com", "  ", "t0ken", "dnspod_com: id must be configured"},
		{"dnspod_cn", "123,456", "t0ken", "dnspod: id must be the numeric API token ID"},
		{"dnspod_global", "123", "t0ken", ""},
	}
	for _, c := range cases {
		_, err := publish.New(c.name, publish.Settings{ID: c.id, Token: c.token})
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.HasPrefix(err.Error(), c.want)) {
			t.Errorf("%s(id %q, token %q): %v, want %q", c.name, c.id, c.token, err, c.want)
		}
	}
}

// TestConformance runs the provider test kit's suite, on the Chinese and
// the international site.
func TestConformance(t *testing.T) {
	t.Run("dnspod", func(t *testing.T) { publishtest.Run(t, dnspodfake.Service) })
	t.Run("dnspod_com", func(t *testing.T) { publishtest.Run(t, dnspodfake.IntlService) })
}
