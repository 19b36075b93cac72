package publishtest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ddns-go/ddns/publish"
)

// Logging is a fake that logs its requests' actions, as Base does.
type Logging interface {
	Counting
	Actions() []string
}

// Kit is how a provider's own tests reach it: its constructor, the
// credentials its fake accepts, how to make a fake and add a zone.
type Kit[F Logging] struct {
	Provider  string
	Build     func(publish.Settings) (publish.Provider, error)
	ID, Token string
	New       func() F
	AddZone   func(f F, zone string) string // returns the zone's id
}

// Env is an account on a fresh fake, served, and a provider on it.
type Env[F Logging] struct {
	*Account[F]
	P publish.Provider
}

// Start serves a fresh fake holding zones and builds the provider on it.
func (k Kit[F]) Start(t *testing.T, zones ...string) *Env[F] {
	t.Helper()
	f := k.New()
	a := NewAccount(t, f, func(z string) string { return k.AddZone(f, z) }, zones...)
	return &Env[F]{a, k.On(t, a, k.ID, k.Token)}
}

// On builds a provider (a fresh one, as a new process would) on a's
// server, with credentials id and token.
func (k Kit[F]) On(t *testing.T, a *Account[F], id, token string) publish.Provider {
	t.Helper()
	return Provider(t, k.Build, a.Settings(id, token, nil))
}

// Set publishes addr at domain (Rec, changed by opts) with e's provider.
func (e *Env[F]) Set(domain, addr string, opts ...func(*publish.Record)) (publish.Result, error) {
	return e.P.Set(context.Background(), With(Rec(domain, addr), opts...))
}

// ExpectActions compares the actions of the requests the fake received,
// in order, with want.
func (e *Env[F]) ExpectActions(t *testing.T, want ...string) {
	t.Helper()
	if got := e.Fake.Actions(); !slices.Equal(got, want) {
		t.Errorf("calls %v, want %v", got, want)
	}
}

// BadCredential is credentials the fake refuses, and the service's code
// for them.
type BadCredential struct {
	Name, ID, Token, Code string
}

// ExpectBadCredentials publishes home.example.com with each of bad: a
// permanent error containing text and the case's code, in exactly one
// request (no retry), that shows neither token nor signature.
func (k Kit[F]) ExpectBadCredentials(t *testing.T, text string, bad ...BadCredential) {
	for _, c := range bad {
		t.Run(c.Name, func(t *testing.T) {
			e := k.Start(t, "example.com")
			_, err := k.On(t, e.Account, c.ID, c.Token).Set(context.Background(), Rec("home.example.com", "192.0.2.10"))
			Expect(t, err, Permanent, k.Provider, text, 0, c.Token, "Signature=")
			if !strings.Contains(err.Error(), c.Code) {
				t.Errorf("error %q, want the code %s", err, c.Code)
			}
			if n := e.Fake.Calls(""); n != 1 {
				t.Errorf("%d requests, want exactly 1 (no retry)", n)
			}
		})
	}
}

// FaultCase is a fault queued before a publish, and the error it must
// give: transient, containing Text, with the Retry-After delay Retry.
type FaultCase struct {
	Name  string
	Fault Fault
	Retry time.Duration
	Text  string
}

// ExpectFaults publishes home.example.com after queueing each case's
// fault: a transient error as the case says, one request of action
// first, and the next publish (the caller's retry) goes through.
func (k Kit[F]) ExpectFaults(t *testing.T, first string, cases ...FaultCase) {
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			e := k.Start(t, "example.com")
			e.Fake.Fail(c.Fault)
			_, err := e.Set("home.example.com", "192.0.2.10")
			Expect(t, err, Transient, k.Provider, c.Text, c.Retry, k.Token)
			e.ExpectActions(t, first)
			if _, err := e.Set("home.example.com", "192.0.2.10"); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// ExpectBrokenSteps answers each request of a first publish of
// home.example.com in turn (steps name them) with each of bodies, a
// broken 2xx answer, the other requests served by a fresh fake: every
// one is a one-line transient error, none a panic or a success, but
// where taken says the provider may take the answer as valid.
func (k Kit[F]) ExpectBrokenSteps(t *testing.T, steps, bodies []string, taken func(step int, body string) bool) {
	for i, step := range steps {
		for _, body := range bodies {
			f := k.New()
			k.AddZone(f, "example.com")
			srv := httptest.NewServer(breakNth(f, i, body))
			p := Provider(t, k.Build, publish.Settings{ID: k.ID, Token: k.Token, Endpoint: srv.URL, HTTP: srv.Client(), Now: time.Now})
			_, err := p.Set(context.Background(), Rec("home.example.com", "192.0.2.10"))
			srv.Close()
			if err == nil && taken != nil && taken(i, body) {
				continue
			}
			if err == nil || publish.IsPermanent(err) || strings.ContainsAny(err.Error(), "\r\n") {
				t.Errorf("%s (call %d) answering %q: %v, want a one-line transient error", step, i+1, body, err)
			}
		}
	}
}

// breakNth answers request n (from 0) with a raw 200 body and passes
// every other request to h.
func breakNth(h http.Handler, n int, body string) http.Handler {
	seen := 0
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if seen++; seen-1 == n {
			w.Write([]byte(body))
			return
		}
		h.ServeHTTP(w, r)
	})
}
