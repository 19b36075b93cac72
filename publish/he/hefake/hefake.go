// Package hefake is an in-memory stand-in for HE.net's dynamic DNS server
// (dyn.dns.he.net), for tests of the he provider and of the ddns binary.
//
// It behaves like the real /nic/update: parameters come from the query or
// a form body, the password is the host's own DDNS key (or HTTP Basic
// password, user = host name), a wrong key is "401 badauth", an unknown
// host is "nohost", and an update answers "good <ip>" or, when the host
// already has that address, "nochg <ip>". A or AAAA is chosen by the
// address family of myip; a missing myip means the client's address.
// Faults can be queued to answer the next requests with any status and
// body. Serve it with httptest.NewServer(f).
package hefake

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"sync"
)

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
	Header http.Header
	Body   string
}

// Fake is the server state. The zero value is not usable; call New. It is
// safe for concurrent use.
type Fake struct {
	mu       sync.Mutex
	hosts    map[string]*host
	faults   []Fault
	calls    int
	writes   int
	requests []Request
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

// Writes returns how many updates changed an address ("good" answers).
func (f *Fake) Writes() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.writes
}

// Requests returns every request received, oldest first.
func (f *Fake) Requests() []Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Request(nil), f.requests...)
}

// ResetCounts zeroes Calls and Writes and forgets the requests; hosts and
// queued faults stay.
func (f *Fake) ResetCounts() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls, f.writes, f.requests = 0, 0, nil
}

// ServeHTTP answers /nic/update like HE.net.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	r.Body = io.NopCloser(bytes.NewReader(body))

	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	f.requests = append(f.requests, Request{Method: r.Method, URI: r.URL.RequestURI(), Header: r.Header.Clone(), Body: string(body)})
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
