package tencentcloudfake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
)

// VectorFile is the layout of the shared spec's vectors/tencentcloud.json,
// edgeone.json and edgeone_dns.json: TC3 signing vectors and complete runs
// of the original client, recorded with its clock pinned.
type VectorFile struct {
	SigningVectors []SigningVector `json:"signing_vectors"`
	Flows          []Flow          `json:"flows"`
}

// SigningVector is one signature computed by the original client, with
// its inputs and every intermediate. The public Tencent example gives a
// derived key, headers and a body hash instead of credentials and
// parameters.
type SigningVector struct {
	Name   string `json:"name"`
	Inputs struct {
		SecretID       string          `json:"secret_id"`
		SecretKey      string          `json:"secret_key"`
		Service        string          `json:"service"`
		Host           string          `json:"host"`
		Method         string          `json:"method"`
		CanonicalURI   string          `json:"canonical_uri"`
		CanonicalQuery string          `json:"canonical_query_string"`
		ContentType    string          `json:"content_type"`
		Action         string          `json:"action"`
		Version        string          `json:"version"`
		Timestamp      string          `json:"timestamp"`
		Date           string          `json:"date_utc"`
		Params         json.RawMessage `json:"params"`
		SigningKeyHex  string          `json:"secret_signing_hex"`
		HeadersToSign  json.RawMessage `json:"headers_to_sign"`
		BodySHA256     string          `json:"body_sha256"`
		Scope          string          `json:"credential_scope"`
	} `json:"inputs"`
	Intermediate struct {
		Body                   string `json:"body"`
		BodySHA256             string `json:"body_sha256"`
		CredentialScope        string `json:"credential_scope"`
		SecretDateHex          string `json:"secret_date_hex"`
		SecretServiceHex       string `json:"secret_service_hex"`
		SecretSigningHex       string `json:"secret_signing_hex"`
		SignedHeaders          string `json:"signed_headers"`
		CanonicalRequest       string `json:"canonical_request"`
		HashedCanonicalRequest string `json:"hashed_canonical_request"`
		StringToSign           string `json:"string_to_sign"`
	} `json:"intermediate"`
	Expected struct {
		Signature      string            `json:"signature"`
		Authorization  string            `json:"authorization"`
		RequestURL     string            `json:"request_url"`
		RequestHeaders map[string]string `json:"request_headers_before_transport"`
		RequestBody    string            `json:"request_body"`
	} `json:"expected"`
}

// Flow is one recorded set_record run of the original client.
type Flow struct {
	Name         string `json:"name"`
	RegistryName string `json:"registry_name"` // the provider it ran
	Constructor  struct {
		ID    string `json:"id"`
		Token string `json:"token"`
	} `json:"constructor"`
	SetRecord struct {
		Domain     string `json:"domain"`
		Value      string `json:"value"`
		RecordType string `json:"record_type"`
		TTL        int    `json:"ttl"`
		Line       string `json:"line"`
	} `json:"set_record"`
	Requests []Recorded `json:"requests"`
	Result   bool       `json:"result"`
}

// Recorded is one request of a flow and the canned answer it got.
type Recorded struct {
	Method         string            `json:"method"`
	URL            string            `json:"url"`
	Headers        map[string]string `json:"headers"`
	Body           string            `json:"body"`
	CannedResponse struct {
		Status int             `json:"status"`
		Body   json.RawMessage `json:"body"`
	} `json:"canned_response"`
}

// LoadVectors reads a vector file.
func LoadVectors(path string) (VectorFile, error) {
	var vf VectorFile
	data, err := os.ReadFile(path)
	if err != nil {
		return vf, err
	}
	err = json.Unmarshal(data, &vf)
	return vf, err
}

// Replay is an http.RoundTripper that checks each request against a
// flow's recording, byte for byte (method, URL, every recorded header, the
// Host, the body), and answers with the canned responses.
//
// Unrecorded, when set, may answer requests the recording does not have:
// the shared engine asks for the longest candidate zone first
// ("www.example.com"), which the original never did. Every such request
// is listed in Extra.
type Replay struct {
	Want       []Recorded
	Unrecorded func(action string, body []byte) (answer json.RawMessage, ok bool)

	mu         sync.Mutex
	next       int
	extra      []string
	mismatches []string
}

// RoundTrip implements http.RoundTripper.
func (rt *Replay) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
	}
	action := req.Header.Get("X-TC-Action")
	rt.mu.Lock()
	defer rt.mu.Unlock()
	if rt.Unrecorded != nil {
		if ans, ok := rt.Unrecorded(action, body); ok {
			rt.extra = append(rt.extra, action+" "+string(body))
			return answer(http.StatusOK, ans), nil
		}
	}
	if rt.next >= len(rt.Want) {
		rt.mismatches = append(rt.mismatches, fmt.Sprintf("unexpected request %s %s", action, body))
		return nil, fmt.Errorf("replay: unexpected request %s", action)
	}
	w := rt.Want[rt.next]
	rt.next++
	n := rt.next
	bad := func(format string, args ...any) {
		rt.mismatches = append(rt.mismatches, fmt.Sprintf("request %d (%s): ", n, action)+fmt.Sprintf(format, args...))
	}
	if req.Method != w.Method {
		bad("method %s, want %s", req.Method, w.Method)
	}
	if req.URL.String() != w.URL {
		bad("URL %s, want %s", req.URL, w.URL)
	}
	for k, v := range w.Headers {
		got := req.Header.Get(k)
		if strings.EqualFold(k, "host") {
			got = req.Host
		}
		if got != v {
			bad("header %s = %q, want %q", k, got, v)
		}
	}
	if string(body) != w.Body {
		bad("body\n got %s\nwant %s", body, w.Body)
	}
	return answer(w.CannedResponse.Status, w.CannedResponse.Body), nil
}

// Sent returns how many recorded requests were replayed.
func (rt *Replay) Sent() int {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	return rt.next
}

// Extra returns the unrecorded requests, as "action body".
func (rt *Replay) Extra() []string {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	return append([]string(nil), rt.extra...)
}

// Mismatches returns every difference found, in order.
func (rt *Replay) Mismatches() []string {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	return append([]string(nil), rt.mismatches...)
}

func answer(status int, body []byte) *http.Response {
	return &http.Response{
		StatusCode: status, Status: fmt.Sprintf("%d %s", status, http.StatusText(status)),
		Header: http.Header{"Content-Type": {"application/json"}},
		Body:   io.NopCloser(bytes.NewReader(body)),
	}
}
