package callback_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/callback"
)

// pinned is the clock of the recorded vectors.
var pinned = time.Unix(1700000000, 123456000)

type vectorFile struct {
	Flows []struct {
		Name        string
		Constructor struct{ ID, Token string }
		SetRecord   struct {
			Domain, Value, Record_type string
			TTL                        int
			Line                       string
		} `json:"set_record"`
		Requests []struct {
			Method, URL string
			Headers     map[string]string
			Body        *string
		}
		Result bool
	}
}

// TestVectors replays the original client's recorded flows against a fake
// and compares the exact request: method, path and query, headers, body.
func TestVectors(t *testing.T) {
	data, err := os.ReadFile("testdata/callback.json")
	if err != nil {
		t.Fatal(err)
	}
	var vf vectorFile
	if err := json.Unmarshal(data, &vf); err != nil {
		t.Fatal(err)
	}
	for _, fl := range vf.Flows {
		t.Run(fl.Name, func(t *testing.T) {
			var got *http.Request
			var body string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				got, body = r, string(b)
				io.WriteString(w, "OK")
			}))
			defer srv.Close()
			// The vectors target https://hook.example.net; point that at the fake.
			id := strings.Replace(fl.Constructor.ID, "https://hook.example.net", srv.URL, 1)
			p, err := callback.New(publish.Settings{ID: id, Token: fl.Constructor.Token, HTTP: srv.Client(), Now: func() time.Time { return pinned }})
			if err != nil {
				t.Fatal(err)
			}
			sr := fl.SetRecord
			_, err = p.Set(context.Background(), publish.Record{Domain: sr.Domain, Type: sr.Record_type, Addr: netip.MustParseAddr(sr.Value), TTL: sr.TTL, Line: sr.Line})
			if (err == nil) != fl.Result {
				t.Fatalf("Set: %v, want success %v", err, fl.Result)
			}
			want := fl.Requests[0]
			if got.Method != want.Method {
				t.Errorf("method %s, want %s", got.Method, want.Method)
			}
			if u := strings.TrimPrefix(want.URL, "https://hook.example.net"); got.URL.RequestURI() != u {
				t.Errorf("URL %s, want %s", got.URL.RequestURI(), u)
			}
			for k, v := range want.Headers {
				if got.Header.Get(k) != v {
					t.Errorf("header %s = %q, want %q", k, got.Header.Get(k), v)
				}
			}
			wantBody := ""
			if want.Body != nil {
				wantBody = *want.Body
			}
			if body != wantBody {
				t.Errorf("body\n got %s\nwant %s", body, wantBody)
			}
		})
	}
}

func TestExtrasAreSubstitutedFirst(t *testing.T) {
	var uri string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { uri = r.URL.RequestURI() }))
	defer srv.Close()
	p, _ := callback.New(publish.Settings{ID: srv.URL + "/x?zip=1&h=__DOMAIN__&t=__TTL__&l=__LINE__", HTTP: srv.Client(), Now: time.Now})
	_, err := p.Set(context.Background(), publish.Record{Domain: "a.example.com", Type: "A", Addr: netip.MustParseAddr("192.0.2.1"),
		Extra: publish.Extra{{Key: "ip", Value: "IP!"}}})
	if err != nil {
		t.Fatal(err)
	}
	// The original's quirk: an extra's name is a search string too.
	if want := "/x?zIP!=1&h=a.example.com&t=None&l=None"; uri != want {
		t.Errorf("got %s, want %s", uri, want)
	}
}

func TestErrors(t *testing.T) {
	for _, s := range []publish.Settings{
		{ID: "example.com/hook"},
		{ID: "ftp://example.com/"},
		{ID: "https://example.com/", Endpoint: "https://other/"},
		{ID: "https://example.com/", Token: "[1,2]"},
		{ID: "https://example.com/", Token: "{bad"},
	} {
		if _, err := callback.New(s); err == nil {
			t.Errorf("%+v: accepted", s)
		}
	}
	status := 500
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(status) }))
	defer srv.Close()
	p, _ := callback.New(publish.Settings{ID: srv.URL + "/", HTTP: srv.Client(), Now: time.Now})
	rec := publish.Record{Domain: "a.example.com", Type: "A", Addr: netip.MustParseAddr("192.0.2.1")}
	if _, err := p.Set(context.Background(), rec); err == nil || publish.IsPermanent(err) {
		t.Errorf("500: %v, want a transient error", err)
	}
	status = 403
	_, err := p.Set(context.Background(), rec)
	var se *publish.StatusError
	if !publish.IsPermanent(err) || !errors.As(err, &se) || se.Code != 403 {
		t.Errorf("403: %v, want a permanent StatusError", err)
	}
}

// A 200 whose body never finishes is not a success: the handler promised
// more bytes than it sent and the connection dies.
func TestUnfinishedAnswerIsAFailure(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		w.WriteHeader(http.StatusOK)
		io.WriteString(w, "ok")
		w.(http.Flusher).Flush()
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			conn.Close()
		}
	}))
	defer srv.Close()
	p, _ := callback.New(publish.Settings{ID: srv.URL + "/?ip=__IP__", HTTP: srv.Client(), Now: time.Now})
	_, err := p.Set(context.Background(), publish.Record{Domain: "a.example.com", Type: "A", Addr: netip.MustParseAddr("192.0.2.1")})
	if err == nil || publish.IsPermanent(err) {
		t.Fatalf("err %v, want a transient failure", err)
	}
}
