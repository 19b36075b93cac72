package httpclient_test

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/rs/zerolog"

	"github.com/ddns-go/ddns/internal/httpclient"
	"github.com/ddns-go/ddns/publish"
)

// impostor is a TLS server with a self-signed certificate, as a machine in
// the middle would present, counting the requests that reach it carrying
// the token.
func impostor(t *testing.T, token string) (*httptest.Server, *atomic.Int32) {
	var got atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.Header.Get("Authorization"), token) {
			got.Add(1)
		}
		w.Write([]byte(`{"success":true}`))
	}))
	t.Cleanup(srv.Close)
	return srv, &got
}

// TestUnverifiedTLSNeverGetsTheToken: with ssl auto (the default) or true,
// a certificate nobody trusts ends the request before anything is sent, and
// the error says what to do; only ssl false sends.
func TestUnverifiedTLSNeverGetsTheToken(t *testing.T) {
	const token = "Bearer-t0ken-for-the-real-api"
	srv, got := impostor(t, token)
	for _, ssl := range []string{"auto", "AUTO", "true", ""} {
		var logs bytes.Buffer
		c, err := httpclient.New(httpclient.Options{SSL: ssl, Proxy: []string{"DIRECT"}, Log: zerolog.New(&logs)})
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 3; i++ {
			req, _ := http.NewRequest("PUT", srv.URL+"/zones/z/dns_records/r", strings.NewReader(`{"content":"1.2.3.4"}`))
			req.Header.Set("Authorization", "Bearer "+token)
			resp, err := c.Do(req)
			if err == nil {
				resp.Body.Close()
				t.Fatalf("ssl=%q: request over an unverified certificate succeeded", ssl)
			}
			var te *httpclient.TrustError
			if !errors.As(err, &te) {
				t.Fatalf("ssl=%q: error %v is no TrustError", ssl, err)
			}
			if !publish.IsPermanent(err) {
				t.Errorf("ssl=%q: a TrustError is retried", ssl)
			}
			for _, want := range []string{"not trusted", "ssl to the path of a CA file", "ssl: false"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("ssl=%q: error %q lacks %q", ssl, err, want)
				}
			}
			if strings.Contains(err.Error(), token) {
				t.Errorf("ssl=%q: the error shows the token", ssl)
			}
		}
		if logs.Len() > 0 {
			t.Errorf("ssl=%q: logged %s", ssl, logs.String())
		}
	}
	if n := got.Load(); n != 0 {
		t.Fatalf("%d requests carrying the token reached the impostor", n)
	}

	c, err := httpclient.New(httpclient.Options{SSL: "false", Proxy: []string{"DIRECT"}})
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", srv.URL, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("ssl=false: %v", err)
	}
	resp.Body.Close()
	if got.Load() != 1 {
		t.Errorf("ssl=false: %d requests arrived, want 1", got.Load())
	}
}
