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
// address. Faults can be queued to answer the next requests with any
// status and body. Serve it with httptest.NewServer(f).
package dyndns2fake

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
)

// Options shape the server.
type Options struct {
	Path  string // the update path; "" = "/nic/update"
	Realm string // the Basic challenge's realm; "" = "DDNS Update"
}

// Fault is a canned answer for the next requests, given before any
// authentication, as a front end or rate limiter would.
type Fault struct {
	Times      int    // how many requests in a row get it; 0 means 1
	Status     int    // 0 means 200
	Body       string // e.g. "911", "<html>…", ""
	RetryAfter string // Retry-After header value; "" = none
}

// Request is one request as the fake received it.
type Request struct {
	Method string
	URI    string // path and query
	Query  url.Values
	Header http.Header
}

// Fake is the server state. The zero value is not usable; call New. It is
// safe for concurrent use.
type Fake struct {
	opts Options

	mu        sync.Mutex
	users     map[string]string // user name → password
	hosts     map[string]*host
	faults    []Fault
	calls     int
	writes    int
	unchanged int
	rejected  int
	requests  []Request
}

type host struct {
	user  string
	addrs map[string]string // "A"/"AAAA" → address
}

// New returns a fake that knows no account yet.
func New(o Options) *Fake {
	if o.Path == "" {
		o.Path = "/nic/update"
	}
	if o.Realm == "" {
		o.Realm = "DDNS Update"
	}
	return &Fake{opts: o, users: map[string]string{}, hosts: map[string]*host{}}
}

// AddUser creates an account (or a DDNS key) with these credentials.
func (f *Fake) AddUser(name, password string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.users[name] = password
}

// AddHost creates a host name in user's account, as a user does in the
// service's control panel. It holds no address yet.
func (f *Fake) AddHost(name, user string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.hosts[name] = &host{user: user, addrs: map[string]string{}}
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

// Inject queues a fault; queued faults are served in order.
func (f *Fake) Inject(ft Fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if ft.Times <= 0 {
		ft.Times = 1
	}
	f.faults = append(f.faults, ft)
}

// Calls returns how many requests arrived, faults and rejections included.
func (f *Fake) Calls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

// Writes returns how many host updates changed an address ("good").
func (f *Fake) Writes() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.writes
}

// Unchanged returns how many host updates changed nothing ("nochg"): the
// answers a real service counts towards blocking a client for abuse.
func (f *Fake) Unchanged() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.unchanged
}

// Rejected returns how many requests were refused (bad credentials, agent,
// host; judged by the first host's answer), faults excluded.
func (f *Fake) Rejected() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.rejected
}

// Requests returns every request received, oldest first.
func (f *Fake) Requests() []Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Request(nil), f.requests...)
}

// ResetCounts zeroes the counters and forgets the requests; accounts,
// hosts and queued faults stay.
func (f *Fake) ResetCounts() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls, f.writes, f.unchanged, f.rejected, f.requests = 0, 0, 0, 0, nil
}

// ServeHTTP answers the update path like a dyndns2 server.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	f.requests = append(f.requests, Request{Method: r.Method, URI: r.URL.RequestURI(), Query: r.URL.Query(), Header: r.Header.Clone()})
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")

	if len(f.faults) > 0 {
		ft := &f.faults[0]
		if ft.Times--; ft.Times == 0 {
			f.faults = f.faults[1:]
		}
		if ft.RetryAfter != "" {
			w.Header().Set("Retry-After", ft.RetryAfter)
		}
		status := ft.Status
		if status == 0 {
			status = http.StatusOK
		}
		w.WriteHeader(status)
		io.WriteString(w, ft.Body)
		return
	}
	if r.URL.Path != f.opts.Path {
		http.NotFound(w, r)
		return
	}
	status, answer := f.update(r)
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", fmt.Sprintf("Basic realm=%q", f.opts.Realm))
	}
	if status != http.StatusOK || !(strings.HasPrefix(answer, "good") || strings.HasPrefix(answer, "nochg")) {
		f.rejected++
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
	h, ok := f.hosts[name]
	if !ok || h.user != user {
		return "nohost"
	}
	typ := recordType(addr)
	if h.addrs[typ] == addr.String() {
		f.unchanged++
		return "nochg " + addr.String()
	}
	h.addrs[typ] = addr.String()
	f.writes++
	return "good " + addr.String()
}

func recordType(a netip.Addr) string {
	if a.Is4() {
		return "A"
	}
	return "AAAA"
}
