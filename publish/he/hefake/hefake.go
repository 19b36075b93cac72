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

// Fake is the server state. Create it with New; it is safe for
// concurrent use.
type Fake struct {
	publishtest.Base  // requests (action "update"), counts, faults
	publishtest.Hosts // records with dynamic DNS enabled, each owned by its DDNS key; the Tally of updates

	mu sync.Mutex
}

// New returns a fake that knows no host yet.
func New() *Fake { return &Fake{} }

// Reset forgets the requests, the counts, the Tally and the pending
// faults; hosts stay.
func (f *Fake) Reset() {
	f.Base.Reset()
	f.ResetTally()
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
	owner, ok := f.Owner(name)
	if !ok {
		return http.StatusOK, "nohost"
	}
	if key != owner {
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
	if !f.Update(name, publishtest.TypeOf(addr), addr.String()) {
		return http.StatusOK, fmt.Sprintf("nochg %s", addr)
	}
	return http.StatusOK, fmt.Sprintf("good %s", addr)
}
