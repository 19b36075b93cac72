package publishtest

import (
	"bytes"
	"io"
	"maps"
	"net/http"
	"net/url"
	"sync"
)

// Fault is a canned answer a fake gives instead of serving a request, as
// a front end or rate limiter would, before authentication.
type Fault struct {
	// Action limits the fault to requests of that action ("" = any);
	// others are served meanwhile.
	Action     string
	Times      int    // how many requests in a row get it; 0 means 1
	Status     int    // HTTP status; 0 means 200
	RetryAfter string // Retry-After header value; "" = none
	// Body is sent as is when set. Else Code and Message, when set, are
	// an API error the fake writes in its service's own format; with
	// neither the body is empty.
	Body          string
	Code, Message string
	// ContentType replaces the fake's own Content-Type; "" = the fake's.
	ContentType string
}

// Request is one request as a fake received it.
type Request struct {
	Action string // the fake's name for what was asked (an operation, a path)
	Method string
	URI    string // path and query, as sent
	Header http.Header
	Query  url.Values
	Body   []byte
}

// Base is what every fake shares: the log of requests, the counts by
// action, the queue of faults. A fake embeds it and calls Take first in
// its ServeHTTP. It is safe for concurrent use.
type Base struct {
	mu       sync.Mutex
	requests []Request
	calls    map[string]int
	faults   []Fault
}

// Fail queues faults for the next requests, in order.
func (b *Base) Fail(faults ...Fault) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.faults = append(b.faults, faults...)
}

// Calls returns how many requests of action arrived ("" = all of them),
// faulted ones included.
func (b *Base) Calls(action string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	if action == "" {
		return len(b.requests)
	}
	return b.calls[action]
}

// CallCounts returns the number of requests per action.
func (b *Base) CallCounts() map[string]int {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := maps.Clone(b.calls)
	if out == nil {
		out = map[string]int{}
	}
	return out
}

// Actions returns the action of every request received so far, in order.
func (b *Base) Actions() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for _, r := range b.requests {
		out = append(out, r.Action)
	}
	return out
}

// Requests returns every request received so far, in order.
func (b *Base) Requests() []Request {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]Request(nil), b.requests...)
}

// Reset forgets the requests, the counts and the pending faults; what the
// account holds stays.
func (b *Base) Reset() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.requests, b.calls, b.faults = nil, nil, nil
}

// Take logs req as a request of action and returns the fault it must be
// answered with, or nil. The request's body is read and put back, so the
// fake can still read it.
func (b *Base) Take(req *http.Request, action string) *Fault {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.calls == nil {
		b.calls = map[string]int{}
	}
	b.calls[action]++
	b.requests = append(b.requests, Request{
		Action: action, Method: req.Method, URI: req.URL.RequestURI(),
		Header: req.Header.Clone(), Query: req.URL.Query(), Body: body,
	})
	if len(b.faults) == 0 || b.faults[0].Action != "" && b.faults[0].Action != action {
		return nil
	}
	ft := b.faults[0]
	if b.faults[0].Times--; b.faults[0].Times <= 0 {
		b.faults = b.faults[1:]
	}
	return &ft
}

// WritePlain answers ft where it needs no service format: Retry-After,
// ContentType, the status, and Body. It reports false when ft is an API
// error (Code or Message set without Body) that the fake must write
// itself; the headers are then already set.
func (ft *Fault) WritePlain(w http.ResponseWriter) bool {
	if ft.RetryAfter != "" {
		w.Header().Set("Retry-After", ft.RetryAfter)
	}
	if ft.ContentType != "" {
		w.Header().Set("Content-Type", ft.ContentType)
	}
	if ft.Body == "" && (ft.Code != "" || ft.Message != "") {
		return false
	}
	if ft.Status != 0 {
		w.WriteHeader(ft.Status)
	}
	io.WriteString(w, ft.Body)
	return true
}

// StatusOr returns the fault's status, or def when it has none.
func (ft *Fault) StatusOr(def int) int {
	if ft.Status != 0 {
		return ft.Status
	}
	return def
}
