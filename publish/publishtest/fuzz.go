package publishtest

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/ddns-go/ddns/publish"
)

// Seeds are the canned answers of flows, as fuzz seeds.
func Seeds(flows []Flow) []string {
	var out []string
	for _, fl := range flows {
		for _, r := range fl.Requests {
			out = append(out, string(r.Reply()))
		}
	}
	return out
}

// FuzzAnswers fuzzes a provider with arbitrary answers: parse (when not
// nil) gets the body, then a whole publish of home.example.com runs with
// every request answered 200 with it, and another with hint when it is
// set. Neither may panic, and a failed publish reports one line naming
// the provider, without the token.
func FuzzAnswers(f *testing.F, provider string, s publish.Settings, parse func([]byte), hint publish.Hint, seeds ...string) {
	for _, seed := range seeds {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if parse != nil {
			parse(body)
		}
		s := s
		s.HTTP = &http.Client{Transport: answerWith(body)}
		s.Log, s.Now = zerolog.Nop(), time.Now
		p, err := publish.New(provider, s)
		if err != nil {
			t.Fatal(err)
		}
		r := Rec("home.example.com", "192.0.2.10")
		hinted := r
		hinted.Hint = hint
		for _, r := range []publish.Record{r, hinted}[:1+min(1, len(hint.RecordID))] {
			_, err = p.Set(context.Background(), r)
			if err == nil {
				continue
			}
			if msg := err.Error(); !strings.HasPrefix(msg, provider+": ") || strings.ContainsAny(msg, "\r\n") || strings.Contains(msg, s.Token) {
				t.Errorf("error %q: want one line starting with the provider name, without the token", msg)
			}
		}
	})
}

// answerWith answers every request with 200 and the body.
type answerWith []byte

func (b answerWith) RoundTrip(req *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(b)), Request: req}, nil
}

// FuzzBodies fuzzes parse, a provider's answer parsers, with arbitrary
// answers: the seeds are the canned answers of the flows recorded in the
// vectors files at paths, and the test's own corpus in
// testdata/fuzz/<its name>, where the service's other shapes are kept.
func FuzzBodies(f *testing.F, parse func(t *testing.T, body []byte), paths ...string) {
	for _, path := range paths {
		for _, seed := range Seeds(ReadFlows(f, path)) {
			f.Add([]byte(seed))
		}
	}
	f.Fuzz(parse)
}

// FuzzResponses is FuzzBodies for parsers of whole answers: a status
// (seeded with the recorded ones) and a body, as a publish.Response with
// a Retry-After header.
func FuzzResponses(f *testing.F, path string, parse func(t *testing.T, resp *publish.Response)) {
	for _, fl := range ReadFlows(f, path) {
		for _, r := range fl.Requests {
			f.Add(r.Canned.Status, r.Reply())
		}
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		parse(t, &publish.Response{Status: status, Header: http.Header{"Retry-After": {"5"}}, Body: body})
	})
}
