package publishtest

import (
	"cmp"
	"context"
	"maps"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/ddns-go/ddns/publish"
)

// Case is one row of a provider's table test: the account on its fake F
// as Given leaves it (Given returns the hint of the record published),
// the faults the fake answers first, the record published, and what must
// follow.
type Case[F any] struct {
	Name    string
	ID      string // "" = the table's
	Token   string // "" = the table's; another is a wrong one, kept out of the error too
	Given   func(f F) publish.Hint
	Faults  []Fault
	Record  publish.Record
	Want    Outcome
	ErrText string         // a substring the error must contain
	Retry   time.Duration  // the RetryAfter the error must carry
	Calls   map[string]int // the requests by action, exactly
	Then    func(t *testing.T, f F, res publish.Result)
}

// TableFake is a fake as a Table drives it: an http.Handler on Base.
type TableFake interface {
	http.Handler
	Fail(faults ...Fault)
	CallCounts() map[string]int
	Requests() []Request
}

// Table runs a provider's cases, each against a fresh fake on loopback.
type Table[F TableFake] struct {
	Provider  string // the registry name; errors start with it
	ID, Token string // the credentials the fake's account accepts
	New       func() F
	// Request, when set, checks every request the fake received: what
	// every call of the API must carry (method, headers, format).
	Request func(t *testing.T, r Request)
}

// Run runs each case as a subtest.
func (tb Table[F]) Run(t *testing.T, cases []Case[F]) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) { tb.Case(t, c) })
	}
}

// Case runs one case: given the account, when the record is set, then
// the outcome, the requests made and the account are as c wants.
func (tb Table[F]) Case(t *testing.T, c Case[F]) {
	t.Helper()
	f := tb.New()
	srv := httptest.NewServer(f)
	defer srv.Close()
	r := c.Record
	if c.Given != nil {
		r.Hint = c.Given(f)
	}
	f.Fail(c.Faults...)
	id, token := tb.ID, tb.Token
	if c.ID != "" {
		id = c.ID
	}
	if c.Token != "" {
		token = c.Token
	}
	p, err := publish.New(tb.Provider, publish.Settings{ID: id, Token: token, Endpoint: srv.URL, HTTP: srv.Client(), Log: zerolog.Nop(), Now: time.Now})
	if err != nil {
		t.Fatal(err)
	}

	res, err := p.Set(context.Background(), r)

	Expect(t, err, c.Want, tb.Provider, c.ErrText, c.Retry, tb.Token, c.Token)
	if got := f.CallCounts(); !maps.Equal(got, c.Calls) {
		t.Errorf("calls %v, want %v", got, c.Calls)
	}
	if tb.Request != nil {
		for _, req := range f.Requests() {
			tb.Request(t, req)
		}
	}
	if c.Then != nil {
		c.Then(t, f, res)
	}
}

// OneRecord is a Case's Then for a fake on a Store: the zone holds
// exactly one record of host and want.Type, with want's Value, Line and
// TTL.
func OneRecord[F interface {
	Records(zone, host, typ string) []Record
}](zone string, want Record) func(*testing.T, F, publish.Result) {
	return func(t *testing.T, f F, _ publish.Result) {
		t.Helper()
		got := f.Records(zone, want.Host, want.Type)
		if len(got) != 1 || got[0].Value != want.Value || got[0].Line != want.Line || got[0].TTL != want.TTL {
			t.Errorf("%q in %s: %+v, want one %s %s, line %q, ttl %d", want.Host, zone, got, want.Type, want.Value, want.Line, want.TTL)
		}
	}
}

// ZoneLookupsCached checks that one provider publishing several names of a
// zone asks for each candidate zone once: info is the fake's action for
// a zone lookup. The endpoint ends in a slash, as users write it.
func ZoneLookupsCached(t *testing.T, newService func() Service, info string) {
	t.Helper()
	s := newService()
	s.AddZone("example.com")
	srv := httptest.NewServer(s.Fake)
	defer srv.Close()
	p, err := publish.New(s.Provider, publish.Settings{ID: s.ID, Token: s.Token, Endpoint: srv.URL + s.Path + "/", HTTP: srv.Client(), Log: zerolog.Nop(), Now: time.Now})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"a.example.com", "b.example.com", "example.com"} {
		if _, err := p.Set(context.Background(), Rec(d, "192.0.2.10")); err != nil {
			t.Fatal(err)
		}
	}
	// a.example.com and b.example.com are not zones (asked once each);
	// example.com is found once, then cached.
	if got := s.Fake.Calls(info); got != 3 {
		t.Errorf("%d %s calls, want 3", got, info)
	}
}

// ZoneFlow describes a provider whose publish walks the engine's zone
// flow — look the zone up from the longest candidate name, list the
// name's records, create or update one; with ids remembered, update by
// id — on a fake that keeps its account in a Store. Cases are the table
// rows every such provider passes.
type ZoneFlow[F interface {
	TableFake
	Records(zone, host, typ string) []Record
	Insert(zone string, r Record) string
}] struct {
	Info, List, Create, Update string // the fake's actions for these steps
	// AddZone adds a zone to the account and returns its id as the
	// provider remembers it.
	AddZone func(f F, name string) (id string)
	// Defaults are the Line and TTL of a record published without either,
	// and of one a user added in the console.
	Defaults Record
	BadToken string // a token the account refuses
	BadAuth  string // a substring of the error for it
}

// Zones is a Case's Given: an account holding the zones names and nothing
// else.
func (z ZoneFlow[F]) Zones(names ...string) func(F) publish.Hint {
	return func(f F) publish.Hint {
		for _, n := range names {
			z.AddZone(f, n)
		}
		return publish.Hint{}
	}
}

// Holding is a Case's Given: example.com holding rs as a user added them
// in the console (a Line or TTL left zero is the Defaults'), and no hint.
func (z ZoneFlow[F]) Holding(rs ...Record) func(F) publish.Hint {
	return func(f F) publish.Hint {
		z.add(f, rs...)
		return publish.Hint{}
	}
}

// Hinted is Holding r, with the hint a state file keeps for it: the ids of
// the zone and of r, suffix appended (what a provider remembers with the
// record id, as "/3600").
func (z ZoneFlow[F]) Hinted(r Record, suffix string) func(F) publish.Hint {
	return func(f F) publish.Hint {
		zone, ids := z.add(f, r)
		return publish.Hint{ZoneID: zone, ZoneName: "example.com", RecordID: ids[0] + suffix}
	}
}

func (z ZoneFlow[F]) add(f F, rs ...Record) (zone string, ids []string) {
	zone = z.AddZone(f, "example.com")
	for _, r := range rs {
		r.Line, r.TTL = cmp.Or(r.Line, z.Defaults.Line), cmp.Or(r.TTL, z.Defaults.TTL)
		ids = append(ids, f.Insert("example.com", r))
	}
	return zone, ids
}

// Cases returns the rows of the zone flow: create, a multi-label name,
// the apex, no zone, a 5xx, an unchanged record; with ids, an update in
// one call, a zone gone, bad credentials.
func (z ZoneFlow[F]) Cases() []Case[F] {
	home, zones := Rec("home.example.com", "192.0.2.10"), z.Zones
	holding := func(value string) func(f F) publish.Hint {
		return z.Hinted(RR("home", value, 0), "")
	}
	unhinted := func(value string) func(f F) publish.Hint {
		return z.Holding(RR("home", value, 0))
	}
	only := func(host string) func(*testing.T, F, publish.Result) {
		want := z.Defaults
		want.Host, want.Type, want.Value = host, "A", "192.0.2.10"
		return OneRecord[F]("example.com", want)
	}
	return []Case[F]{
		{Name: "create", Given: zones("example.com"), Record: home,
			// Longest candidate first: home.example.com, then example.com.
			Calls: map[string]int{z.Info: 2, z.List: 1, z.Create: 1}, Then: only("home")},
		{Name: "multi-level sub-domain in the parent zone", Given: zones("example.com"), Record: Rec("a.b.example.com", "192.0.2.10"),
			Calls: map[string]int{z.Info: 3, z.List: 1, z.Create: 1}, Then: only("a.b")},
		{Name: "apex", Given: zones("example.com"), Record: Rec("example.com", "192.0.2.10"),
			Calls: map[string]int{z.Info: 1, z.List: 1, z.Create: 1}, Then: only("@")},
		{Name: "zone not found", Given: zones("example.org"), Record: home,
			Want: Permanent, ErrText: "no zone of home.example.com", Calls: map[string]int{z.Info: 2}},
		{Name: "5xx", Given: zones("example.com"), Faults: []Fault{{Status: 502, Body: "<html>bad gateway</html>"}}, Record: home,
			Want: Transient, ErrText: "502", Calls: map[string]int{z.Info: 1}},
		{Name: "unchanged: no write", Given: unhinted("192.0.2.10"), Record: home,
			Calls: map[string]int{z.Info: 2, z.List: 1},
			Then: func(t *testing.T, _ F, res publish.Result) {
				if !res.Unchanged || res.ZoneName != "example.com" || res.RecordID == "" {
					t.Errorf("result %+v, want Unchanged with ids", res)
				}
			}},

		// With ids from the state file.
		{Name: "hint: update by id is one call", Given: holding("192.0.2.1"), Record: home,
			Calls: map[string]int{z.Update: 1}, Then: only("home")},
		{Name: "hint: a deleted zone falls back to the full flow, which reports it", Record: home,
			Given: func(F) publish.Hint {
				return publish.Hint{ZoneID: "example.com", ZoneName: "example.com", RecordID: "987654"}
			},
			Want: Permanent, ErrText: "no zone of home.example.com", Calls: map[string]int{z.Update: 1, z.Info: 2}},
		{Name: "hint: bad credentials stop at the first call", Given: holding("192.0.2.1"), Token: z.BadToken, Record: home,
			Want: Permanent, ErrText: z.BadAuth, Calls: map[string]int{z.Update: 1}},
	}
}
