// Package dyndns2fake is an in-memory dyndns2 update server (Dyn, No-IP,
// Dynu and the like), for tests of the dyndns2 and noip providers and of
// the ddns binary.
//
// It behaves like the real servers: a GET of the update path with
// hostname and myip, authenticated by HTTP Basic auth. No or wrong
// credentials are "401 badauth" with a Basic challenge (No-IP's shape), an
// empty User-Agent or another method is "badagent", a name without a dot
// is "notfqdn", a host the account does not hold is "nohost", and an
// update answers "good <ip>" or, when the host already has that address,
// "nochg <ip>" — one line per comma-separated host name. A or AAAA is
// chosen by the address family of myip; a missing myip means the client's
// address. Faults and the request log are publishtest.Base's. Serve it
// with httptest.NewServer(f).
package dyndns2fake

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/ddns-go/ddns/publish/publishtest"
)

// Options shape the server.
type Options struct {
	Path  string // the update path; "" = "/nic/update"
	Realm string // the Basic challenge's realm; "" = "DDNS Update"
}

// Fault is a canned answer for the next requests (Body as sent).
type Fault = publishtest.Fault

// Fake is the server state. The zero value is not usable; call New. It is
// safe for concurrent use.
type Fake struct {
	publishtest.Base  // requests (action "update"), counts, faults
	publishtest.Hosts // host names, owned by user names; the Tally of updates

	opts Options

	mu       sync.Mutex
	users    map[string]string // user name → password
	rejected atomic.Int64
}

// New returns a fake that knows no account yet.
func New(o Options) *Fake {
	if o.Path == "" {
		o.Path = "/nic/update"
	}
	if o.Realm == "" {
		o.Realm = "DDNS Update"
	}
	return &Fake{opts: o, users: map[string]string{}}
}

// AddUser creates an account (or a DDNS key) with these credentials.
func (f *Fake) AddUser(name, password string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.users[name] = password
}

// Rejected returns how many requests were refused (bad credentials, agent,
// host; judged by the first host's answer), faults excluded.
func (f *Fake) Rejected() int { return int(f.rejected.Load()) }

// Reset forgets the requests, the counts, the Tally, the rejections and
// the pending faults; accounts and hosts stay.
func (f *Fake) Reset() {
	f.Base.Reset()
	f.ResetTally()
	f.rejected.Store(0)
}

// ServeHTTP answers the update path like a dyndns2 server.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if ft := f.Take(r, "update"); ft != nil {
		ft.WritePlain(w)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if r.URL.Path != f.opts.Path {
		http.NotFound(w, r)
		return
	}
	status, answer := f.update(r)
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", fmt.Sprintf("Basic realm=%q", f.opts.Realm))
	}
	if status != http.StatusOK || !(strings.HasPrefix(answer, "good") || strings.HasPrefix(answer, "nochg")) {
		f.rejected.Add(1)
	}
	w.WriteHeader(status)
	io.WriteString(w, answer)
}

// update authenticates and applies one request; the caller holds f.mu.
func (f *Fake) update(r *http.Request) (status int, answer string) {
	user, pass, ok := r.BasicAuth()
	if !ok || user == "" || f.users[user] != pass || pass == "" {
		return http.StatusUnauthorized, "badauth"
	}
	if r.Method != http.MethodGet || r.UserAgent() == "" {
		return http.StatusOK, "badagent"
	}
	q := r.URL.Query()
	ip := q.Get("myip")
	if ip == "" {
		ip, _, _ = net.SplitHostPort(r.RemoteAddr)
	}
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return http.StatusBadRequest, "badrequest: myip is not an IP address"
	}
	names := strings.Split(q.Get("hostname"), ",")
	lines := make([]string, 0, len(names))
	for _, name := range names {
		lines = append(lines, f.updateHost(user, name, addr))
	}
	return http.StatusOK, strings.Join(lines, "\n")
}

// updateHost applies one host's update and returns its answer line.
func (f *Fake) updateHost(user, name string, addr netip.Addr) string {
	if !strings.Contains(name, ".") {
		return "notfqdn"
	}
	if owner, ok := f.Owner(name); !ok || owner != user {
		return "nohost"
	}
	if !f.Update(name, publishtest.TypeOf(addr), addr.String()) {
		return "nochg " + addr.String()
	}
	return "good " + addr.String()
}
