package httpclient_test

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"sync/atomic"
	"testing"

	"github.com/rs/zerolog"

	"github.com/ddns-go/ddns/internal/httpclient"
)

// TestCloseConnsFrom: losing a local address closes the connections from
// it and keeps the others for the next request (no new handshake).
func TestCloseConnsFrom(t *testing.T) {
	serve := func(network, addr string) (url string, conns *atomic.Int32) {
		l, err := net.Listen(network, addr)
		if err != nil {
			t.Skipf("no %s loopback: %v", network, err)
		}
		conns = &atomic.Int32{}
		srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
		srv.Listener.Close()
		srv.Listener = l
		srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
			if s == http.StateNew {
				conns.Add(1)
			}
		}
		srv.Start()
		t.Cleanup(srv.Close)
		return srv.URL, conns
	}
	url4, conns4 := serve("tcp4", "127.0.0.1:0")
	url6, conns6 := serve("tcp6", "[::1]:0")
	c, err := httpclient.New(httpclient.Options{Proxy: []string{"DIRECT"}, Log: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	get := func(url string) {
		t.Helper()
		resp, err := c.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	get(url4)
	get(url6)
	c.Transport.(interface{ CloseConnsFrom(netip.Addr) }).CloseConnsFrom(netip.MustParseAddr("127.0.0.1"))
	get(url4)
	get(url6)
	if n := conns4.Load(); n != 2 {
		t.Errorf("127.0.0.1: %d connections, want 2 (the one from the lost address closed)", n)
	}
	if n := conns6.Load(); n != 1 {
		t.Errorf("::1: %d connections, want 1 (kept)", n)
	}
}
