// Package westfake is an in-memory stand-in for West.cn's domain DNS API
// (https://api.west.cn/API/v2/domain/dns/), for tests of the west provider
// and of the ddns binary.
//
// It behaves like the documented API: requests are a POST form (or a GET
// query) to Path; act=dnsrec.update creates or updates the record named by
// domain (the zone) and hostname ("@" = apex) on record_line ("" = the
// default line), its type A or AAAA following from record_value.
// Credentials are checked as West does: username + apikey must be the
// account's, and the domain must then be in the account; or apidomainkey
// must be that domain's own key. Answers are HTTP 200 with a JSON object
// {"code", "msg", "body"}, declared as charset=gb2312: code 200 with
// body.record_id on success, 404 for a domain that is not in the account.
// West documents no other codes; this fake answers 401 for bad
// credentials and 400 for invalid parameters (an assumption). A path other
// than Path answers an HTTP 404 page, as the real web server would.
//
// Faults, the request log and the counts by act are publishtest.Base's. Serve it with httptest.NewServer(f) and use
// the server's URL as endpoint (the provider adds Path).
package westfake

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/ddns-go/ddns/publish/publishtest"
)

// Path is where West serves the API.
const Path = "/API/v2/domain/dns/"

// Lines are the record_line codes West accepts; "" is the default line.
var Lines = []string{"", "LTEL", "LCNC", "LMOB", "LEDU", "LSEO", "LFOR"}

// Fault is a canned answer for the next requests, given before
// authentication: Body as sent, else Code (a number) and Message as a
// West answer. Faults are answered with West's "…; charset=gb2312" label
// unless ContentType says otherwise.
type Fault = publishtest.Fault

// Record is one DNS record held by the fake; Host is "@" for the apex,
// Line "" the default line. West records carry no TTL.
type Record = publishtest.Record

// Fake is the server state. Create it with New; it is safe for
// concurrent use.
type Fake struct {
	publishtest.Base   // requests (action: the act), counts, faults
	*publishtest.Store // domains and records

	mu      sync.Mutex
	user    string
	apikey  string
	keys    map[string]string // domain → its apidomainkey ("" = domain mode disabled)
	changes atomic.Int64
}

// New returns an account called user whose API key (the MD5 hex of its
// API password) is apikey, holding no domain yet.
func New(user, apikey string) *Fake {
	return &Fake{Store: publishtest.NewStore("@", 123455), user: user, apikey: apikey, keys: map[string]string{}}
}

// AddZone adds a domain to the account; domainKey is its apidomainkey
// ("" = domain mode disabled for it).
func (f *Fake) AddZone(name, domainKey string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.keys[name] = domainKey
	f.Store.AddZone(name)
}

// DeleteZone removes a domain from the account, as a transfer would.
func (f *Fake) DeleteZone(name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.keys, name)
	f.Store.DeleteZone(name)
}

// AddRecord adds a record as a user would in the panel and returns its id.
// It panics on an unknown zone: a mistake in the test.
func (f *Fake) AddRecord(zoneName, host, typ, value, line string) string {
	return f.Insert(zoneName, Record{Host: host, Type: typ, Line: line, Value: value})
}

// Changes returns how many accepted updates created a record or changed
// its value (an update to the value it already holds is not a change).
func (f *Fake) Changes() int { return int(f.changes.Load()) }

// Reset forgets calls, changes, requests and pending faults; zones and
// records stay.
func (f *Fake) Reset() {
	f.Base.Reset()
	f.changes.Store(0)
}

// ServeHTTP answers one API request.
func (f *Fake) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(req.Body, 1<<20))
	req.Body = io.NopCloser(bytes.NewReader(body))
	form, _ := url.ParseQuery(req.URL.RawQuery)
	// Like any web server, only a form Content-Type makes a body parameters.
	if strings.HasPrefix(req.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		bodyForm, _ := url.ParseQuery(string(body))
		for k, v := range bodyForm {
			form[k] = append(form[k], v...)
		}
	}
	act := form.Get("act")
	if ft := f.Take(req, act); ft != nil {
		fault(w, ft)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if req.URL.Path != Path {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, "<html><body><h1>404 Not Found</h1></body></html>")
		return
	}
	if req.Method != http.MethodPost && req.Method != http.MethodGet {
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	domain, code, msg := f.auth(form)
	if domain == "" {
		reply(w, code, msg, nil)
		return
	}
	switch act {
	case "dnsrec.update":
		f.update(w, domain, form)
	default:
		reply(w, http.StatusBadRequest, "act not supported", nil)
	}
}

func fault(w http.ResponseWriter, ft *Fault) {
	if ft.Body != "" || ft.Code != "" {
		w.Header().Set("Content-Type", "application/json; charset=gb2312")
	}
	if ft.WritePlain(w) {
		return
	}
	code, _ := strconv.Atoi(ft.Code)
	w.WriteHeader(ft.StatusOr(http.StatusOK))
	json.NewEncoder(w).Encode(map[string]any{"code": code, "msg": ft.Message})
}

// auth checks the credentials for the request's domain and returns the
// domain, or West's code and message.
func (f *Fake) auth(form url.Values) (domain string, code int, msg string) {
	domain = strings.ToLower(form.Get("domain"))
	if domain == "" {
		return "", http.StatusBadRequest, "domain is required"
	}
	key, held := f.keys[domain]
	switch {
	case form.Get("username") != "" || form.Get("apikey") != "":
		if form.Get("username") != f.user || form.Get("apikey") != f.apikey || f.apikey == "" {
			return "", http.StatusUnauthorized, "username or apikey error"
		}
		if !held {
			return "", http.StatusNotFound, "domain not found"
		}
		return domain, 0, ""
	case form.Get("apidomainkey") != "":
		if !held {
			return "", http.StatusNotFound, "domain not found"
		}
		if key == "" || form.Get("apidomainkey") != key {
			return "", http.StatusUnauthorized, "apidomainkey error"
		}
		return domain, 0, ""
	}
	return "", http.StatusUnauthorized, "username and apikey, or apidomainkey, are required"
}

// update is dnsrec.update: the first record of the host, type and line is
// set to the value, or one is created.
func (f *Fake) update(w http.ResponseWriter, domain string, form url.Values) {
	host := strings.ToLower(form.Get("hostname"))
	if host == "" {
		reply(w, http.StatusBadRequest, "hostname is required", nil)
		return
	}
	addr, err := netip.ParseAddr(form.Get("record_value"))
	if err != nil {
		reply(w, http.StatusBadRequest, "record_value is invalid", nil)
		return
	}
	line := form.Get("record_line")
	if !validLine(line) {
		reply(w, http.StatusBadRequest, "record_line is invalid", nil)
		return
	}
	typ := "A"
	if addr.Is6() {
		typ = "AAAA"
	}
	for _, r := range f.Records(domain, host, typ) {
		if r.Line == line {
			if r.Value != addr.String() {
				r.Value = addr.String()
				f.Replace(domain, r.ID, r)
				f.changes.Add(1)
			}
			reply(w, http.StatusOK, "success", map[string]any{"record_id": number(r.ID)})
			return
		}
	}
	id := f.Insert(domain, Record{Host: host, Type: typ, Line: line, Value: addr.String()})
	f.changes.Add(1)
	reply(w, http.StatusOK, "success", map[string]any{"record_id": number(id)})
}

// number is an id as West answers it: a JSON number.
func number(id string) int {
	n, _ := strconv.Atoi(id)
	return n
}

func validLine(line string) bool {
	for _, l := range Lines {
		if l == line {
			return true
		}
	}
	return false
}

// reply writes a West answer: always HTTP 200, the outcome in code.
func reply(w http.ResponseWriter, code int, msg string, body map[string]any) {
	a := map[string]any{"code": code, "msg": msg}
	if body != nil {
		a["body"] = body
	}
	w.Header().Set("Content-Type", "application/json; charset=gb2312")
	json.NewEncoder(w).Encode(a)
}
