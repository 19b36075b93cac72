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

// Record is one DNS record held by the fake.
type Record struct {
	ID    int
	Host  string // "@" for the apex
	Type  string // "A" or "AAAA"
	Line  string // "" = default line
	Value string
}

type zone struct {
	name    string
	key     string // the domain's apidomainkey
	records []*Record
}

// Fake is the server state. Create it with New; it is safe for
// concurrent use.
type Fake struct {
	publishtest.Base // requests (action: the act), counts, faults

	mu      sync.Mutex
	user    string
	apikey  string
	zones   map[string]*zone
	nextID  int
	changes int
}

// New returns an account called user whose API key (the MD5 hex of its
// API password) is apikey, holding no domain yet.
func New(user, apikey string) *Fake {
	return &Fake{user: user, apikey: apikey, zones: map[string]*zone{}, nextID: 123455}
}

// AddZone adds a domain to the account; domainKey is its apidomainkey
// ("" = domain mode disabled for it).
func (f *Fake) AddZone(name, domainKey string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.zones[name] = &zone{name: name, key: domainKey}
}

// DeleteZone removes a domain from the account, as a transfer would.
func (f *Fake) DeleteZone(name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.zones, name)
}

// AddRecord adds a record as a user would in the panel and returns its id.
// It panics on an unknown zone: a mistake in the test.
func (f *Fake) AddRecord(zoneName, host, typ, value, line string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.nextID++
	z := f.zones[zoneName]
	z.records = append(z.records, &Record{ID: f.nextID, Host: host, Type: typ, Line: line, Value: value})
	return strconv.Itoa(f.nextID)
}

// DeleteRecord removes a record, as a user would in the panel.
func (f *Fake) DeleteRecord(zoneName, id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	z := f.zones[zoneName]
	for i, r := range z.records {
		if strconv.Itoa(r.ID) == id {
			z.records = append(z.records[:i], z.records[i+1:]...)
			return
		}
	}
}

// Records returns copies of a zone's records for host of type typ, on any
// line.
func (f *Fake) Records(zoneName, host, typ string) []Record {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Record
	if z := f.zones[zoneName]; z != nil {
		for _, r := range z.records {
			if r.Host == host && r.Type == typ {
				out = append(out, *r)
			}
		}
	}
	return out
}

// Changes returns how many accepted updates created a record or changed
// its value (an update to the value it already holds is not a change).
func (f *Fake) Changes() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.changes
}

// Reset forgets calls, changes, requests and pending faults; zones and
// records stay.
func (f *Fake) Reset() {
	f.Base.Reset()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.changes = 0
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
	z, code, msg := f.auth(form)
	if z == nil {
		reply(w, code, msg, nil)
		return
	}
	switch act {
	case "dnsrec.update":
		f.update(w, z, form)
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
// zone, or West's code and message.
func (f *Fake) auth(form url.Values) (z *zone, code int, msg string) {
	domain := strings.ToLower(form.Get("domain"))
	if domain == "" {
		return nil, http.StatusBadRequest, "domain is required"
	}
	switch {
	case form.Get("username") != "" || form.Get("apikey") != "":
		if form.Get("username") != f.user || form.Get("apikey") != f.apikey || f.apikey == "" {
			return nil, http.StatusUnauthorized, "username or apikey error"
		}
		if z = f.zones[domain]; z == nil {
			return nil, http.StatusNotFound, "domain not found"
		}
		return z, 0, ""
	case form.Get("apidomainkey") != "":
		if z = f.zones[domain]; z == nil {
			return nil, http.StatusNotFound, "domain not found"
		}
		if z.key == "" || form.Get("apidomainkey") != z.key {
			return nil, http.StatusUnauthorized, "apidomainkey error"
		}
		return z, 0, ""
	}
	return nil, http.StatusUnauthorized, "username and apikey, or apidomainkey, are required"
}

// update is dnsrec.update: the first record of the host, type and line is
// set to the value, or one is created.
func (f *Fake) update(w http.ResponseWriter, z *zone, form url.Values) {
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
	for _, r := range z.records {
		if r.Host == host && r.Type == typ && r.Line == line {
			if r.Value != addr.String() {
				r.Value = addr.String()
				f.changes++
			}
			reply(w, http.StatusOK, "success", map[string]any{"record_id": r.ID})
			return
		}
	}
	f.nextID++
	z.records = append(z.records, &Record{ID: f.nextID, Host: host, Type: typ, Line: line, Value: addr.String()})
	f.changes++
	reply(w, http.StatusOK, "success", map[string]any{"record_id": f.nextID})
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
