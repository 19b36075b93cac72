package he_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/he"
	"github.com/ddns-go/ddns/publish/he/hefake"
)

// pinned is the clock of the recorded vectors (he reads no clock, but the
// settings are built as the vectors were).
var pinned = time.Unix(1700000000, 123456000)

type vectorFlow struct {
	Name        string
	Constructor struct{ ID, Token string }
	SetRecord   struct {
		Domain     string
		Value      string
		RecordType string `json:"record_type"`
	} `json:"set_record"`
	Requests []struct {
		Method, URL string
		Headers     map[string]string
		Body        string
		Canned      struct {
			Status int
			Body   string
		} `json:"canned_response"`
	}
	Result bool
}

func loadVectors(tb testing.TB) []vectorFlow {
	tb.Helper()
	data, err := os.ReadFile("testdata/he.json")
	if err != nil {
		tb.Fatal(err)
	}
	var vf struct{ Flows []vectorFlow }
	if err := json.Unmarshal(data, &vf); err != nil {
		tb.Fatal(err)
	}
	if len(vf.Flows) == 0 {
		tb.Fatal("no flows in testdata/he.json")
	}
	return vf.Flows
}

// recorder is a transport that records requests and answers with canned
// responses, so the default endpoint is exercised without any network.
type recorder struct {
	reqs    []*http.Request
	bodies  []string
	answers []*http.Response
}

func (rc *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	b := ""
	if req.Body != nil {
		data, _ := io.ReadAll(req.Body)
		b = string(data)
	}
	rc.reqs, rc.bodies = append(rc.reqs, req), append(rc.bodies, b)
	resp := rc.answers[0]
	rc.answers = rc.answers[1:]
	resp.Request = req
	return resp, nil
}

func vectorRecord(fl vectorFlow) publish.Record {
	sr := fl.SetRecord
	return publish.Record{Domain: sr.Domain, Type: sr.RecordType, Addr: netip.MustParseAddr(sr.Value)}
}

// TestVectors replays the original client's recorded flows with the
// default endpoint and compares every request byte for byte: method, full
// URL, the recorded headers (and no Accept header), body; and the verdict.
func TestVectors(t *testing.T) {
	for _, fl := range loadVectors(t) {
		t.Run(fl.Name, func(t *testing.T) {
			rc := &recorder{}
			for _, r := range fl.Requests {
				rc.answers = append(rc.answers, &http.Response{
					StatusCode: r.Canned.Status, Header: http.Header{},
					Body: io.NopCloser(strings.NewReader(r.Canned.Body)),
				})
			}
			p, err := he.New(publish.Settings{ID: fl.Constructor.ID, Token: fl.Constructor.Token,
				HTTP: &http.Client{Transport: rc}, Now: func() time.Time { return pinned }})
			if err != nil {
				t.Fatal(err)
			}
			_, err = p.Set(context.Background(), vectorRecord(fl))
			if (err == nil) != fl.Result {
				t.Fatalf("Set: %v, want success %v", err, fl.Result)
			}
			if len(rc.reqs) != len(fl.Requests) {
				t.Fatalf("%d requests, want %d", len(rc.reqs), len(fl.Requests))
			}
			for i, want := range fl.Requests {
				got := rc.reqs[i]
				if got.Method != want.Method {
					t.Errorf("request %d: method %s, want %s", i, got.Method, want.Method)
				}
				if got.URL.String() != want.URL {
					t.Errorf("request %d: URL %s, want %s", i, got.URL, want.URL)
				}
				for k, v := range want.Headers {
					if got.Header.Get(k) != v {
						t.Errorf("request %d: header %s = %q, want %q", i, k, got.Header.Get(k), v)
					}
				}
				if a := got.Header.Get("Accept"); a != "" {
					t.Errorf("request %d: Accept %q, want none", i, a)
				}
				if rc.bodies[i] != want.Body {
					t.Errorf("request %d: body\n got %s\nwant %s", i, rc.bodies[i], want.Body)
				}
			}
		})
	}
}

// TestVectorsAgainstFake checks that the fake accepts exactly what the
// original client sends: the recorded request, replayed through the
// provider at the fake, authenticates and updates.
func TestVectorsAgainstFake(t *testing.T) {
	for _, fl := range loadVectors(t) {
		t.Run(fl.Name, func(t *testing.T) {
			f := hefake.New()
			f.AddHost(fl.SetRecord.Domain, fl.Constructor.Token)
			srv := httptest.NewServer(f)
			defer srv.Close()
			p, err := he.New(publish.Settings{Token: fl.Constructor.Token, Endpoint: srv.URL, HTTP: srv.Client(), Now: func() time.Time { return pinned }})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := p.Set(context.Background(), vectorRecord(fl)); (err == nil) != fl.Result {
				t.Fatalf("Set: %v, want success %v", err, fl.Result)
			}
			reqs := f.Requests()
			if len(reqs) != 1 {
				t.Fatalf("%d requests, want 1", len(reqs))
			}
			want := fl.Requests[0]
			if path := strings.TrimPrefix(want.URL, he.DefaultEndpoint); reqs[0].URI != path || string(reqs[0].Body) != want.Body {
				t.Errorf("got %s %s, want %s %s", reqs[0].URI, reqs[0].Body, path, want.Body)
			}
			if got := f.Addr(fl.SetRecord.Domain, fl.SetRecord.RecordType); got != fl.SetRecord.Value {
				t.Errorf("fake holds %q, want %s", got, fl.SetRecord.Value)
			}
		})
	}
}
