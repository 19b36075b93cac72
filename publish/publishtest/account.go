package publishtest

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ddns-go/ddns/publish"
)

// Counting is a fake that counts requests by action, as Base does.
type Counting interface {
	FakeServer
	CallCounts() map[string]int
}

// Account is an account on a fake served on a test server (closed with
// the test), for a provider's own table tests: the fake, its server and
// the ids of the zones it was given.
type Account[F Counting] struct {
	Fake  F
	Srv   *httptest.Server
	Zones map[string]string // name → id
}

// NewAccount serves fake after adding zones to it with add, which
// returns a zone's id.
func NewAccount[F Counting](t *testing.T, fake F, add func(zone string) string, zones ...string) *Account[F] {
	t.Helper()
	a := &Account[F]{Fake: fake, Zones: map[string]string{}}
	for _, z := range zones {
		a.Zones[z] = add(z)
	}
	a.Srv = httptest.NewServer(fake)
	t.Cleanup(a.Srv.Close)
	return a
}

// Settings are a provider's on the account's server, with credentials id
// and token and the clock now (nil = time.Now).
func (a *Account[F]) Settings(id, token string, now func() time.Time) publish.Settings {
	if now == nil {
		now = time.Now
	}
	return publish.Settings{ID: id, Token: token, Endpoint: a.Srv.URL, HTTP: a.Srv.Client(), Now: now}
}

// Provider is build's provider with settings s, or the end of the test.
func Provider(t *testing.T, build func(publish.Settings) (publish.Provider, error), s publish.Settings) publish.Provider {
	t.Helper()
	p, err := build(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// ExpectCalls compares the requests the fake received, by action, with
// want (see ExpectCalls).
func (a *Account[F]) ExpectCalls(t *testing.T, want map[string]int) {
	t.Helper()
	ExpectCalls(t, a.Fake.CallCounts(), want)
}

// ExpectSlash publishes rec with the endpoint of s (which has none)
// followed by "/": it is the same endpoint (the original would request
// "//" and be refused).
func ExpectSlash(t *testing.T, build func(publish.Settings) (publish.Provider, error), s publish.Settings, rec publish.Record) {
	t.Helper()
	s.Endpoint += "/"
	if _, err := Provider(t, build, s).Set(context.Background(), rec); err != nil {
		t.Fatal(err)
	}
}
