package west_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/west"
	"github.com/ddns-go/ddns/publish/west/westfake"
)

// pinned is the clock of the recorded vectors (west reads no clock, but
// the settings are built as the vectors were).
var pinned = time.Unix(1700000000, 123456000)

type vectorFlow struct {
	Name        string
	Constructor struct {
		ID    *string
		Token string
	}
	SetRecord struct {
		Domain     string
		Value      string
		RecordType string `json:"record_type"`
		Line       string
	} `json:"set_record"`
	Requests []struct {
		Method, URL string
		Headers     map[string]string
		Body        string
		Canned      struct {
			Status int
			Body   json.RawMessage
		} `json:"canned_response"`
	}
	Result bool
}

func (fl vectorFlow) id() string {
	if fl.Constructor.ID == nil {
		return ""
	}
	return *fl.Constructor.ID
}

func (fl vectorFlow) record() publish.Record {
	sr := fl.SetRecord
	return publish.Record{Domain: sr.Domain, Type: sr.RecordType, Addr: netip.MustParseAddr(sr.Value), Line: sr.Line}
}

func loadVectors(tb testing.TB) []vectorFlow {
	tb.Helper()
	data, err := os.ReadFile("testdata/west.json")
	if err != nil {
		tb.Fatal(err)
	}
	var vf struct{ Flows []vectorFlow }
	if err := json.Unmarshal(data, &vf); err != nil {
		tb.Fatal(err)
	}
	if len(vf.Flows) == 0 {
		tb.Fatal("no flows in testdata/west.json")
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
	if len(rc.answers) == 0 {
		return &http.Response{StatusCode: 599, Header: http.Header{}, Body: io.NopCloser(strings.NewReader("")), Request: req}, nil
	}
	resp := rc.answers[0]
	rc.answers = rc.answers[1:]
	resp.Request = req
	return resp, nil
}

// documentedURL is the vector's URL as this package sends it: the original
// requests ".../domain/dns//" (its URL joining adds a "/" to an endpoint
// that already ends with one); West documents ".../domain/dns/".
func documentedURL(vectorURL string) string {
	return strings.TrimSuffix(vectorURL, "/")
}

// TestVectors replays the original client's recorded flows with the
// default endpoint and compares every request byte for byte: method, URL
// (with the one documented deviation, the double slash), the recorded
// headers, the body; and the verdict.
func TestVectors(t *testing.T) {
	for _, fl := range loadVectors(t) {
		t.Run(fl.Name, func(t *testing.T) {
			rc := &recorder{}
			for _, r := range fl.Requests {
				rc.answers = append(rc.answers, &http.Response{
					StatusCode: r.Canned.Status, Header: http.Header{"Content-Type": {"application/json"}},
					Body: io.NopCloser(strings.NewReader(string(r.Canned.Body))),
				})
			}
			p, err := west.New(publish.Settings{ID: fl.id(), Token: fl.Constructor.Token,
				HTTP: &http.Client{Transport: rc}, Now: func() time.Time { return pinned }})
			if err != nil {
				t.Fatal(err)
			}
			res, err := p.Set(context.Background(), fl.record())
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
				if !strings.HasSuffix(want.URL, "/dns//") {
					t.Errorf("request %d: the vector URL %s no longer has the double slash this test documents", i, want.URL)
				}
				if u := documentedURL(want.URL); got.URL.String() != u {
					t.Errorf("request %d: URL %s, want %s", i, got.URL, u)
				}
				for k, v := range want.Headers {
					if got.Header.Get(k) != v {
						t.Errorf("request %d: header %s = %q, want %q", i, k, got.Header.Get(k), v)
					}
				}
				if rc.bodies[i] != want.Body {
					t.Errorf("request %d: body\n got %s\nwant %s", i, rc.bodies[i], want.Body)
				}
			}
			// The zone that answered is remembered for the next change.
			last := fl.Requests[len(fl.Requests)-1].Body
			if !strings.Contains(last, "domain="+res.ZoneName+"&") {
				t.Errorf("Result.ZoneName %q is not the zone of the last request %s", res.ZoneName, last)
			}
		})
	}
}

// TestVectorsAgainstFake checks that the fake accepts exactly what the
// original client sends: each recorded flow, replayed through the provider
// at a fake holding the zones the canned answers imply, makes the same
// requests and leaves the record in place.
func TestVectorsAgainstFake(t *testing.T) {
	for _, fl := range loadVectors(t) {
		t.Run(fl.Name, func(t *testing.T) {
			f := westfake.New(fl.id(), fl.Constructor.Token)
			// The zone of the last (successful) request; a domain key is
			// only that zone's.
			last := fl.Requests[len(fl.Requests)-1].Body
			form := parseForm(t, last)
			f.AddZone(form["domain"], fl.Constructor.Token)
			srv := httptest.NewServer(f)
			defer srv.Close()
			p, err := west.New(publish.Settings{ID: fl.id(), Token: fl.Constructor.Token, Endpoint: srv.URL, HTTP: srv.Client(), Now: func() time.Time { return pinned }})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := p.Set(context.Background(), fl.record()); (err == nil) != fl.Result {
				t.Fatalf("Set: %v, want success %v", err, fl.Result)
			}
			reqs := f.Requests()
			if len(reqs) != len(fl.Requests) {
				t.Fatalf("%d requests, want %d", len(reqs), len(fl.Requests))
			}
			for i, want := range fl.Requests {
				if reqs[i].URI != westfake.Path || string(reqs[i].Body) != want.Body {
					t.Errorf("request %d: got %s %s, want %s %s", i, reqs[i].URI, reqs[i].Body, westfake.Path, want.Body)
				}
			}
			got := f.Records(form["domain"], form["hostname"], fl.SetRecord.RecordType)
			if len(got) != 1 || got[0].Value != fl.SetRecord.Value || got[0].Line != fl.SetRecord.Line {
				t.Errorf("fake holds %+v, want one record %s on line %q", got, fl.SetRecord.Value, fl.SetRecord.Line)
			}
		})
	}
}

func parseForm(t *testing.T, body string) map[string]string {
	t.Helper()
	v, err := url.ParseQuery(body)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for k := range v {
		out[k] = v.Get(k)
	}
	return out
}
