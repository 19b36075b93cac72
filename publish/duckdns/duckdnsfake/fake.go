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
	publishtest.Base // requests (action "update"), counts, faults

	mu    sync.Mutex
	token string
	subs  map[string]*[2]string // subname → IPv4, IPv6 address
}

// New returns an account with token and no subname.
func New(token string) *Fake { return &Fake{token: token, subs: map[string]*[2]string{}} }

// AddSubname adds a subname ("home" for home.duckdns.org) to the account.
func (f *Fake) AddSubname(sub string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.subs[sub] = &[2]string{}
}

// Addr returns the address a subname holds for typ ("A" or "AAAA"), ""
// when none.
func (f *Fake) Addr(sub, typ string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if a := f.subs[sub]; a != nil {
		return a[family(typ == "AAAA")]
	}
	return ""
}

func family(v6 bool) int {
	if v6 {
		return 1
	}
	return 0
}

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
	var subs []*[2]string
	for _, name := range strings.Split(q.Get("domains"), ",") {
		s := f.subs[strings.TrimSuffix(strings.ToLower(name), ".duckdns.org")]
		if s == nil || q.Get("token") != f.token {
			io.WriteString(w, "KO")
			return
		}
		subs = append(subs, s)
	}
	var want [2]string
	ip := q.Get("ip")
	if ip == "" && q.Get("ipv6") == "" {
		ip, _, _ = net.SplitHostPort(req.RemoteAddr) // detected: IPv4 only
	}
	for _, v := range []string{ip, q.Get("ipv6")} {
		if a, err := netip.ParseAddr(v); err == nil {
			want[family(a.Is6() && !a.Is4In6())] = a.Unmap().String()
		} else if v != "" {
			io.WriteString(w, "KO")
			return
		}
	}
	changed := false
	for _, s := range subs {
		for i := range want {
			if q.Get("clear") == "true" {
				want[i] = ""
			} else if want[i] == "" {
				want[i] = s[i]
			}
			changed = changed || s[i] != want[i]
			s[i] = want[i]
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
	io.WriteString(w, "OK\n"+want[0]+"\n"+want[1]+"\n"+verdict)
}
