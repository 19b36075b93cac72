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
		"/page":     {200, "<!DOCTYPE html>\n<p>Your IP: 81.2.69.142</p>"},
		"/long":     {200, "81.2.69.142 " + strings.Repeat("x", 1100)},
		"/json":     {200, `{"ip":"81.2.69.142","country":"GB"}`},
		"/cf":       {200, "104.16.1.1"},
	}
	e.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.mu.Lock()
		e.hits = append(e.hits, r.URL.Path)
		e.mu.Unlock()
		if r.URL.Path == "/html" {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, "81.2.69.142")
			return
		}
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

func (e *echoServer) opts() resolve.Options {
	return resolve.Options{HTTPClient: e.Client(), Timeout: 2 * time.Second}
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
		{resolve.V4, "/html", "", "answer is an HTML page"},
		{resolve.V4, "/error", "", "HTTP 500 Internal Server Error"},
		{resolve.V4, "/notfound", "", "HTTP 404 Not Found"},
		{resolve.V4, "/json", "81.2.69.142", ""},
		{resolve.V4, "/page", "", "answer is an HTML page"},
		{resolve.V4, "/long", "", "answer longer than 1024 bytes"},
	} {
		resolves(t, "url "+tc.path, parse(t, tc.fam, o, "url:"+e.URL+tc.path), tc.want, tc.wantError)
	}
}

func TestURLTimeout(t *testing.T) {
	e := newEchoServer(t)
	o := e.opts()
	o.Timeout = 50 * time.Millisecond
	timesOut(t, parse(t, resolve.V4, o, "url:"+e.URL+"/slow"), 50*time.Millisecond, 2*time.Second)
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
