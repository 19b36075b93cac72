package publishtest

import (
	"bytes"
	"cmp"
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
)

// Flows are recorded flows of the original client: what it was asked to
// publish and every request it sent, with the answers it got. Most
// providers' testdata/<name>.json files hold them.
type Flows struct {
	Flows []Flow
}

// Flow is one recorded publish.
type Flow struct {
	Name         string
	RegistryName string `json:"registry_name"`
	Constructor  struct{ ID, Token string }
	SetRecord    struct {
		Domain, Value string
		RecordType    string `json:"record_type"`
		TTL           int
		Line          string
		Extra         json.RawMessage // a JSON object, its members in order
	} `json:"set_record"`
	Requests []Exchange
	Result   bool // whether the publish succeeded
}

// Exchange is one recorded request and the answer it got.
type Exchange struct {
	Method, URL string
	Body        *string // nil: none recorded (an empty body)
	Headers     map[string]string
	Canned      struct {
		Status int
		Body   json.RawMessage // a JSON string is the answer's text
	} `json:"canned_response"`
}

// Reply is the canned answer as sent: a JSON string's text, else the JSON.
func (e Exchange) Reply() []byte {
	var text string
	if json.Unmarshal(e.Canned.Body, &text) == nil {
		return []byte(text)
	}
	return e.Canned.Body
}

// Answer makes an Exchange's canned answer.
func Answer(status int, body string) Exchange {
	var e Exchange
	e.Canned.Status, e.Canned.Body = status, json.RawMessage(body)
	return e
}

// ReadFlows reads a vectors file.
func ReadFlows(tb testing.TB, path string) []Flow {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	var fs Flows
	if err := json.Unmarshal(data, &fs); err != nil {
		tb.Fatal(err)
	}
	if len(fs.Flows) == 0 {
		tb.Fatalf("no flows in %s", path)
	}
	return fs.Flows
}

// Record is the record the flow publishes.
func (fl Flow) Record() publish.Record {
	sr := fl.SetRecord
	return publish.Record{Domain: sr.Domain, Type: sr.RecordType, Addr: netip.MustParseAddr(sr.Value), TTL: sr.TTL, Line: sr.Line}
}

// Sent is one request as it left the provider.
type Sent struct {
	Method, URL, Body string
	Header            http.Header
}

// Replay is an http.RoundTripper answering canned answers in order and
// recording every request exactly as the client would put it on the wire;
// past the last answer it answers 599.
type Replay struct {
	Answers []Exchange
	Sent    []Sent
}

// RoundTrip records req and answers the next canned answer.
func (r *Replay) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
	}
	header := req.Header.Clone()
	if header.Get("Host") == "" { // on the wire, Host is a header like the others
		header.Set("Host", cmp.Or(req.Host, req.URL.Host))
	}
	r.Sent = append(r.Sent, Sent{req.Method, req.URL.String(), string(body), header})
	resp := &http.Response{StatusCode: 599, Body: io.NopCloser(strings.NewReader("no canned answer left")), Header: http.Header{}, Request: req}
	if len(r.Answers) > 0 {
		a := r.Answers[0]
		r.Answers = r.Answers[1:]
		resp.StatusCode, resp.Body = a.Canned.Status, io.NopCloser(bytes.NewReader(a.Reply()))
	}
	return resp, nil
}

// Check compares the requests sent with the ones wanted, byte for byte:
// method, full URL, the wanted headers, body.
func Check(t *testing.T, sent []Sent, want []Exchange) {
	t.Helper()
	if len(sent) != len(want) {
		t.Fatalf("%d requests, want %d", len(sent), len(want))
	}
	for i, w := range want {
		got := sent[i]
		if got.Method != w.Method || got.URL != w.URL {
			t.Errorf("request %d: %s %s, want %s %s", i, got.Method, got.URL, w.Method, w.URL)
		}
		for k, v := range w.Headers {
			if got.Header.Get(k) != v {
				t.Errorf("request %d: header %s = %q, want %q", i, k, got.Header.Get(k), v)
			}
		}
		if w.Body != nil && got.Body != *w.Body || w.Body == nil && got.Body != "" {
			t.Errorf("request %d: body\n got %s\nwant %v", i, got.Body, w.Body)
		}
	}
}

// Ordered decodes a JSON object into an Extra, keeping the members'
// order; numbers stay json.Number. A null or empty raw is no Extra.
func Ordered(t *testing.T, raw json.RawMessage) publish.Extra { return members(t, raw, true) }

// OrderedRaw is Ordered with every value but a string kept as raw JSON,
// which publish.PyJSON re-encodes as written (nested objects in order).
func OrderedRaw(t *testing.T, raw json.RawMessage) publish.Extra { return members(t, raw, false) }

func members(t *testing.T, raw json.RawMessage, decode bool) publish.Extra {
	t.Helper()
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not a JSON object: %s", raw)
	}
	var out publish.Extra
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		var val any = v
		var text string
		if json.Unmarshal(v, &text) == nil {
			val = text
		} else if decode {
			d := json.NewDecoder(bytes.NewReader(v))
			d.UseNumber()
			d.Decode(&val)
		}
		out = append(out, publish.KV{Key: tok.(string), Value: val})
	}
	return out
}

// Play publishes the flow's record (with its extra) with a provider built from the flow's
// registry name and credentials whose requests go to a Replay of want,
// with the clock pinned at now, after prepare (which pins what else the
// recording pinned, a nonce); it checks the verdict against the flow's
// and the requests against want (Check), and returns the result.
func Play(t *testing.T, fl Flow, want []Exchange, now time.Time, prepare ...func(publish.Provider)) publish.Result {
	t.Helper()
	rt := &Replay{Answers: want}
	p, err := publish.New(fl.RegistryName, publish.Settings{
		ID: fl.Constructor.ID, Token: fl.Constructor.Token,
		HTTP: &http.Client{Transport: rt}, Log: zerolog.Nop(), Now: func() time.Time { return now },
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range prepare {
		f(p)
	}
	rec := fl.Record()
	rec.Extra = Ordered(t, fl.SetRecord.Extra)
	res, err := p.Set(context.Background(), rec)
	if (err == nil) != fl.Result {
		t.Fatalf("Set: %v, want success %v", err, fl.Result)
	}
	Check(t, rt.Sent, want)
	return res
}

// ReadJSON decodes the JSON file at path into v, numbers that go into an
// interface as json.Number (a TTL of 600 stays 600, not 600.0).
func ReadJSON(tb testing.TB, path string, v any) {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	if err := d.Decode(v); err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
}
