package publishtest

import (
	"cmp"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ddns-go/ddns/publish"
)

// HostCase is one row of a dyndns-style provider's table test: one
// publish of R against a fake whose account holds host names.
type HostCase[F any] struct {
	Name      string
	Token     string // "" = the table's; another is a wrong one, kept out of the error too
	Path      string // the endpoint's path on the fake ("" = the table's)
	Setup     func(f F)
	Faults    []Fault // answered first
	R         publish.Record
	Want      Outcome
	WantIn    string        // a substring of the error
	Retry     time.Duration // the RetryAfter the error must carry
	Unchanged bool
	Host      string // the host that must hold R.Addr after a publish ("" = R.Domain)
	Query     string // for a table whose Request checks the query: the one wanted ("" = its default)
	Writes    int    // addresses the publish changed at the fake
	Calls     int    // requests: 0 means 1, -1 none
}

// HostFake is a fake as a HostTable drives it: Base's request log and a
// Hosts account.
type HostFake interface {
	Fail(faults ...Fault)
	SetAddr(name, addr string)
	Calls(action string) int
	Requests() []Request
	Tally() Tally
	Addr(name, typ string) string
}

// HostTable runs a dyndns-style provider's cases, each against a fresh
// fake whose account holds home.example.com, a.b.example.com and
// example.com.
type HostTable[F HostFake] struct {
	Provider string // the registry name; errors start with it
	Token    string // the token the account accepts
	// Start serves a fresh fake and returns it with the provider
	// configured with token, its endpoint the fake's URL and path.
	Start func(t *testing.T, token, path string) (F, publish.Provider)
	// Request checks the one request of a publish that succeeded, made
	// for host.
	Request func(t *testing.T, c HostCase[F], req Request, host string)
}

// Run runs each case as a subtest: the requests it costs, the writes at
// the fake, the outcome; after a publish, the exact Result (dyndns-style
// services have no ids), the address the host holds and the request.
func (tb HostTable[F]) Run(t *testing.T, cases []HostCase[F]) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			f, p := tb.Start(t, cmp.Or(c.Token, tb.Token), c.Path)
			if c.Setup != nil {
				c.Setup(f)
			}
			f.Fail(c.Faults...)
			res, err := p.Set(context.Background(), c.R)

			calls := max(c.Calls, 0)
			if c.Calls == 0 {
				calls = 1
			}
			if n := f.Calls(""); n != calls {
				t.Errorf("%d requests, want exactly %d", n, calls)
			}
			if n := f.Tally().Writes; n != c.Writes {
				t.Errorf("%d writes, want %d", n, c.Writes)
			}
			Expect(t, err, c.Want, tb.Provider, c.WantIn, c.Retry, tb.Token, c.Token)
			if c.Want != Succeeds {
				return
			}
			if res != (publish.Result{Unchanged: c.Unchanged}) {
				t.Errorf("result %+v, want Unchanged=%v and no ids", res, c.Unchanged)
			}
			host := cmp.Or(c.Host, c.R.Domain)
			if got := f.Addr(host, c.R.Type); got != c.R.Addr.String() {
				t.Errorf("fake %s %s = %q, want %s", host, c.R.Type, got, c.R.Addr)
			}
			if tb.Request != nil {
				tb.Request(t, c, f.Requests()[0], host)
			}
		})
	}
}

// Cases returns the rows every dyndns-style provider passes: the host's
// first address, an update, nochg, AAAA, multi-label names and the
// original's sub~zone spellings, no such host, bad credentials, and the
// answers that are not the protocol's.
func (tb HostTable[F]) Cases() []HostCase[F] {
	home := Rec("home.example.com", "192.0.2.10")
	holding := func(addr string) func(F) { return func(f F) { f.SetAddr("home.example.com", addr) } }
	failing := func(name string, ft Fault, want Outcome, text string) HostCase[F] {
		return HostCase[F]{Name: name, Faults: []Fault{ft}, R: home, Want: want, WantIn: text}
	}
	return []HostCase[F]{
		{Name: "first address (the host exists, empty)", R: home, Writes: 1},
		{Name: "update", Setup: holding("192.0.2.9"), R: home, Writes: 1},
		{Name: "already current: nochg is success", Setup: holding("192.0.2.10"), R: home, Unchanged: true},
		{Name: "AAAA", R: Rec("home.example.com", "2001:db8::10"), Writes: 1},
		{Name: "multi-level host name", R: Rec("a.b.example.com", "192.0.2.10"), Writes: 1},
		{Name: "apex", R: Rec("example.com", "192.0.2.10"), Writes: 1},
		{Name: "sub+zone spelling", R: Rec("a.b+example.com", "192.0.2.10"), Host: "a.b.example.com", Writes: 1},
		{Name: "sub~zone spelling", R: Rec("a.b~example.com", "192.0.2.10"), Host: "a.b.example.com", Writes: 1},
		{Name: "@~zone spelling", R: Rec("@~example.com", "192.0.2.10"), Host: "example.com", Writes: 1},

		{Name: "host does not exist: cannot create", R: Rec("new.example.com", "192.0.2.10"), Want: Permanent, WantIn: tb.Provider + ": new.example.com: nohost"},
		{Name: "bad credentials", Token: "wrong-token-123", R: home, Want: Permanent, WantIn: "badauth"},
		{Name: "429 with Retry-After", Faults: []Fault{{Status: 429, Body: "slow down", RetryAfter: "7"}}, R: home, Want: Transient, WantIn: "429", Retry: 7 * time.Second},
		failing("503", Fault{Status: 503, Body: "<html>down</html>"}, Transient, "503"),
		failing("malformed answer", Fault{Body: "<html><body>Login to continue</body></html>"}, Transient, "unexpected answer"),
		failing("JSON instead of text", Fault{Body: `{"status":`}, Transient, "unexpected answer"),
		failing("empty answer", Fault{}, Transient, "empty answer"),
		failing("binary answer", Fault{Body: "\xff\xfe\x00good"}, Transient, "unexpected answer"),
	}
}

// CannotCreate checks that a host the account does not hold fails
// permanently with publish.ErrCannotCreate: the user must create it.
func (tb HostTable[F]) CannotCreate(t *testing.T) {
	t.Helper()
	_, p := tb.Start(t, tb.Token, "")
	_, err := p.Set(context.Background(), Rec("new.example.com", "192.0.2.10"))
	if !errors.Is(err, publish.ErrCannotCreate) || !publish.IsPermanent(err) || !strings.Contains(err.Error(), "cannot create records") {
		t.Fatalf("got %v, want a permanent publish.ErrCannotCreate", err)
	}
}

// CallsPerOperation checks that the first publish, a change with ids
// remembered (a dyndns-style service has none: the hint is ignored), a
// repeat and the other family each cost one request: the state file, not
// the provider, makes the steady state free.
func (tb HostTable[F]) CallsPerOperation(t *testing.T) {
	t.Helper()
	f, p := tb.Start(t, tb.Token, "")
	hinted := Rec("home.example.com", "192.0.2.11")
	hinted.Hint = publish.Hint{ZoneID: "z", ZoneName: "example.com", RecordID: "stale"}
	for i, s := range []struct {
		name      string
		r         publish.Record
		unchanged bool
	}{
		{"first run", Rec("home.example.com", "192.0.2.10"), false},
		{"change with a (meaningless) hint", hinted, false},
		{"same address again", Rec("home.example.com", "192.0.2.11"), true},
		{"AAAA of the same host", Rec("home.example.com", "2001:db8::11"), false},
	} {
		res, err := p.Set(context.Background(), s.r)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if res != (publish.Result{Unchanged: s.unchanged}) {
			t.Errorf("%s: result %+v", s.name, res)
		}
		if n := f.Calls(""); n != i+1 {
			t.Errorf("%s: %d calls so far, want %d", s.name, n, i+1)
		}
	}
	if a, aaaa := f.Addr("home.example.com", "A"), f.Addr("home.example.com", "AAAA"); a != "192.0.2.11" || aaaa != "2001:db8::11" {
		t.Errorf("fake holds A %q AAAA %q", a, aaaa)
	}
}

// AgainstFake replays each recorded flow through the provider at a fresh
// fake that start serves, holding the flow's host: the fake must accept
// exactly what the original client sent — one request, the verdict
// recorded, the address held after it. same compares the request the
// fake got with the recorded one.
func AgainstFake[F HostFake](t *testing.T, flows []Flow, start func(t *testing.T, fl Flow) (F, publish.Provider), same func(t *testing.T, got Request, want Exchange)) {
	t.Helper()
	for _, fl := range flows {
		t.Run(fl.Name, func(t *testing.T) {
			f, p := start(t, fl)
			if _, err := p.Set(context.Background(), fl.Record()); (err == nil) != fl.Result {
				t.Fatalf("Set: %v, want success %v", err, fl.Result)
			}
			reqs := f.Requests()
			if len(reqs) != 1 {
				t.Fatalf("%d requests, want 1", len(reqs))
			}
			same(t, reqs[0], fl.Requests[0])
			if got := f.Addr(fl.SetRecord.Domain, fl.SetRecord.RecordType); got != fl.SetRecord.Value {
				t.Errorf("fake holds %q, want %s", got, fl.SetRecord.Value)
			}
		})
	}
}
