package namesilo_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/ddns-go/ddns/publish"
	_ "github.com/ddns-go/ddns/publish/namesilo"
)

// pinned is the clock of the recorded vectors (NameSilo requests carry no
// time, so it only keeps the run deterministic).
var pinned = time.Unix(1700000000, 0)

type vectorFile struct {
	Flows []vectorFlow
}

type vectorFlow struct {
	Name         string
	RegistryName string `json:"registry_name"`
	Constructor  struct{ ID, Token string }
	SetRecord    struct {
		Domain, Value string
		RecordType    string `json:"record_type"`
		TTL           int
	} `json:"set_record"`
	Requests []vectorRequest
	Result   bool
}

type vectorRequest struct {
	Method, URL string
	Body        *string
	Headers     map[string]string
	Canned      struct {
		Status int
		Body   json.RawMessage
	} `json:"canned_response"`
}

func readVectors(tb testing.TB) vectorFile {
	tb.Helper()
	data, err := os.ReadFile("testdata/namesilo.json")
	if err != nil {
		tb.Fatal(err)
	}
	var vf vectorFile
	if err := json.Unmarshal(data, &vf); err != nil {
		tb.Fatal(err)
	}
	return vf
}

// sent is one request as it left the provider.
type sent struct {
	method, url string
	body        []byte
	header      http.Header
}

// replay is an http.RoundTripper answering canned responses in order and
// recording every request exactly as the client would put it on the wire.
type replay struct {
	answers []vectorRequest
	sent    []sent
}

func (r *replay) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
	}
	r.sent = append(r.sent, sent{req.Method, req.URL.String(), body, req.Header})
	resp := &http.Response{StatusCode: 599, Body: io.NopCloser(strings.NewReader("no canned answer left")), Header: http.Header{}, Request: req}
	if len(r.answers) > 0 {
		a := r.answers[0]
		r.answers = r.answers[1:]
		resp.StatusCode, resp.Body = a.Canned.Status, io.NopCloser(bytes.NewReader(a.Canned.Body))
	}
	return resp, nil
}

// TestVectors replays the original client's recorded flows and compares
// every request byte for byte: method, full URL (default endpoint, sorted
// query with the key), headers, no body. One difference is deliberate:
// the engine asks for the longest candidate zone first, so the flow
// starts with one getDomainInfo for www.example.com (answered "not this
// account's", code 200) before the recorded requests.
func TestVectors(t *testing.T) {
	vf := readVectors(t)
	if len(vf.Flows) == 0 {
		t.Fatal("no flows in the vectors file")
	}
	wantRef := map[string]string{"create": "1a2b3c4d5e6f/3600", "update": "1a2b3c4d5e6f/7207"}
	for _, fl := range vf.Flows {
		t.Run(fl.Name, func(t *testing.T) { replayFlow(t, fl, wantRef[fl.Name]) })
	}
}

func replayFlow(t *testing.T, fl vectorFlow, wantRef string) {
	// Given the recorded requests, preceded by the longest-first probe.
	probe := fl.Requests[0]
	probe.URL = strings.Replace(probe.URL, "domain="+zoneOf(fl.SetRecord.Domain), "domain="+fl.SetRecord.Domain, 1)
	probe.Canned.Status = 200
	probe.Canned.Body = json.RawMessage(`{"request": {"operation": "getDomainInfo", "ip": "1.2.3.4"}, "reply": {"code": "200", "detail": "Domain is not active, or does not belong to this user"}}`)
	want := append([]vectorRequest{probe}, fl.Requests...)
	rt := &replay{answers: want}
	p, err := publish.New(fl.RegistryName, publish.Settings{
		ID: fl.Constructor.ID, Token: fl.Constructor.Token,
		HTTP: &http.Client{Transport: rt}, Log: zerolog.Nop(), Now: func() time.Time { return pinned },
	})
	if err != nil {
		t.Fatal(err)
	}

	// When the record is set.
	sr := fl.SetRecord
	res, err := p.Set(context.Background(), publish.Record{Domain: sr.Domain, Type: sr.RecordType, Addr: netip.MustParseAddr(sr.Value), TTL: sr.TTL})

	// Then the same requests went out and the verdict matches.
	if (err == nil) != fl.Result {
		t.Fatalf("Set: %v, want success %v", err, fl.Result)
	}
	if res.RecordID != wantRef || res.ZoneID != "example.com" || res.ZoneName != "example.com" {
		t.Errorf("result %+v, want record %s in zone example.com", res, wantRef)
	}
	if len(rt.sent) != len(want) {
		t.Fatalf("%d requests, want %d", len(rt.sent), len(want))
	}
	for i, w := range want {
		got := rt.sent[i]
		if got.method != w.Method || got.url != w.URL {
			t.Errorf("request %d:\n got %s %s\nwant %s %s", i, got.method, got.url, w.Method, w.URL)
		}
		for k, v := range w.Headers {
			if got.header.Get(k) != v {
				t.Errorf("request %d: header %s = %q, want %q", i, k, got.header.Get(k), v)
			}
		}
		if w.Body == nil && len(got.body) != 0 {
			t.Errorf("request %d: body %q, want none", i, got.body)
		}
	}
}

// zoneOf drops the first label: the vectors' zone is the parent domain.
func zoneOf(domain string) string {
	_, zone, _ := strings.Cut(domain, ".")
	return zone
}
