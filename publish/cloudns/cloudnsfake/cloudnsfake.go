// Package cloudnsfake is an in-memory stand-in for the ClouDNS DNS API
// (https://api.cloudns.net, JSON variants), for tests of the cloudns
// provider and of the ddns binary.
//
// It behaves like the real service as documented: every call is
// /dns/<action>.json with its parameters in the query string or a
// form-encoded POST body (the service reads both); the API user is named
// by exactly one of auth-id, sub-auth-id or sub-auth-user, with
// auth-password, else the answer is HTTP 200 with
// {"status": "Failed", "statusDescription": "Invalid authentication, …"},
// as ClouDNS answers every API error. It holds zones (master, slave,
// parked) and records with numeric ids, implements get-zone-info,
// records, add-record and mod-record with the service's error texts
// ("Missing domain-name" for an unknown zone, "Invalid record-id param.",
// "Invalid TTL. …" for a TTL outside the accepted list), counts calls by
// action, and answers queued faults before anything else. Serve it with
// httptest.NewServer(f).
package cloudnsfake

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/ddns-go/ddns/publish/publishtest"
)

// Error texts of the service, as documented.
const (
	BadAuth    = "Invalid authentication, incorrect auth-id or auth-password."
	BadSubAuth = "Invalid authentication, incorrect sub-auth-id, sub-auth-user or auth-password."
	NoZone     = "Missing domain-name"
	NoRecord   = "Invalid record-id param."
	BadTTL     = "Invalid TTL. Choose from the list of the values we support."
	RateLimit  = "Request blocked, 127.0.0.1 is sending more than 20 requests per second."
)

// TTLs are the TTLs the service accepts.
var TTLs = []int{60, 300, 900, 1800, 3600, 21600, 43200, 86400, 172800, 259200, 604800, 1209600, 2592000}

// Fault is a canned answer for the next requests, given before
// authentication, as a front end or rate limiter would; a Message alone
// makes a Failed answer with that statusDescription.
type Fault = publishtest.Fault

// Request is one request as the fake received it; Action is e.g.
// "records".
type Request = publishtest.Request

// Form returns the request's query and form body together, as the
// service reads them (like PHP's $_REQUEST).
func Form(r Request) url.Values { return formOf(r.Query, r.Header, r.Body) }

func formOf(query url.Values, header http.Header, body []byte) url.Values {
	form := url.Values{}
	for k, v := range query {
		form[k] = append(form[k], v...)
	}
	if strings.HasPrefix(header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		if bf, err := url.ParseQuery(string(body)); err == nil {
			for k, v := range bf {
				form[k] = append(form[k], v...)
			}
		}
	}
	return form
}

// Record is one DNS record held by the fake; Host is "" for the apex.
type Record = publishtest.Record

type subUser struct{ id, name, password string }

// Fake is the server state. Create it with New; it is safe for
// concurrent use.
type Fake struct {
	publishtest.Base   // requests, counts by action, faults
	*publishtest.Store // zones and records

	mu       sync.Mutex
	authID   string
	password string
	subs     []subUser
	kinds    map[string]string // zone name → master, slave or parked
}

// New returns a fake account whose API user is authID with password, and
// no zone.
func New(authID, password string) *Fake {
	return &Fake{Store: publishtest.NewStore("", 987653), authID: authID, password: password, kinds: map[string]string{}}
}

// AddSubUser adds an API sub-user, known by id and by name.
func (f *Fake) AddSubUser(id, name, password string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.subs = append(f.subs, subUser{id, name, password})
}

// AddZone adds a master zone to the account.
func (f *Fake) AddZone(name string) { f.AddZoneOfType(name, "master") }

// AddZoneOfType adds a zone of type typ: master, slave or parked.
func (f *Fake) AddZoneOfType(name, typ string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.kinds[name] = typ
	f.Store.AddZone(name)
}

// AddRecord adds a record to a zone as a user would in the console and
// returns its id; host "" is the apex. It panics on an unknown zone: a
// mistake in the test.
func (f *Fake) AddRecord(zoneName, host, typ, value string, ttl int) string {
	return f.Insert(zoneName, Record{Host: host, Type: typ, Value: value, TTL: ttl})
}

// ServeHTTP answers one API request.
func (f *Fake) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	action, isAPI := strings.CutPrefix(req.URL.Path, "/dns/")
	action, isJSON := strings.CutSuffix(action, ".json")
	if ft := f.Take(req, action); ft != nil {
		if !ft.WritePlain(w) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(ft.StatusOr(http.StatusOK))
			json.NewEncoder(w).Encode(map[string]string{"status": "Failed", "statusDescription": ft.Message})
		}
		return
	}
	body, _ := io.ReadAll(req.Body) // Take put it back
	form := formOf(req.URL.Query(), req.Header, body)

	f.mu.Lock()
	defer f.mu.Unlock()
	if !isAPI || !isJSON {
		http.NotFound(w, req)
		return
	}
	if msg := f.authenticate(form); msg != "" {
		failed(w, msg)
		return
	}
	switch action {
	case "get-zone-info":
		f.zoneInfo(w, form)
	case "records":
		f.list(w, form)
	case "add-record":
		f.add(w, form)
	case "mod-record":
		f.modify(w, form)
	default:
		http.NotFound(w, req)
	}
}

// authenticate checks the credentials and returns the service's error
// text, or "" when they are right.
func (f *Fake) authenticate(form url.Values) string {
	pw := form.Get("auth-password")
	if id := form.Get("auth-id"); id != "" || (form.Get("sub-auth-id") == "" && form.Get("sub-auth-user") == "") {
		if id != f.authID || pw != f.password {
			return BadAuth
		}
		return ""
	}
	for _, s := range f.subs {
		if (form.Get("sub-auth-id") == s.id || form.Get("sub-auth-user") == s.name) && pw == s.password {
			return ""
		}
	}
	return BadSubAuth
}

func (f *Fake) zoneInfo(w http.ResponseWriter, form url.Values) {
	name := strings.ToLower(form.Get("domain-name"))
	kind, ok := f.kinds[name]
	if !ok || !f.HasZone(name) {
		failed(w, NoZone)
		return
	}
	reply(w, map[string]any{"name": name, "type": kind, "zone": "domain", "status": "1"})
}

// list answers records.json: an object keyed by record id, in the zone's
// order, or [] (PHP's empty array) when nothing matches. An empty host
// does not filter, as an absent one.
func (f *Fake) list(w http.ResponseWriter, form url.Values) {
	records, ok := f.master(w, form)
	if !ok {
		return
	}
	host, typ := form.Get("host"), form.Get("type")
	var buf bytes.Buffer
	for _, r := range records {
		if (host != "" && !strings.EqualFold(r.Host, host)) || (typ != "" && !strings.EqualFold(r.Type, typ)) {
			continue
		}
		item, _ := json.Marshal(map[string]any{
			"id": r.ID, "type": r.Type, "host": r.Host, "record": r.Value,
			"dynamicurl_status": 0, "failover": "0", "ttl": strconv.Itoa(r.TTL), "status": 1,
		})
		if buf.Len() == 0 {
			buf.WriteByte('{')
		} else {
			buf.WriteByte(',')
		}
		buf.WriteString(strconv.Quote(r.ID) + ":")
		buf.Write(item)
	}
	if buf.Len() == 0 {
		buf.WriteString("[]")
	} else {
		buf.WriteByte('}')
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(buf.Bytes())
}

func (f *Fake) add(w http.ResponseWriter, form url.Values) {
	records, ok := f.master(w, form)
	if !ok {
		return
	}
	r := Record{Type: strings.ToUpper(form.Get("record-type"))}
	if msg := fill(&r, form); msg != "" {
		failed(w, msg)
		return
	}
	for _, x := range records {
		if x.Host == r.Host && x.Type == r.Type && x.Value == r.Value {
			failed(w, "The record already exists.")
			return
		}
	}
	id, _ := strconv.Atoi(f.Insert(strings.ToLower(form.Get("domain-name")), r))
	reply(w, map[string]any{"status": "Success", "statusDescription": "The record was added successfully.", "data": map[string]any{"id": id}})
}

func (f *Fake) modify(w http.ResponseWriter, form url.Values) {
	if _, ok := f.master(w, form); !ok {
		return
	}
	zone := strings.ToLower(form.Get("domain-name"))
	next, ok := f.Find(zone, form.Get("record-id")) // the type cannot be changed
	if !ok {
		failed(w, NoRecord)
		return
	}
	if msg := fill(&next, form); msg != "" {
		failed(w, msg)
		return
	}
	f.Replace(zone, next.ID, next)
	reply(w, map[string]any{"status": "Success", "statusDescription": "The record was modified successfully."})
}

// fill validates host, record and ttl of a write and copies them into r;
// it returns the service's error text.
func fill(r *Record, form url.Values) string {
	if r.Type != "A" && r.Type != "AAAA" {
		return "Invalid record type."
	}
	if _, ok := form["host"]; !ok {
		return "Missing host."
	}
	r.Host = strings.ToLower(form.Get("host"))
	if r.Host == "@" {
		r.Host = ""
	}
	for _, l := range strings.Split(r.Host, ".") {
		if r.Host != "" && (l == "" || len(l) > 63 || strings.ContainsAny(l, " /@~+")) {
			return "Invalid host."
		}
	}
	a, err := netip.ParseAddr(form.Get("record"))
	if err != nil || a.Is4() != (r.Type == "A") {
		return "Invalid IP address."
	}
	r.Value = a.String()
	ttl, err := strconv.Atoi(form.Get("ttl"))
	if err != nil || !slices.Contains(TTLs, ttl) {
		return BadTTL
	}
	r.TTL = ttl
	return ""
}

// master returns the records of the zone named by domain-name; records
// exist only in master zones. It writes the service's failure and reports
// false otherwise.
func (f *Fake) master(w http.ResponseWriter, form url.Values) ([]Record, bool) {
	name := strings.ToLower(form.Get("domain-name"))
	records, ok := f.List(name)
	switch {
	case !ok:
		failed(w, NoZone)
		return nil, false
	case f.kinds[name] != "master":
		failed(w, "This function is available only for master zones.")
		return nil, false
	}
	return records, true
}

func failed(w http.ResponseWriter, desc string) {
	reply(w, map[string]string{"status": "Failed", "statusDescription": desc})
}

func reply(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v) // maps of strings and numbers always encode
}
