// Package dnspodfake is an in-memory stand-in for DNSPod's token API
// (dnsapi.cn and api.dnspod.com), for tests of the dnspod provider and of
// the ddns binary.
//
// It behaves like the real service as documented: every action is a POST
// of a form to /<Action>; format=json is required for JSON answers;
// login_token must be exactly "<id>,<token>", else the answer is status
// code -1 "Login fail" (HTTP 200, as DNSPod answers every API error). It
// holds zones and records with numeric ids, implements Domain.Info,
// Record.List (filters sub_domain, record_type, record_line), Record.Create
// and Record.Modify with DNSPod's error codes (6 bad domain, 8 bad record
// id, 10 no records, 26 bad line, 34 bad value, …), counts calls by
// action, and answers queued faults before anything else. Serve it with
// httptest.NewServer(f).
package dnspodfake

import (
	"encoding/json"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ddns-go/ddns/publish/publishtest"
)

// Lines are the record lines a service accepts, default line first, in
// the spelling its answers use.
var (
	LinesCN   = []string{"默认", "电信", "联通", "移动", "教育网", "境外"}
	LinesIntl = []string{"Default", "China Telecom", "China Unicom", "China Mobile", "Outside China"}
)

// Fault is a canned answer for the next requests, given before
// authentication, as a front end or rate limiter would; Code and Message
// make a DNSPod status answer.
type Fault = publishtest.Fault

// Request is one request as the fake received it.
type Request = publishtest.Request

// Form returns a request's form body (empty unless it is form-encoded).
func Form(r Request) url.Values {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		return url.Values{}
	}
	form, _ := url.ParseQuery(string(r.Body))
	return form
}

// Record is one DNS record held by the fake; Host is the sub-domain,
// "@" for the apex.
type Record = publishtest.Record

// Fake is the server state. Create it with New; it is safe for
// concurrent use.
type Fake struct {
	publishtest.Base   // requests, counts by action, faults
	*publishtest.Store // zones and records

	mu      sync.Mutex
	login   string // "<id>,<token>"
	lines   []string
	zoneIDs map[string]string // domain_id → zone name
}

// New returns a fake account with API token id and token and no zone.
// lines are the record lines it accepts (LinesCN or LinesIntl).
func New(id, token string, lines []string) *Fake {
	return &Fake{Store: publishtest.NewStore("@", 2317345), login: id + "," + token, lines: lines, zoneIDs: map[string]string{}}
}

// AddZone adds a domain to the account and returns its id.
func (f *Fake) AddZone(name string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	id := f.NewID() // DNSPod numbers domains and records from one sequence
	f.zoneIDs[id] = name
	f.Store.AddZone(name)
	return id
}

// AddRecord adds a record to a zone as a user would in the console and
// returns its id; line "" is the default line, ttl 0 is 600. It panics on
// an unknown zone: a mistake in the test.
func (f *Fake) AddRecord(zoneName, name, typ, value, line string, ttl int) string {
	if line == "" {
		line = f.lines[0]
	}
	if ttl == 0 {
		ttl = 600
	}
	return f.Insert(zoneName, Record{Host: name, Type: typ, Line: line, Value: value, TTL: ttl})
}

// ServeHTTP answers one API request.
func (f *Fake) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	action := strings.TrimPrefix(req.URL.Path, "/")
	if ft := f.Take(req, action); ft != nil {
		if !ft.WritePlain(w) {
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.WriteHeader(ft.StatusOr(http.StatusOK))
			json.NewEncoder(w).Encode(status(ft.Code, ft.Message))
		}
		return
	}
	body, _ := io.ReadAll(req.Body) // Take put it back
	form := Form(Request{Header: req.Header, Body: body})

	f.mu.Lock()
	defer f.mu.Unlock()
	if req.Method != http.MethodPost {
		reply(w, status("2", "Only POST method accepted"))
		return
	}
	if form.Get("format") != "json" {
		// DNSPod's default format is XML.
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><dnspod><status><code>-1</code><message>Login fail, please check login info</message></status></dnspod>`)
		return
	}
	if form.Get("login_token") != f.login {
		reply(w, status("-1", "Login fail, please check login info"))
		return
	}
	handlers := map[string]func(http.ResponseWriter, string, string, url.Values){
		"Domain.Info":   f.domainInfo,
		"Record.List":   f.recordList,
		"Record.Create": f.recordCreate,
		"Record.Modify": f.recordModify,
	}
	h, ok := handlers[action]
	if !ok {
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, "404 page not found")
		return
	}
	// Every action names its domain, by domain_id or domain.
	id, name := f.zone(form)
	if name == "" {
		reply(w, status("6", "Domain id invalid"))
		return
	}
	h(w, id, name, form)
}

func (f *Fake) domainInfo(w http.ResponseWriter, id, name string, form url.Values) {
	a := status("1", "Action completed successful")
	a["domain"] = map[string]any{"id": id, "name": name, "punycode": name, "grade": "DP_Free", "status": "enable", "ttl": "600"}
	reply(w, a)
}

func (f *Fake) recordList(w http.ResponseWriter, id, name string, form url.Values) {
	sub, typ, line := form.Get("sub_domain"), form.Get("record_type"), form.Get("record_line")
	if line != "" {
		if line = f.line(line); line == "" {
			reply(w, status("26", "Record line invalid"))
			return
		}
	}
	records, _ := f.List(name)
	var list []map[string]any
	for _, r := range records {
		if (sub != "" && !strings.EqualFold(r.Host, sub)) || (typ != "" && r.Type != typ) || (line != "" && r.Line != line) {
			continue
		}
		list = append(list, map[string]any{
			"id": r.ID, "name": r.Host, "line": r.Line, "line_id": "0", "type": r.Type,
			"ttl": strconv.Itoa(r.TTL), "value": r.Value, "weight": nil, "mx": "0", "enabled": "1",
			"status": "enabled", "monitor_status": "", "remark": "", "updated_on": now(), "use_aqb": "no",
		})
	}
	if len(list) == 0 {
		reply(w, status("10", "No records"))
		return
	}
	a := status("1", "Action completed successful")
	a["domain"] = map[string]any{"id": number(id), "name": name, "punycode": name, "grade": "DP_Free", "ttl": 600}
	a["info"] = map[string]any{"sub_domains": strconv.Itoa(len(records)), "record_total": strconv.Itoa(len(list))}
	a["records"] = list
	reply(w, a)
}

func (f *Fake) recordCreate(w http.ResponseWriter, _, name string, form url.Values) {
	var r Record
	if code, msg := f.fill(&r, form); code != "" {
		reply(w, status(code, msg))
		return
	}
	a := status("1", "Action completed successful")
	a["record"] = map[string]any{"id": f.Insert(name, r), "name": r.Host, "status": "enable"}
	reply(w, a)
}

func (f *Fake) recordModify(w http.ResponseWriter, _, name string, form url.Values) {
	r, ok := f.Find(name, form.Get("record_id"))
	if !ok {
		reply(w, status("8", "Record id invalid"))
		return
	}
	if code, msg := f.fill(&r, form); code != "" {
		reply(w, status(code, msg))
		return
	}
	f.Replace(name, r.ID, r)
	a := status("1", "Action completed successful")
	// DNSPod answers the id as a number here, as a string elsewhere.
	a["record"] = map[string]any{"id": number(r.ID), "name": r.Host, "value": r.Value, "status": "enable"}
	reply(w, a)
}

// fill validates the record fields of a create or modify request and
// copies them into r; it returns DNSPod's error code and message.
func (f *Fake) fill(r *Record, form url.Values) (code, msg string) {
	r.Host = form.Get("sub_domain")
	if r.Host == "" {
		r.Host = "@"
	}
	r.Type = form.Get("record_type")
	if r.Type != "A" && r.Type != "AAAA" {
		return "27", "Record type invalid"
	}
	if r.Line = f.line(form.Get("record_line")); r.Line == "" {
		return "26", "Record line invalid"
	}
	a, err := netip.ParseAddr(form.Get("value"))
	if err != nil || a.Is4() != (r.Type == "A") {
		return "34", "Record value invalid"
	}
	r.Value = a.String()
	if t := form.Get("ttl"); t != "" {
		n, err := strconv.Atoi(t)
		if err != nil || n < 1 || n > 604800 {
			return "32", "TTL invalid"
		}
		r.TTL = n
	} else if r.TTL == 0 {
		r.TTL = 600
	}
	return "", ""
}

// zone finds the zone named by domain_id or domain and returns its id
// and name; name is "" when there is none.
func (f *Fake) zone(form url.Values) (id, name string) {
	for id, name := range f.zoneIDs {
		if form.Get("domain_id") == id || form.Get("domain") != "" && strings.EqualFold(form.Get("domain"), name) {
			return id, name
		}
	}
	return "", ""
}

// number is an id as a JSON number.
func number(id string) int {
	n, _ := strconv.Atoi(id)
	return n
}

// line returns the canonical spelling of an accepted line, "" if unknown.
// Names compare case-insensitively ("default" is "Default").
func (f *Fake) line(name string) string {
	for _, l := range f.lines {
		if strings.EqualFold(l, name) {
			return l
		}
	}
	return ""
}

func status(code, msg string) map[string]any {
	return map[string]any{"status": map[string]any{"code": code, "message": msg, "created_at": now()}}
}

func now() string { return time.Now().Format(time.DateTime) }

func reply(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	json.NewEncoder(w).Encode(v) // maps of strings and numbers always encode
}
