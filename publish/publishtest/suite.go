// Package publishtest is the provider test kit: one conformance suite
// every provider runs against its fake (Run), and the base every fake
// shares (Base: request log, counts by action, fault queue).
//
// A provider's own tests then keep only what is specific to it: its wire
// format (vectors), its extras, its quirks.
package publishtest

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/ddns-go/ddns/publish"
)

// Service is one provider and a fresh account on its fake, seen the same
// way for every provider.
type Service struct {
	Provider string // the registry name
	ID       string // the credentials the account accepts
	Token    string
	BadToken string     // a token of the right shape the fake refuses
	Fake     FakeServer // serves the account
	Path     string     // appended to the fake's URL to make the endpoint ("" for most)
	Host     string     // the name published ("" = home.example.com); others follow from it

	// AddZone adds a zone to the account; at dyndns-style services
	// without zones it is nil, and AddHost adds a host the account may
	// update.
	AddZone func(zone string)
	AddHost func(fqdn string)

	Values func(fqdn, typ string) []string // the addresses records of typ at fqdn hold
	Delete func(fqdn, typ string)          // delete those records, as a user would

	Close func() // stops what the fake started, if anything; may be nil

	// Blind is set for a provider that writes without reading the record
	// first (one call a publish, never Unchanged) and tries the shortest
	// zone first (West, as the original client does).
	Blind bool

	// ChangeCalls is how many requests an address change costs with the
	// ids remembered from the last publish: 1 where the API updates by id.
	ChangeCalls int
}

// FakeServer is a fake as the kit drives it: an http.Handler on Base.
type FakeServer interface {
	http.Handler
	Calls(action string) int
	Reset()
	Fail(faults ...Fault)
}

// Calls returns the requests the fake received since the last Reset.
func (s Service) Calls() int { return s.Fake.Calls("") }

// Reset forgets the requests; the account stays.
func (s Service) Reset() { s.Fake.Reset() }

// Fail answers the next request with status and a Retry-After header.
func (s Service) Fail(status int, retryAfter string) {
	s.Fake.Fail(Fault{Status: status, RetryAfter: retryAfter})
}

// Run runs the conformance suite against services made by newService,
// a fresh one for each subtest: creating, an unchanged rerun, a change
// with remembered ids, a stale id, multi-label zones, bad credentials,
// 429 and 503 with Retry-After, a dead endpoint and a canceled context.
func Run(t *testing.T, newService func() Service) {
	t.Run("first publish creates, a rerun writes nothing", func(t *testing.T) {
		s, p, _ := start(t, newService, "")
		h := s.Name()
		s.Add(h)
		first := set(t, p, h, "192.0.2.10", publish.Hint{})
		holds(t, s, h, "A", "192.0.2.10")
		if s.AddZone != nil && (first.RecordID == "" || first.ZoneName != "example.com") {
			t.Errorf("create: %+v, want the record id and zone to remember", first)
		}
		set(t, p, h, "2001:db8::10", publish.Hint{})
		holds(t, s, h, "AAAA", "2001:db8::10")
		again := set(t, p, h, "192.0.2.10", publish.Hint{})
		holds(t, s, h, "A", "192.0.2.10")
		if s.AddZone != nil && !s.Blind && !again.Unchanged {
			t.Errorf("rerun: %+v, want Unchanged", again)
		}
	})
	t.Run("an address change with remembered ids", func(t *testing.T) {
		s, p, _ := start(t, newService, "")
		h := s.Name()
		s.Add(h)
		first := set(t, p, h, "192.0.2.10", publish.Hint{})
		s.Reset()
		set(t, p, h, "192.0.2.11", hint(first))
		holds(t, s, h, "A", "192.0.2.11")
		if s.ChangeCalls != 0 && s.Calls() != s.ChangeCalls {
			t.Errorf("the change cost %d requests, want %d", s.Calls(), s.ChangeCalls)
		}
	})
	t.Run("a stale record id falls back", func(t *testing.T) {
		s, p, _ := start(t, newService, "")
		h := s.Name()
		if s.AddZone == nil {
			t.Skip("a dyndns-style service: no record ids")
		}
		s.Add(h)
		first := set(t, p, h, "192.0.2.10", publish.Hint{})
		s.Delete(h, "A")
		set(t, p, h, "192.0.2.11", hint(first))
		holds(t, s, h, "A", "192.0.2.11")
	})
	t.Run("multi-label zones", func(t *testing.T) {
		s, p, _ := start(t, newService, "")
		if s.AddZone == nil {
			t.Skip("a dyndns-style service: no zones")
		}
		s.AddZone("example.com")
		s.AddZone("b.example.com")
		res := set(t, p, "a.b.example.com", "192.0.2.10", publish.Hint{})
		if want := "b.example.com"; res.ZoneName != want && !s.Blind || s.Blind && res.ZoneName != "example.com" {
			t.Errorf("zone %q, want the longest (the shortest for a blind provider)", res.ZoneName)
		}
		holds(t, s, "a.b.example.com", "A", "192.0.2.10")
		set(t, p, "x.y~example.com", "192.0.2.11", publish.Hint{})
		holds(t, s, "x.y.example.com", "A", "192.0.2.11")
	})
	t.Run("bad credentials: permanent, one request", func(t *testing.T) {
		s, p, log := start(t, newService, "bad")
		h := s.Name()
		s.Add(h)
		_, err := p.Set(context.Background(), record(h, "192.0.2.10", publish.Hint{}))
		if !publish.IsPermanent(err) {
			t.Errorf("error %v, want a permanent one", err)
		}
		if s.Calls() != 1 {
			t.Errorf("%d requests, want 1", s.Calls())
		}
		clean(t, s, err, log)
	})
	for _, c := range []struct {
		status int
		after  string
		want   time.Duration
	}{{429, "7", 7 * time.Second}, {503, "2", 2 * time.Second}} {
		t.Run("HTTP "+http.StatusText(c.status)+": transient with Retry-After", func(t *testing.T) {
			s, p, log := start(t, newService, "")
			h := s.Name()
			s.Add(h)
			s.Fail(c.status, c.after)
			_, err := p.Set(context.Background(), record(h, "192.0.2.10", publish.Hint{}))
			if err == nil || publish.IsPermanent(err) {
				t.Fatalf("error %v, want a transient one", err)
			}
			if got := publish.RetryAfter(err); got != c.want {
				t.Errorf("RetryAfter %v, want %v", got, c.want)
			}
			clean(t, s, err, log)
		})
	}
	t.Run("a dead endpoint: transient", func(t *testing.T) {
		s := newService()
		if s.Close != nil {
			t.Cleanup(s.Close)
		}
		srv := httptest.NewServer(http.NotFoundHandler())
		srv.Close() // nothing listens there any more
		log := &bytes.Buffer{}
		p, err := publish.New(s.Provider, publish.Settings{
			ID: s.ID, Token: s.Token, Endpoint: srv.URL + s.Path, HTTP: &http.Client{Timeout: 5 * time.Second},
			Log: zerolog.New(log).Level(zerolog.DebugLevel), Now: time.Now,
		})
		if err != nil {
			t.Fatal(err)
		}
		_, err = p.Set(context.Background(), record(s.Name(), "192.0.2.10", publish.Hint{}))
		if err == nil || publish.IsPermanent(err) || errors.Is(err, publish.ErrNotFound) {
			t.Fatalf("error %v, want a transient one", err)
		}
		clean(t, s, err, log)
	})
	t.Run("a canceled context", func(t *testing.T) {
		s, p, _ := start(t, newService, "")
		s.Add(s.Name())
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := p.Set(ctx, record(s.Name(), "192.0.2.10", publish.Hint{})); !errors.Is(err, context.Canceled) {
			t.Fatalf("error %v, want context.Canceled", err)
		}
	})
}

// start builds the provider on a new service's fake, with the good token
// or the bad one, logging at debug level into the returned buffer.
func start(t *testing.T, newService func() Service, token string) (Service, publish.Provider, *bytes.Buffer) {
	t.Helper()
	s := newService()
	if s.Close != nil {
		t.Cleanup(s.Close)
	}
	srv := httptest.NewServer(s.Fake)
	t.Cleanup(srv.Close)
	if token == "" {
		token = s.Token
	} else {
		token = s.BadToken
	}
	log := &bytes.Buffer{}
	p, err := publish.New(s.Provider, publish.Settings{
		ID: s.ID, Token: token, Endpoint: srv.URL + s.Path, HTTP: srv.Client(),
		Log: zerolog.New(log).Level(zerolog.DebugLevel), Now: time.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	return s, p, log
}

// Name is the name the suite publishes: Host, or home.example.com.
func (s Service) Name() string {
	if s.Host != "" {
		return s.Host
	}
	return "home.example.com"
}

// Add makes fqdn publishable: adds its zone (the last two labels) or,
// at a dyndns-style service, the host.
func (s Service) Add(fqdn string) {
	if s.AddZone == nil {
		s.AddHost(fqdn)
		return
	}
	labels := strings.Split(fqdn, ".")
	s.AddZone(strings.Join(labels[len(labels)-2:], "."))
}

func record(domain, addr string, h publish.Hint) publish.Record {
	r := Rec(domain, addr)
	r.Hint = h
	return r
}

func hint(res publish.Result) publish.Hint {
	return publish.Hint{ZoneID: res.ZoneID, ZoneName: res.ZoneName, RecordID: res.RecordID}
}

func set(t *testing.T, p publish.Provider, domain, addr string, h publish.Hint) publish.Result {
	t.Helper()
	res, err := p.Set(context.Background(), record(domain, addr, h))
	if err != nil {
		t.Fatalf("publish %s %s: %v", domain, addr, err)
	}
	return res
}

func holds(t *testing.T, s Service, fqdn, typ, addr string) {
	t.Helper()
	if got := s.Values(fqdn, typ); len(got) != 1 || got[0] != addr {
		t.Errorf("%s %s holds %q, want %s", fqdn, typ, got, addr)
	}
}

// clean checks an error and the log: one line naming the provider, no
// secret.
func clean(t *testing.T, s Service, err error, log *bytes.Buffer) {
	t.Helper()
	if err == nil {
		return
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, s.Provider+": ") && !strings.HasPrefix(msg, strings.TrimSuffix(s.Provider, "_dns")+": ") {
		t.Errorf("error %q does not start with %q", msg, s.Provider+": ")
	}
	if strings.ContainsAny(msg, "\r\n") {
		t.Errorf("error %q is not one line", msg)
	}
	for _, secret := range []string{s.Token, s.BadToken} {
		if strings.Contains(msg, secret) || strings.Contains(log.String(), secret) {
			t.Errorf("a token shows in the error or the log:\n%s\n%s", msg, log)
		}
	}
}
