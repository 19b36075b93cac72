package publishtest

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ddns-go/ddns/publish"
)

// Tampered is a change made to every request after it was signed, and
// the text of the error the fake must refuse it with ("" = accepted).
type Tampered struct {
	Name   string
	Change func(r *http.Request)
	Want   string
}

// Signed describes a provider whose fake checks request signatures.
type Signed struct {
	Build     func(publish.Settings) (publish.Provider, error)
	ID, Token string                          // the credentials the fake accepts
	Fake      func(t *testing.T) http.Handler // a fresh fake holding the zone example.com
	Refused   string                          // the error of a signature that does not match
	Missing   string                          // the error of a request without Authorization
}

// ExpectSigned checks that the fake refuses a request changed after
// signing, as the service's gateway does, so that the provider's other
// tests prove it signs what it sends. It publishes example.com:
// untouched requests pass; a body
// (where there is one) or the Host changed, or Authorization removed, is
// a permanent error with s's texts; then the cases of the service's own.
func ExpectSigned(t *testing.T, s Signed, cases ...Tampered) {
	common := []Tampered{
		{"untouched", func(r *http.Request) {}, ""},
		{"body", func(r *http.Request) {
			if r.Body == nil || r.ContentLength == 0 {
				return
			}
			// A space more: still the same JSON or form, only the
			// signature can tell.
			r.Body, r.ContentLength = io.NopCloser(io.MultiReader(r.Body, strings.NewReader(" "))), r.ContentLength+1
		}, s.Refused},
		{"host", func(r *http.Request) { r.Host = "api.example.net" }, s.Refused},
		{"no authorization", func(r *http.Request) { r.Header.Del("Authorization") }, s.Missing},
	}
	for _, c := range append(common, cases...) {
		t.Run(c.Name, func(t *testing.T) {
			srv := httptest.NewServer(s.Fake(t))
			t.Cleanup(srv.Close)
			p, err := s.Build(publish.Settings{ID: s.ID, Token: s.Token, Endpoint: srv.URL, HTTP: &http.Client{Transport: tamper{srv.Client().Transport, c.Change}}})
			if err != nil {
				t.Fatal(err)
			}
			_, err = p.Set(context.Background(), Rec("example.com", "192.0.2.1"))
			if c.Want == "" && err != nil || c.Want != "" && (err == nil || !strings.Contains(err.Error(), c.Want) || !publish.IsPermanent(err)) {
				t.Errorf("Set: %v, want %q", err, c.Want)
			}
		})
	}
}

// tamper changes a copy of each request before sending it.
type tamper struct {
	rt     http.RoundTripper
	change func(*http.Request)
}

func (t tamper) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	t.change(r)
	return t.rt.RoundTrip(r)
}

// Serve serves the recorded request e, with body, to h.
func Serve(h http.Handler, e Exchange, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(e.Method, e.URL, strings.NewReader(body))
	for k, v := range e.Headers {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// ExpectAccepted cross-checks a fake's independent verifier with the
// original client's signatures: every request recorded in flows, served
// as recorded to the fake that fake makes for its flow (the flow's
// credentials, the recording's clock), must pass authentication, which
// refused tells from the answer.
func ExpectAccepted(t *testing.T, flows []Flow, fake func(fl Flow) http.Handler, refused func(answer *httptest.ResponseRecorder) bool) {
	t.Helper()
	for _, fl := range flows {
		h := fake(fl)
		for i, e := range fl.Requests {
			body := ""
			if e.Body != nil {
				body = *e.Body
			}
			if rec := Serve(h, e, body); refused(rec) {
				t.Errorf("%s request %d refused: %s", fl.Name, i+1, rec.Body)
			}
		}
	}
}
