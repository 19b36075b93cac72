// Package duckdnsfake is an in-memory stand-in for Duck DNS's update URL
// (https://www.duckdns.org/spec.jsp), for tests of the duckdns provider
// and of the ddns binary.
//
// It behaves as documented: GET /update with domains (a comma-separated
// list of subnames), token, and optional ip, ipv6, verbose and clear. A
// wrong token, or a subname of another account, is answered "KO" (HTTP
// 200, as Duck DNS answers); success is "OK", with verbose=true followed
// by the current IPv4 and IPv6 addresses and UPDATED or NOCHANGE. Without
// ip the IPv4 address is taken from the connection, as the service
// detects it. Faults and the request log are publishtest.Base's.
package duckdnsfake

import (
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"

	"github.com/ddns-go/ddns/publish/publishtest"
)

// Fault is a canned answer for the next requests.
type Fault = publishtest.Fault

// Fake is one Duck DNS account. Create it with New; it is safe for
// concurrent use.
type Fake struct {
	publishtest.Base  // requests (action "update"), counts, faults
	publishtest.Hosts // subnames ("home" for home.duckdns.org)

	mu    sync.Mutex
	token string
}

// New returns an account with token and no subname.
func New(token string) *Fake { return &Fake{token: token} }

// AddSubname adds a subname ("home" for home.duckdns.org) to the account.
func (f *Fake) AddSubname(sub string) { f.AddHost(sub, "") }

// ServeHTTP answers one update.
func (f *Fake) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if ft := f.Take(req, strings.TrimPrefix(req.URL.Path, "/")); ft != nil {
		ft.WritePlain(w)
		return
	}
	if req.URL.Path != "/update" || req.Method != http.MethodGet {
		http.NotFound(w, req)
		return
	}
	q := req.URL.Query()
	w.Header().Set("Content-Type", "text/plain;charset=UTF-8")
	f.mu.Lock()
	defer f.mu.Unlock()
	var subs []string
	for _, name := range strings.Split(q.Get("domains"), ",") {
		sub := strings.TrimSuffix(strings.ToLower(name), ".duckdns.org")
		if _, ok := f.Owner(sub); !ok || q.Get("token") != f.token {
			io.WriteString(w, "KO")
			return
		}
		subs = append(subs, sub)
	}
	want := map[string]string{}
	ip := q.Get("ip")
	if ip == "" && q.Get("ipv6") == "" {
		ip, _, _ = net.SplitHostPort(req.RemoteAddr) // detected: IPv4 only
	}
	for _, v := range []string{ip, q.Get("ipv6")} {
		if a, err := netip.ParseAddr(v); err == nil {
			want[publishtest.TypeOf(a.Unmap())] = a.Unmap().String()
		} else if v != "" {
			io.WriteString(w, "KO")
			return
		}
	}
	changed := false
	for _, sub := range subs {
		for _, typ := range []string{"A", "AAAA"} {
			if q.Get("clear") == "true" {
				want[typ] = ""
			} else if want[typ] == "" {
				want[typ] = f.Addr(sub, typ)
			}
			if f.Update(sub, typ, want[typ]) {
				changed = true
			}
		}
	}
	if q.Get("verbose") != "true" {
		io.WriteString(w, "OK")
		return
	}
	verdict := "NOCHANGE"
	if changed {
		verdict = "UPDATED"
	}
	io.WriteString(w, "OK\n"+want["A"]+"\n"+want["AAAA"]+"\n"+verdict)
}
