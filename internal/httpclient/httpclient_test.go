package httpclient_test

import (
	"bytes"
	"context"
	"encoding/pem"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/ddns-go/ddns/internal/httpclient"
)

// deadProxy accepts connections and closes them at once, counting them.
func deadProxy(t *testing.T) (addr string, accepts *atomic.Int32) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	accepts = &atomic.Int32{}
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			accepts.Add(1)
			c.Close()
		}
	}()
	return l.Addr().String(), accepts
}

func TestProxyListFallsThroughAndSticks(t *testing.T) {
	var sawUA string
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sawUA = r.Header.Get("User-Agent")
		io.WriteString(w, "origin")
	}))
	defer origin.Close()
	var proxied atomic.Int32
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		proxied.Add(1) // a forward proxy sees the absolute URL
		if !strings.HasPrefix(r.RequestURI, "http://") {
			http.Error(w, "not a proxy request", 400)
			return
		}
		io.WriteString(w, "via proxy")
	}))
	defer proxy.Close()
	dead, accepts := deadProxy(t)

	var logs bytes.Buffer
	c, err := httpclient.New(httpclient.Options{Proxy: []string{dead, proxy.URL, "DIRECT"}, UserAgent: "ddns/test", Log: zerolog.New(&logs)})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		resp, err := c.Get(origin.URL + "/x")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(body) != "via proxy" {
			t.Fatalf("answer %q, want it through the second proxy", body)
		}
	}
	if accepts.Load() != 1 || proxied.Load() != 3 {
		t.Errorf("dead proxy tried %d times, good one %d: want 1 and 3 (stick to the first that works)", accepts.Load(), proxied.Load())
	}
	if !strings.Contains(logs.String(), "has no scheme") {
		t.Error("no warning for a proxy without scheme")
	}

	c, _ = httpclient.New(httpclient.Options{Proxy: []string{"DIRECT"}, UserAgent: "ddns/test"})
	resp, err := c.Get(origin.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if sawUA != "ddns/test" {
		t.Errorf("User-Agent %q", sawUA)
	}
	if _, err := httpclient.New(httpclient.Options{Proxy: []string{"http://"}}); err == nil {
		t.Error("malformed proxy accepted")
	}
}

func TestSSLModes(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
	defer srv.Close()
	ca := filepath.Join(t.TempDir(), "ca.pem")
	os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600)
	for _, tc := range []struct {
		ssl  string
		ok   bool
		warn bool
	}{
		{"true", false, false},
		{"auto", false, false}, // never retried unverified (#11): see tls_test.go
		{"false", true, false},
		{ca, true, false},
	} {
		var logs bytes.Buffer
		c, err := httpclient.New(httpclient.Options{SSL: tc.ssl, Proxy: []string{"DIRECT"}, Log: zerolog.New(&logs)})
		if err != nil {
			t.Fatal(err)
		}
		resp, err := c.Get(srv.URL)
		if err == nil {
			resp.Body.Close()
		}
		if (err == nil) != tc.ok {
			t.Errorf("ssl=%s: err %v, want success %v", tc.ssl, err, tc.ok)
		}
		if warned := strings.Contains(logs.String(), "WITHOUT verification"); warned != tc.warn {
			t.Errorf("ssl=%s: warning %v, want %v: %s", tc.ssl, warned, tc.warn, logs.String())
		}
	}
	if _, err := httpclient.New(httpclient.Options{SSL: "/nonexistent/ca.pem"}); err == nil {
		t.Error("missing CA bundle accepted")
	}
}

func TestRateLimit(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	c, _ := httpclient.New(httpclient.Options{Proxy: []string{"DIRECT"}, Rate: 1, Burst: 2})
	get := func(ctx context.Context) error {
		req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL, nil)
		resp, err := c.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		return err
	}
	for i := 0; i < 2; i++ { // the burst
		if err := get(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	// The third token is a second away: a request that cannot wait that
	// long fails at once instead of exceeding the rate.
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if err := get(ctx); err == nil {
		t.Fatal("third request within the burst window was not held back")
	}
}
