package resolve_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ddns-go/ddns/resolve"
)

// echoServer is a loopback IP-echo service: each path answers with a fixed
// status and body; /slow answers only when the request is abandoned.
// It records the paths asked, in order.
type echoServer struct {
	*httptest.Server
	mu   sync.Mutex
	hits []string
}

func newEchoServer(t *testing.T) *echoServer {
	t.Helper()
	e := &echoServer{}
	answers := map[string]struct {
		status int
		body   string
	}{
		"/v4":       {200, "203.0.113.7\n"},
		"/v6":       {200, "2001:db8::7"},
		"/text":     {200, "your ip is 203.0.113.9 and 5.6.7.8"},
		"/text6":    {200, "addr 2001:db8::1 end"},
		"/private":  {200, "192.168.1.1"},
		"/cgnat":    {200, "10.1.2.3"},
		"/ula":      {200, "fd00::1"},
		"/ll":       {200, "fe80::1"},
		"/loop":     {200, "127.0.0.1"},
		"/garbage":  {200, "<html>captive portal</html>"},
		"/error":    {500, "203.0.113.66"}, // an address on an error page does not count
		"/notfound": {404, "not here"},
	}
	e.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.mu.Lock()
		e.hits = append(e.hits, r.URL.Path)
		e.mu.Unlock()
		if r.URL.Path == "/slow" {
			<-r.Context().Done()
			return
		}
		a, ok := answers[r.URL.Path]
		if !ok {
			a.status, a.body = 404, "no such path"
		}
		w.WriteHeader(a.status)
		fmt.Fprint(w, a.body)
	}))
	t.Cleanup(e.Close)
	return e
}

func (e *echoServer) paths() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.hits...)
}

func (e *echoServer) opts(services ...string) resolve.Options {
	o := resolve.Options{HTTPClient: e.Client(), Timeout: 2 * time.Second}
	for _, s := range services {
		o.Public = append(o.Public, e.URL+s)
	}
	return o
}

func TestURL(t *testing.T) {
	e := newEchoServer(t)
	o := e.opts()
	for _, tc := range []struct {
		fam       resolve.Family
		path      string
		want      string
		wantError string
	}{
		{resolve.V4, "/text", "203.0.113.9", ""},
		{resolve.V6, "/text6", "2001:db8::1", ""},
		{resolve.V4, "/private", "192.168.1.1", ""}, // url: trusts the user's service
		{resolve.V4, "/text6", "", "no address of the family in the answer of"},
		{resolve.V4, "/garbage", "", "captive portal"},
		{resolve.V4, "/error", "", "HTTP 500 Internal Server Error"},
		{resolve.V4, "/notfound", "", "HTTP 404 Not Found"},
	} {
		rs := parse(t, tc.fam, o, "url:"+e.URL+tc.path)
		got, err := rs.List[0].Resolve(context.Background())
		if tc.want != "" {
			if err != nil || got.String() != tc.want {
				t.Errorf("url %s = %v, %v; want %s", tc.path, got, err, tc.want)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.wantError) {
			t.Errorf("url %s = %v, %v; want error with %q", tc.path, got, err, tc.wantError)
		}
	}
}

func TestURLTimeout(t *testing.T) {
	e := newEchoServer(t)
	o := e.opts()
	o.Timeout = 50 * time.Millisecond
	rs := parse(t, resolve.V4, o, "url:"+e.URL+"/slow")
	start := time.Now()
	_, err := rs.Resolve(context.Background())
	if err == nil || !strings.Contains(err.Error(), "timed out after 50ms") {
		t.Errorf("error %v; want a timeout", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v; the timeout did not bound the request", d)
	}
}

func TestURLCancelled(t *testing.T) {
	e := newEchoServer(t)
	rs := parse(t, resolve.V4, e.opts(), "url:"+e.URL+"/slow")
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	if _, err := rs.Resolve(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("error %v; want context.Canceled", err)
	}
}

func TestPublicFallsBack(t *testing.T) {
	e := newEchoServer(t)
	services := []string{"/error", "/slow", "/private", "/cgnat", "/loop", "/garbage", "/v6", "/v4", "/text"}
	o := e.opts(services...)
	o.Timeout = 100 * time.Millisecond
	check(t, resolve.V4, o, "public", "203.0.113.7")
	want := services[:len(services)-1] // asked in order, and no further than needed
	if got := e.paths(); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("services asked %v, want %v", got, want)
	}
}

func TestPublicV6(t *testing.T) {
	e := newEchoServer(t)
	check(t, resolve.V6, e.opts("/ula", "/ll", "/v4", "/v6"), "public", "2001:db8::7")
}

func TestPublicAllFail(t *testing.T) {
	e := newEchoServer(t)
	o := e.opts("/private", "/error", "/ula")
	check(t, resolve.V4, o, "public", "",
		"from any IP-echo service",
		e.URL+"/private answered 192.168.1.1, which is not a public address",
		"HTTP 500",
		"no address of the family in the answer of "+e.URL+"/ula")
}

func TestPublicServicesAreChecked(t *testing.T) {
	_, err := resolve.ParseWith(resolve.V4, []string{"public"}, resolve.Options{Public: []string{"ftp://x"}})
	if err == nil || err.Error() != `rule "public": service "ftp://x" is not an http(s) URL` {
		t.Errorf("error %v", err)
	}
	_, err = resolve.ParseWith(resolve.V4, []string{"public"}, resolve.Options{Public: []string{}})
	if err == nil {
		t.Error("an empty service list was accepted")
	}
}

func TestDefaultPublic(t *testing.T) {
	v4, v6 := resolve.DefaultPublic(resolve.V4), resolve.DefaultPublic(resolve.V6)
	if len(v4) != 5 || v4[0] != "https://api.ipify.org" || len(v6) != 4 || v6[0] != "https://api6.ipify.org/" {
		t.Errorf("DefaultPublic = %q, %q; want the original's lists", v4, v6)
	}
	v4[0] = "changed"
	if resolve.DefaultPublic(resolve.V4)[0] == "changed" {
		t.Error("DefaultPublic hands out its own slice")
	}
}
