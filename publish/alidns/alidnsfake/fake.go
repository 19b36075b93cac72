// Package alidnsfake is an in-memory stand-in for the Alibaba Cloud DNS
// API (alidns.aliyuncs.com, version 2015-01-09), for tests of the alidns
// provider and of the ddns binary. Serve it with httptest.NewServer(f).
//
// It authenticates like the real service (ACS3-HMAC-SHA256 recomputed
// from the received request with the key's secret, x-acs-date within 15
// minutes, single-use nonces) and answers errors in the service's shape,
// {"RequestId", "HostId", "Code", "Message", "Recommend"}, with its
// statuses: 404 InvalidAccessKeyId.NotFound, 400 SignatureDoesNotMatch,
// 400 InvalidDomainName.NoExist, 400 DomainRecordDuplicate, …
//
// It holds zones and records and implements GetMainDomainName (from a
// small built-in public-suffix list), DescribeDomains,
// DescribeSubDomainRecords, AddDomainRecord and UpdateDomainRecord, with
// the documented defaults (TTL 600 and line "default" when not sent, also
// on update). The request log, counts by action and faults are
// publishtest.Base's.
package alidnsfake

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/ddns-go/ddns/publish/publishtest"
)

// Version is the API version the fake serves.
const Version = "2015-01-09"

// Fault is a canned answer for the next requests, given before any
// authentication, as a front end or rate limiter would: Body verbatim,
// else Code (e.g. "Throttling.User") and Message as the service's JSON
// error.
type Fault = publishtest.Fault

// Record is a DNS record held by the fake.
type Record struct {
	ID, Zone, RR, Type, Value, Line string
	TTL                             int
}

// Held is the address r holds.
func (r Record) Held() string { return r.Value }

// Fake is the server state. The zero value is not usable; call New. It is
// safe for concurrent use.
type Fake struct {
	*publishtest.ACS3Front // Now, requests (action: x-acs-action), counts, faults

	mu      sync.Mutex
	zones   map[string]string // zone name → DomainId
	records []*Record
	nextID  int
}

// New returns a fake that accepts one AccessKey pair and holds no zone.
func New(accessKeyID, accessKeySecret string) *Fake {
	return &Fake{
		ACS3Front: publishtest.NewACS3Front("Alidns", accessKeyID, accessKeySecret),
		zones:     map[string]string{},
		nextID:    10000001,
	}
}

// AddZone adds a zone (a "domain" in the console) to the account.
func (f *Fake) AddZone(name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.zones[name] = strconv.Itoa(len(f.zones) + 1)
}

// AddRecord adds a record without counting a call and returns its id.
func (f *Fake) AddRecord(zone, rr, typ, value, line string, ttl int) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.add(zone, rr, typ, value, line, ttl)
}

func (f *Fake) add(zone, rr, typ, value, line string, ttl int) string {
	id := strconv.Itoa(f.nextID)
	f.nextID++
	f.records = append(f.records, &Record{ID: id, Zone: zone, RR: rr, Type: typ, Value: value, Line: line, TTL: ttl})
	return id
}

// DeleteRecord removes a record, as a user might in the console.
func (f *Fake) DeleteRecord(id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.records = slices.DeleteFunc(f.records, func(r *Record) bool { return r.ID == id })
}

// Find returns copies of the records of zone with host rr and type typ.
func (f *Fake) Find(zone, rr, typ string) []Record {
	f.mu.Lock()
	defer f.mu.Unlock()
	return publishtest.Copies(f.records, func(r *Record) bool { return r.Zone == zone && r.RR == rr && r.Type == typ })
}

// Forbidden is the fault of a key whose RAM policy does not allow
// action, as a narrow policy would answer it: 403 Forbidden.RAM.
func Forbidden(action string) Fault {
	return Fault{Action: action, Status: 403, Code: "Forbidden.RAM",
		Message: "User not authorized to operate on the specified resource, or this API doesn't support RAM."}
}

// Params returns a request's parameters: its query and, for a form, its
// body.
func Params(r publishtest.Request) url.Values {
	params := maps.Clone(r.Query)
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		form, _ := url.ParseQuery(string(r.Body))
		for k, v := range form {
			params[k] = append(params[k], v...)
		}
	}
	return params
}

// ServeHTTP answers one API request.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	action := r.Header.Get("x-acs-action")
	ft := f.Take(r, action)
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	f.mu.Lock()
	defer f.mu.Unlock()
	params := r.URL.Query()
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			f.WriteError(w, r, refusal(400, "InvalidParameter", "The request body is not a valid form."))
			return
		}
		for k, v := range form {
			params[k] = append(params[k], v...)
		}
	}
	if ft != nil {
		f.WriteFault(w, r, ft)
		return
	}
	if re := f.Check(r, body); re != nil {
		f.WriteError(w, r, re)
		return
	}
	if v := r.Header.Get("x-acs-version"); v != Version {
		f.WriteError(w, r, refusal(400, "InvalidVersion", "Specified parameter Version is not valid."))
		return
	}
	handler, ok := map[string]func(url.Values) (any, *apiError){
		"GetMainDomainName":        f.getMainDomainName,
		"DescribeDomains":          f.describeDomains,
		"DescribeSubDomainRecords": f.describeSubDomainRecords,
		"AddDomainRecord":          f.addDomainRecord,
		"UpdateDomainRecord":       f.updateDomainRecord,
	}[action]
	if !ok {
		f.WriteError(w, r, refusal(404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method."))
		return
	}
	answer, ae := handler(params)
	if ae != nil {
		f.WriteError(w, r, ae)
		return
	}
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	json.NewEncoder(w).Encode(answer)
}

// apiError is a refusal in the gateway's shape.
type apiError = publishtest.Refusal

func refusal(status int, code, message string) *apiError {
	return &apiError{Status: status, Code: code, Message: message}
}

func missing(name string) *apiError {
	return refusal(400, "MissingParameter", fmt.Sprintf("The input parameter %q that is mandatory for processing this request is not supplied.", name))
}

var noZone = refusal(400, "InvalidDomainName.NoExist", "The specified domain name does not exist. Refresh the page and try again.")

func (f *Fake) getMainDomainName(p url.Values) (any, *apiError) {
	in := strings.ToLower(p.Get("InputString"))
	if in == "" {
		return nil, missing("InputString")
	}
	main, ok := mainDomain(in)
	if !ok {
		return nil, refusal(400, "InvalidDomainName.Format", "The format of domain is error.")
	}
	rr := strings.TrimSuffix(strings.TrimSuffix(in, main), ".")
	if rr == "" {
		rr = "@"
	}
	level := strings.Count(in, ".") - strings.Count(main, ".") + 1
	return map[string]any{"RequestId": f.RequestID(), "DomainName": main, "RR": rr, "DomainLevel": level}, nil
}

// multiLabelSuffixes is the fake's public-suffix list beyond single TLDs.
var multiLabelSuffixes = map[string]bool{"com.cn": true, "net.cn": true, "org.cn": true, "gov.cn": true, "edu.cn": true, "co.uk": true, "org.uk": true, "co.jp": true, "com.hk": true, "com.au": true}

// mainDomain is the registrable domain of name: its public suffix plus one
// label.
func mainDomain(name string) (string, bool) {
	labels := strings.Split(name, ".")
	n := 1
	if len(labels) >= 2 && multiLabelSuffixes[strings.Join(labels[len(labels)-2:], ".")] {
		n = 2
	}
	if len(labels) <= n {
		return "", false
	}
	for _, l := range labels {
		if l == "" {
			return "", false
		}
	}
	return strings.Join(labels[len(labels)-n-1:], "."), true
}

func (f *Fake) describeDomains(p url.Values) (any, *apiError) {
	page, size, ae := paging(p, 20, 100)
	if ae != nil {
		return nil, ae
	}
	kw := strings.ToLower(p.Get("KeyWord"))
	exact := p.Get("SearchMode") == "EXACT"
	var names []string
	for n := range f.zones {
		if kw == "" || (exact && n == kw) || (!exact && strings.Contains(n, kw)) {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	domains := []map[string]any{}
	for _, n := range window(names, page, size) {
		domains = append(domains, map[string]any{"DomainName": n, "DomainId": f.zones[n], "AliDomain": false})
	}
	return map[string]any{"RequestId": f.RequestID(), "TotalCount": len(names), "PageNumber": page, "PageSize": size,
		"Domains": map[string]any{"Domain": domains}}, nil
}

func (f *Fake) describeSubDomainRecords(p url.Values) (any, *apiError) {
	sub := strings.ToLower(p.Get("SubDomain"))
	if sub == "" {
		return nil, missing("SubDomain")
	}
	zone := strings.ToLower(p.Get("DomainName"))
	if zone == "" {
		var ok bool
		if zone, ok = mainDomain(sub); !ok {
			return nil, refusal(400, "InvalidDomainName.Format", "The format of domain is error.")
		}
	}
	if _, ok := f.zones[zone]; !ok {
		return nil, noZone
	}
	rr := "@"
	if sub != zone {
		if !strings.HasSuffix(sub, "."+zone) {
			return nil, refusal(400, "InvalidParameter.SubDomain", "The SubDomain is not in the DomainName.")
		}
		rr = strings.TrimSuffix(sub, "."+zone)
	}
	page, size, ae := paging(p, 20, 500)
	if ae != nil {
		return nil, ae
	}
	var found []*Record
	for _, r := range f.records {
		if r.Zone == zone && r.RR == rr && (p.Get("Type") == "" || strings.EqualFold(r.Type, p.Get("Type"))) && (p.Get("Line") == "" || r.Line == p.Get("Line")) {
			found = append(found, r)
		}
	}
	list := []map[string]any{}
	for _, r := range window(found, page, size) {
		list = append(list, map[string]any{"RecordId": r.ID, "DomainName": r.Zone, "RR": r.RR, "Type": r.Type, "Value": r.Value,
			"Line": r.Line, "TTL": r.TTL, "Status": "ENABLE", "Locked": false, "Weight": 1})
	}
	return map[string]any{"RequestId": f.RequestID(), "TotalCount": len(found), "PageNumber": page, "PageSize": size,
		"DomainRecords": map[string]any{"Record": list}}, nil
}

func (f *Fake) addDomainRecord(p url.Values) (any, *apiError) {
	for _, k := range []string{"DomainName", "RR", "Type", "Value"} {
		if p.Get(k) == "" {
			return nil, missing(k)
		}
	}
	zone := strings.ToLower(p.Get("DomainName"))
	if _, ok := f.zones[zone]; !ok {
		return nil, noZone
	}
	r, ae := recordOf(p, Record{Line: "default", TTL: 600})
	if ae != nil {
		return nil, ae
	}
	r.Zone = zone
	if f.duplicate(r, "") {
		return nil, refusal(400, "DomainRecordDuplicate", "The DNS record already exists.")
	}
	id := f.add(r.Zone, r.RR, r.Type, r.Value, r.Line, r.TTL)
	return map[string]any{"RequestId": f.RequestID(), "RecordId": id}, nil
}

func (f *Fake) updateDomainRecord(p url.Values) (any, *apiError) {
	for _, k := range []string{"RecordId", "RR", "Type", "Value"} {
		if p.Get(k) == "" {
			return nil, missing(k)
		}
	}
	var old *Record
	for _, r := range f.records {
		if r.ID == p.Get("RecordId") {
			old = r
		}
	}
	if old == nil {
		return nil, refusal(400, "DomainRecordNotBelongToUser", "The DNS record does not belong to you.")
	}
	// TTL and Line not sent take the documented defaults, not the
	// record's current values.
	r, ae := recordOf(p, Record{Line: "default", TTL: 600})
	if ae != nil {
		return nil, ae
	}
	r.ID, r.Zone = old.ID, old.Zone
	if r == *old || f.duplicate(r, old.ID) {
		return nil, refusal(400, "DomainRecordDuplicate", "The DNS record already exists.")
	}
	*old = r
	return map[string]any{"RequestId": f.RequestID(), "RecordId": old.ID}, nil
}

// recordOf reads and validates the record parameters over defaults.
func recordOf(p url.Values, r Record) (Record, *apiError) {
	r.RR, r.Type, r.Value = strings.ToLower(p.Get("RR")), strings.ToUpper(p.Get("Type")), p.Get("Value")
	if v := p.Get("Line"); v != "" {
		if !knownLines[v] {
			return r, refusal(400, "InvalidLine.Malformed", "The specified line is invalid.")
		}
		r.Line = v
	}
	if v := p.Get("TTL"); v != "" {
		ttl, err := strconv.Atoi(v)
		if err != nil || ttl < 1 || ttl > 86400 {
			return r, refusal(400, "InvalidTTL", "The TTL is invalid.")
		}
		r.TTL = ttl
	}
	a, err := netip.ParseAddr(r.Value)
	if (r.Type == "A" && (err != nil || !a.Is4())) || (r.Type == "AAAA" && (err != nil || !a.Is6())) {
		return r, refusal(400, "InvalidValue", "The value of the DNS record is invalid for its type.")
	}
	return r, nil
}

// knownLines are the basic lines every edition has.
var knownLines = map[string]bool{"default": true, "telecom": true, "unicom": true, "mobile": true, "oversea": true, "edu": true, "drpeng": true, "btvn": true, "search": true}

// duplicate reports whether another record than id has r's host, type,
// value and line.
func (f *Fake) duplicate(r Record, id string) bool {
	for _, o := range f.records {
		if o.ID != id && o.Zone == r.Zone && o.RR == r.RR && o.Type == r.Type && o.Value == r.Value && o.Line == r.Line {
			return true
		}
	}
	return false
}

func paging(p url.Values, def, max int) (page, size int, ae *apiError) {
	page, size = 1, def
	if v := p.Get("PageNumber"); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n >= 1 {
			page = n
		} else {
			return 0, 0, refusal(400, "InvalidPageNumber", "The PageNumber is invalid.")
		}
	}
	if v := p.Get("PageSize"); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n >= 1 && n <= max {
			size = n
		} else {
			return 0, 0, refusal(400, "InvalidPageSize", "The PageSize is invalid.")
		}
	}
	return page, size, nil
}

func window[T any](all []T, page, size int) []T {
	from := (page - 1) * size
	if from >= len(all) {
		return nil
	}
	return all[from:min(from+size, len(all))]
}
