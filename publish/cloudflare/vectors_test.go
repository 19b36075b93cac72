package cloudflare_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/cloudflare"
)

// vectorClock is the clock the vectors were recorded with.
var vectorClock = time.Unix(1700000000, 123456000)

const vectorHost = "https://api.cloudflare.com"

type vectorFile struct {
	Flows []vectorFlow
}

type vectorFlow struct {
	Name        string
	Constructor struct{ ID, Token string }
	SetRecord   struct {
		Domain     string
		Value      string
		RecordType string `json:"record_type"`
		TTL        int
		Line       string
		Extra      json.RawMessage
	} `json:"set_record"`
	Requests []struct {
		Method         string
		URL            string
		Headers        map[string]string
		Body           *string
		CannedResponse struct {
			Status int
			Body   json.RawMessage
		} `json:"canned_response"`
	}
	Result bool
}

// documented rewrites the original's zone lookup to the documented
// filter (NOTES.md): "name.exact" is not a filter of the zones listing.
func documented(url string) string {
	return strings.Replace(url, "/client/v4/zones?name.exact=", "/client/v4/zones?name=", 1)
}

// TestVectors replays the original client's recorded flows and compares
// every request byte for byte: method, path and query, the authentication
// and content headers, and the JSON body. Two differences are expected
// and asserted: the zone lookup uses the documented "name" filter, and
// the engine asks for the longest candidate zone first, so lookups of
// www.example.com (answered "no such zone") precede the recorded ones.
func TestVectors(t *testing.T) {
	data, err := os.ReadFile("testdata/cloudflare.json")
	if err != nil {
		t.Fatal(err)
	}
	var vf vectorFile
	if err := json.Unmarshal(data, &vf); err != nil {
		t.Fatal(err)
	}
	if len(vf.Flows) == 0 {
		t.Fatal("no flows in the vector file")
	}
	for _, fl := range vf.Flows {
		t.Run(fl.Name, func(t *testing.T) {
			var (
				mu      sync.Mutex
				next    int
				extra   []string // lookups the recording does not have
				replays []string
			)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				defer mu.Unlock()
				body, _ := io.ReadAll(r.Body)
				got := r.Method + " " + r.URL.RequestURI()
				if next < len(fl.Requests) {
					want := fl.Requests[next]
					if got == want.Method+" "+strings.TrimPrefix(documented(want.URL), vectorHost) {
						checkRequest(t, next, r, body, want.Headers, want.Body)
						replays = append(replays, got)
						next++
						w.Header().Set("Content-Type", "application/json")
						w.WriteHeader(want.CannedResponse.Status)
						w.Write(want.CannedResponse.Body)
						return
					}
				}
				if r.Method == http.MethodGet && r.URL.Path == "/client/v4/zones" {
					extra = append(extra, got)
					io.WriteString(w, `{"success": true, "errors": [], "messages": [], "result": []}`)
					return
				}
				t.Errorf("unexpected request %s (next recorded: %d)", got, next)
				w.WriteHeader(http.StatusTeapot)
			}))
			defer srv.Close()

			p, err := cloudflare.New(publish.Settings{
				ID: fl.Constructor.ID, Token: fl.Constructor.Token, Endpoint: srv.URL,
				HTTP: srv.Client(), Log: zerolog.Nop(), Now: func() time.Time { return vectorClock },
			})
			if err != nil {
				t.Fatal(err)
			}
			sr := fl.SetRecord
			rec := publish.Record{Domain: sr.Domain, Type: sr.RecordType, Addr: netip.MustParseAddr(sr.Value), TTL: sr.TTL, Line: sr.Line, Extra: orderedExtra(t, sr.Extra)}
			_, err = p.Set(context.Background(), rec)
			if (err == nil) != fl.Result {
				t.Fatalf("Set: %v, want success %v", err, fl.Result)
			}
			if next != len(fl.Requests) {
				t.Errorf("replayed %d of %d recorded requests: %q", next, len(fl.Requests), replays)
			}
			wantExtra := []string{"GET /client/v4/zones?name=www.example.com&per_page=50"}
			if strings.Join(extra, "\n") != strings.Join(wantExtra, "\n") {
				t.Errorf("lookups outside the recording: %q, want %q", extra, wantExtra)
			}
		})
	}
}

// checkRequest compares the headers the recording shows and the body.
// Authentication headers the recording does not show must be absent.
func checkRequest(t *testing.T, i int, r *http.Request, body []byte, headers map[string]string, wantBody *string) {
	t.Helper()
	for k, v := range headers {
		if got := r.Header.Get(k); got != v {
			t.Errorf("request %d: header %s = %q, want %q", i, k, got, v)
		}
	}
	for _, k := range []string{"Authorization", "X-Auth-Email", "X-Auth-Key", "Content-Type"} {
		if _, shown := lookupFold(headers, k); !shown && r.Header.Get(k) != "" {
			t.Errorf("request %d: unexpected header %s", i, k)
		}
	}
	want := ""
	if wantBody != nil {
		want = *wantBody
	}
	if !bytes.Equal(body, []byte(want)) {
		t.Errorf("request %d: body\n got %s\nwant %s", i, body, want)
	}
}

func lookupFold(m map[string]string, key string) (string, bool) {
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return "", false
}

// orderedExtra reads a JSON object keeping member order, as the
// configuration layer does.
func orderedExtra(t *testing.T, raw json.RawMessage) publish.Extra {
	t.Helper()
	if len(raw) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("extra is not an object: %s", raw)
	}
	var out publish.Extra
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, publish.KV{Key: tok.(string), Value: v})
	}
	return out
}
