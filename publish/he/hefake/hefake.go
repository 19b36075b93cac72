// Package hefake is an in-memory stand-in for HE.net's dynamic DNS server
// (dyn.dns.he.net), for tests of the he provider and of the ddns binary.
//
// It behaves like the real /nic/update: parameters come from the query or
// a form body, the password is the host's own DDNS key (or HTTP Basic
// password, user = host name), a wrong key is "401 badauth", an unknown
// host is "nohost", and an update answers "good <ip>" or, when the host
// already has that address, "nochg <ip>". A or AAAA is chosen by the
// address family of myip; a missing myip means the client's address.
// Faults and the request log are publishtest.Base's. Serve it with
// httptest.NewServer(f).
package hefake

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"sync"

	"github.com/ddns-go/ddns/publish/publishtest"
)

// Fault is a canned answer for the next requests (Body as sent).
type Fault = publishtest.Fault

// Fake is the server state. The zero value is not usable; call New. It is
// safe for concurrent use.
type Fake struct {
	publishtest.Base // requests (action "update"), counts, faults

	mu     sync.Mutex
	hosts  map[string]*host
	writes int
}

type host struct {
	key   string
	addrs map[string]string // "A"/"AAAA" → address
}

// New returns a fake that knows no host yet.
func New() *Fake { return &Fake{hosts: map[string]*host{}} }

// AddHost creates a record with dynamic DNS enabled and key as its DDNS
// key, as a user does in the HE.net panel. It holds no address yet.
func (f *Fake) AddHost(name, key string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.hosts[name] = &host{key: key, addrs: map[string]string{}}
}

// SetAddr gives an existing host an address (of the matching record type)
// without counting it as a call. It panics for an unknown host or a bad
// address: a mistake in the test.
func (f *Fake) SetAddr(name, addr string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	a := netip.MustParseAddr(addr)
	f.hosts[name].addrs[recordType(a)] = a.String()
}

// Addr returns the address of name's typ ("A" or "AAAA") record, "" when
// it has none.
func (f *Fake) Addr(name, typ string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if h, ok := f.hosts[name]; ok {
		return h.addrs[typ]
	}
	return ""
}

// Writes returns how many updates changed an address ("good" answers).
func (f *Fake) Writes() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.writes
}

// Reset forgets the requests, the counts, the writes and the pending
// faults; hosts stay.
func (f *Fake) Reset() {
	f.Base.Reset()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.writes = 0
}

// ServeHTTP answers /nic/update like HE.net.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if ft := f.Take(r, "update"); ft != nil {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		ft.WritePlain(w)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if r.URL.Path != "/nic/update" {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	status, answer := f.update(r)
	w.WriteHeader(status)
	io.WriteString(w, answer)
}

// update authenticates and applies one update; the caller holds f.mu.
func (f *Fake) update(r *http.Request) (status int, answer string) {
	// ParseForm reads the body only for a form Content-Type, like the
	// real server: a body sent as anything else carries no parameters.
	if err := r.ParseForm(); err != nil {
		return http.StatusBadRequest, "badrequest"
	}
	name, key := r.Form.Get("hostname"), r.Form.Get("password")
	if user, pass, ok := r.BasicAuth(); ok && key == "" {
		key = pass
		if name == "" {
			name = user
		}
	}
	if name == "" || key == "" {
		return http.StatusUnauthorized, "badauth"
	}
	h, ok := f.hosts[name]
	if !ok {
		return http.StatusOK, "nohost"
	}
	if key != h.key {
		return http.StatusUnauthorized, "badauth"
	}
	ip := r.Form.Get("myip")
	if ip == "" {
		ip, _, _ = net.SplitHostPort(r.RemoteAddr)
	}
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return http.StatusBadRequest, "invalid myip"
	}
	typ := recordType(addr)
	if h.addrs[typ] == addr.String() {
		return http.StatusOK, fmt.Sprintf("nochg %s", addr)
	}
	h.addrs[typ] = addr.String()
	f.writes++
	return http.StatusOK, fmt.Sprintf("good %s", addr)
}

func recordType(a netip.Addr) string {
	if a.Is4() {
		return "A"
	}
	return "AAAA"
}
