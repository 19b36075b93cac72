package publishtest

import (
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

// With returns r changed by change, for a case's record.
func With(r publish.Record, change func(*publish.Record)) publish.Record {
	change(&r)
	return r
}

// Only is a Case's Then for a fake on a Store: the zone holds exactly one
// record of host and want.Type, with want's Value, Line and TTL.
func Only[F interface{ Records(zone, host, typ string) []Record }](zone string, want Record) func(*testing.T, F, publish.Result) {
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
