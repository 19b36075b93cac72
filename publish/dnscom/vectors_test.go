package dnscom_test

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
	"github.com/ddns-go/ddns/publish/dnscom"
)

// pinned is the clock of the recorded vectors (1700000000.123456).
var pinned = time.Unix(1700000000, 123456000)

// vectorHost is where the recorded requests went.
const vectorHost = "https://www.51dns.com"

type vectorFile struct {
	SigningVectors []struct {
		Name   string
		Inputs struct {
			APIKey    string `json:"api_key"`
			APISecret string `json:"api_secret"`
			Action    string
			Params    map[string]any
			Timestamp string
		}
		Intermediate struct {
			Query    string `json:"sorted_query_without_hash"`
			MD5Input string `json:"md5_input"`
		}
		Expected struct {
			Hash       string
			RequestURL string `json:"request_url"`
			Body       string `json:"request_body"`
		}
	} `json:"signing_vectors"`
	Flows []struct {
		Name        string
		Constructor struct{ ID, Token string }
		SetRecord   struct {
			Domain, Value string
			Type          string `json:"record_type"`
			TTL           int
			Line          string
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
}

func loadVectors(t testing.TB) vectorFile {
	t.Helper()
	data, err := os.ReadFile("testdata/dnscom.json")
	if err != nil {
		t.Fatal(err)
	}
	var vf vectorFile
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.UseNumber()
	if err := dec.Decode(&vf); err != nil {
		t.Fatal(err)
	}
	return vf
}

// TestSigningVectors reproduces every intermediate of the recorded
// signatures: the hashed query, the MD5 input, the hash and the body.
func TestSigningVectors(t *testing.T) {
	vf := loadVectors(t)
	if len(vf.SigningVectors) == 0 {
		t.Fatal("no signing vectors")
	}
	for _, v := range vf.SigningVectors {
		t.Run(v.Name, func(t *testing.T) {
			in := v.Inputs
			var params publish.Extra
			for k, val := range in.Params { // order does not matter: the encoding sorts
				params = append(params, publish.KV{Key: k, Value: val})
			}
			query, hash, body := dnscom.Sign(params, in.APIKey, in.APISecret, in.Timestamp)
			if query != v.Intermediate.Query {
				t.Errorf("query\n got %s\nwant %s", query, v.Intermediate.Query)
			}
			if query+in.APISecret != v.Intermediate.MD5Input {
				t.Errorf("md5 input differs")
			}
			if hash != v.Expected.Hash {
				t.Errorf("hash %s, want %s", hash, v.Expected.Hash)
			}
			if body != v.Expected.Body {
				t.Errorf("body\n got %s\nwant %s", body, v.Expected.Body)
			}
			if want := vectorHost + "/api/" + in.Action + "/"; v.Expected.RequestURL != want {
				t.Errorf("vector URL %s, want %s", v.Expected.RequestURL, want)
			}
		})
	}
}

func TestTimestampFormat(t *testing.T) {
	for in, want := range map[time.Time]string{
		pinned:                             "1700000000.123456",
		time.Unix(1700000000, 0):           "1700000000.0",
		time.Unix(1700000000, 500000000):   "1700000000.5",
		time.Unix(1700000000, 123456789):   "1700000000.123456",
		time.Unix(1699999999, 999999000):   "1699999999.999999",
		time.Unix(1700000001, 10000).UTC(): "1700000001.00001",
	} {
		if got := dnscom.Timestamp(in); got != want {
			t.Errorf("%v: %s, want %s", in, got, want)
		}
	}
}

type seen struct {
	method, path, contentType, accept, body string
}

// TestFlowVectors replays the recorded set_record runs against a server
// that gives the canned answers, and compares every request byte for
// byte. Zone discovery here asks the longest candidate first, so the run
// also asks about www.example.com (answered "no such domain") before the
// recorded requests; that request is checked separately.
func TestFlowVectors(t *testing.T) {
	vf := loadVectors(t)
	for _, fl := range vf.Flows {
		t.Run(fl.Name, func(t *testing.T) {
			var got []seen
			next := 0
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				got = append(got, seen{r.Method, r.URL.Path, r.Header.Get("Content-Type"), r.Header.Get("Accept"), string(b)})
				form, _ := url.ParseQuery(string(b))
				if r.URL.Path == "/api/domain/getsingle/" && form.Get("domainID") != "example.com" {
					io.WriteString(w, `{"code": 5, "message": "域名不存在"}`)
					return
				}
				if next >= len(fl.Requests) {
					t.Errorf("unexpected request %s %s", r.URL.Path, b)
					w.WriteHeader(500)
					return
				}
				c := fl.Requests[next].Canned
				next++
				w.WriteHeader(c.Status)
				w.Write(c.Body)
			}))
			defer srv.Close()

			p, err := dnscom.New(publish.Settings{ID: fl.Constructor.ID, Token: fl.Constructor.Token, Endpoint: srv.URL, HTTP: srv.Client(), Now: func() time.Time { return pinned }})
			if err != nil {
				t.Fatal(err)
			}
			sr := fl.SetRecord
			_, err = p.Set(context.Background(), publish.Record{Domain: sr.Domain, Type: sr.Type, Addr: netip.MustParseAddr(sr.Value), TTL: sr.TTL, Line: sr.Line})
			if (err == nil) != fl.Result {
				t.Fatalf("Set: %v, want success %v", err, fl.Result)
			}

			// The extra discovery request: same signing, longer candidate.
			if len(got) == 0 || !strings.Contains(got[0].body, "domainID=www.example.com&") {
				t.Fatalf("first request %+v, want the www.example.com zone lookup", got)
			}
			got = got[1:]
			if len(got) != len(fl.Requests) {
				t.Fatalf("%d requests, want %d", len(got), len(fl.Requests))
			}
			for i, want := range fl.Requests {
				g := got[i]
				if g.method != want.Method || g.path != strings.TrimPrefix(want.URL, vectorHost) {
					t.Errorf("request %d: %s %s, want %s %s", i, g.method, g.path, want.Method, want.URL)
				}
				if g.contentType != want.Headers["content-type"] || g.accept != want.Headers["accept"] {
					t.Errorf("request %d: headers %q %q, want %v", i, g.contentType, g.accept, want.Headers)
				}
				if g.body != want.Body {
					t.Errorf("request %d body\n got %s\nwant %s", i, g.body, want.Body)
				}
			}
		})
	}
}
