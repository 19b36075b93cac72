// Package aliesafake is an in-memory stand-in for the Alibaba Cloud ESA
// API (esa.cn-hangzhou.aliyuncs.com, version 2024-09-10), for tests of
// the aliesa provider and of the ddns binary. Serve it with
// httptest.NewServer(f).
//
// It authenticates like the real gateway (ACS3-HMAC-SHA256 recomputed
// from the received request with the key's secret, x-acs-date within 15
// minutes, single-use nonces) and answers errors in the gateway's shape,
// {"RequestId", "HostId", "Code", "Message", "Recommend"}: 404
// InvalidAccessKeyId.NotFound, 400 SignatureDoesNotMatch, 400
// SiteNotFound, … (codes of record-level errors, such as RecordNotExist,
// are the fake's own: ESA does not document them).
//
// It holds sites and their records and implements ListSites, ListRecords,
// CreateRecord and UpdateRecord with parameters in the query string or in
// a JSON (or form) body. As documented, UpdateRecord changes only the
// fields it is sent and answers only a RequestId. The request log,
// counts by action and faults are publishtest.Base's.
package aliesafake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ddns-go/ddns/publish/publishtest"
)

// Version is the API version the fake serves.
const Version = "2024-09-10"

// Fault is a canned answer for the next requests, given before any
// authentication, as a front end or rate limiter would: Body verbatim,
// else Code (e.g. "TooManyRequests") and Message as the gateway's JSON
// error.
type Fault = publishtest.Fault

// Record is a DNS record held by the fake. Type is ESA's ("A/AAAA").
type Record struct {
	ID, SiteID             string
	Name, Type, Value      string
	TTL                    int
	Proxied                bool
	BizName, Comment       string
	CreateTime, UpdateTime string
}

// Fake is the server state. The zero value is not usable; call New. It is
// safe for concurrent use.
type Fake struct {
	*publishtest.ACS3Front // Now, requests (action: x-acs-action), counts, faults

	mu      sync.Mutex
	sites   map[string]string // site name → SiteId
	records []*Record
	nextID  int64
}

// New returns a fake that accepts one AccessKey pair and holds no site.
func New(accessKeyID, accessKeySecret string) *Fake {
	return &Fake{
		ACS3Front: publishtest.NewACS3Front("ESA", accessKeyID, accessKeySecret),
		sites:     map[string]string{},
		nextID:    7000000000001, // ESA ids exceed 2^32, and float32
	}
}

// AddSite adds a site (a zone) to the account and returns its SiteId.
func (f *Fake) AddSite(name string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	id := f.newID()
	f.sites[name] = id
	return id
}

// AddRecord adds an A/AAAA record to site without counting a call and
// returns its RecordId.
func (f *Fake) AddRecord(site, name, value string, ttl int, proxied bool) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := &Record{ID: f.newID(), SiteID: f.sites[site], Name: name, Type: "A/AAAA", Value: value, TTL: ttl, Proxied: proxied}
	f.records = append(f.records, r)
	return r.ID
}

// DeleteRecord removes a record, as a user might in the console.
func (f *Fake) DeleteRecord(id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.records = slices.DeleteFunc(f.records, func(r *Record) bool { return r.ID == id })
}

// Find returns copies of the records called name, in creation order.
func (f *Fake) Find(name string) []Record {
	f.mu.Lock()
	defer f.mu.Unlock()
	return publishtest.Copies(f.records, func(r *Record) bool { return r.Name == name })
}

// FindFamily returns copies of the records called name holding an
// address of typ's family ("A" or "AAAA"): ESA's one type, A/AAAA, holds
// both.
func (f *Fake) FindFamily(name, typ string) []Record {
	f.mu.Lock()
	defer f.mu.Unlock()
	return publishtest.Copies(f.records, func(r *Record) bool { return r.Name == name && strings.Contains(r.Value, ":") == (typ == "AAAA") })
}

// ServeHTTP answers one API request.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	action := r.Header.Get("x-acs-action")
	ft := f.Take(r, action)
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	f.mu.Lock()
	defer f.mu.Unlock()
	if ft != nil {
		f.WriteFault(w, r, ft)
		return
	}
	p, perr := parameters(r, body)
	if re := f.Check(r, body); re != nil {
		f.WriteError(w, r, re)
		return
	}
	if r.Header.Get("x-acs-version") != Version {
		f.WriteError(w, r, refusal(400, "InvalidVersion", "Specified parameter Version is not valid."))
		return
	}
	if perr != nil {
		f.WriteError(w, r, perr)
		return
	}
	handler, ok := map[string]func(params) (map[string]any, *apiError){
		"ListSites":    f.listSites,
		"ListRecords":  f.listRecords,
		"CreateRecord": f.createRecord,
		"UpdateRecord": f.updateRecord,
	}[action]
	if !ok || (r.Method != http.MethodGet && r.Method != http.MethodPost) {
		f.WriteError(w, r, refusal(404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method."))
		return
	}
	answer, ae := handler(p)
	if ae != nil {
		f.WriteError(w, r, ae)
		return
	}
	answer["RequestId"] = f.RequestID()
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	json.NewEncoder(w).Encode(answer)
}

// params are a request's parameters: query string and body merged, the
// body's JSON types kept (json.Number, objects as map[string]any).
type params map[string]any

// parameters reads the query string and a JSON or form body.
func parameters(r *http.Request, body []byte) (params, *apiError) {
	p := params{}
	for k, v := range r.URL.Query() {
		p[k] = v[0]
	}
	ct := r.Header.Get("Content-Type")
	switch {
	case len(body) == 0:
	case strings.HasPrefix(ct, "application/json"):
		var m map[string]any
		d := json.NewDecoder(bytes.NewReader(body))
		d.UseNumber()
		if err := d.Decode(&m); err != nil || m == nil {
			return p, refusal(400, "InvalidParameter", "The request body is not a JSON object.")
		}
		for k, v := range m {
			p[k] = v
		}
	case strings.HasPrefix(ct, "application/x-www-form-urlencoded"):
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return p, refusal(400, "InvalidParameter", "The request body is not a valid form.")
		}
		for k, v := range form {
			p[k] = v[0]
		}
	}
	return p, nil
}

// str returns a text parameter ("" when absent).
func (p params) str(key string) string {
	switch v := p[key].(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	case bool:
		return strconv.FormatBool(v)
	}
	return ""
}

// number returns an integer parameter, sent as a JSON number or as text.
func (p params) number(key string) (n int64, present bool, ae *apiError) {
	if _, ok := p[key]; !ok {
		return 0, false, nil
	}
	n, err := strconv.ParseInt(p.str(key), 10, 64)
	if err != nil {
		return 0, true, refusal(400, "InvalidParameter."+key, fmt.Sprintf("The specified parameter %s is invalid.", key))
	}
	return n, true, nil
}

// boolean returns a boolean parameter, sent as JSON true/false or text.
func (p params) boolean(key string) (b, present bool, ae *apiError) {
	v, ok := p[key]
	if !ok {
		return false, false, nil
	}
	if x, isBool := v.(bool); isBool {
		return x, true, nil
	}
	b, err := strconv.ParseBool(p.str(key))
	if err != nil {
		return false, true, refusal(400, "InvalidParameter."+key, fmt.Sprintf("The specified parameter %s is invalid.", key))
	}
	return b, true, nil
}

// search reads the parameters of a List action: the page (of at most
// 500) and the name parameter nameKey, compared as the parameter modeKey
// says (exactly when absent), which named applies (any name when none is
// given).
func (p params) search(nameKey, modeKey string) (page, size int64, named func(string) bool, ae *apiError) {
	if page, size, ae = paging(p, 500); ae != nil {
		return 0, 0, nil, ae
	}
	exact := func(s, n string) bool { return s == n }
	match := map[string]func(string, string) bool{
		"": exact, "exact": exact, "prefix": strings.HasPrefix, "suffix": strings.HasSuffix, "fuzzy": strings.Contains,
	}[p.str(modeKey)]
	if match == nil {
		return 0, 0, nil, refusal(400, "InvalidParameter."+modeKey, "The specified parameter "+modeKey+" is invalid.")
	}
	name := strings.ToLower(p.str(nameKey))
	return page, size, func(s string) bool { return name == "" || match(s, name) }, nil
}

// data returns the Data object: a JSON object in a JSON body, JSON text
// in a query string or form (the SDKs' style).
func (p params) data() (map[string]any, *apiError) {
	bad := refusal(400, "InvalidParameter.Data", "The specified parameter Data is invalid.")
	switch v := p["Data"].(type) {
	case nil:
		return nil, missing("Data")
	case map[string]any:
		return v, nil
	case string:
		var m map[string]any
		if json.Unmarshal([]byte(v), &m) != nil || m == nil {
			return nil, bad
		}
		return m, nil
	}
	return nil, bad
}

// apiError is a refusal in the gateway's shape.
type apiError = publishtest.Refusal

func refusal(status int, code, message string) *apiError {
	return &apiError{Status: status, Code: code, Message: message}
}

func missing(name string) *apiError {
	return refusal(400, "MissingParameter", fmt.Sprintf("The input parameter %q that is mandatory for processing this request is not supplied.", name))
}

var (
	siteNotFound   = refusal(400, "SiteNotFound", "The specified site does not exist.")
	recordNotExist = refusal(400, "RecordNotExist", "The specified record does not exist.")
)

func (f *Fake) listSites(p params) (map[string]any, *apiError) {
	page, size, named, ae := p.search("SiteName", "SiteSearchType")
	if ae != nil {
		return nil, ae
	}
	var names []string
	for n := range f.sites {
		if named(n) {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	sites := []map[string]any{}
	for _, n := range window(names, page, size) {
		sites = append(sites, map[string]any{"SiteId": json.Number(f.sites[n]), "SiteName": n, "Status": "active",
			"AccessType": "NS", "Coverage": "domestic", "PlanName": "basic"})
	}
	return map[string]any{"TotalCount": len(names), "PageNumber": page, "PageSize": size, "Sites": sites}, nil
}

func (f *Fake) listRecords(p params) (map[string]any, *apiError) {
	site, ae := f.site(p)
	if ae != nil {
		return nil, ae
	}
	page, size, named, ae := p.search("RecordName", "RecordMatchType")
	if ae != nil {
		return nil, ae
	}
	proxied, filterProxied, ae := p.boolean("Proxied")
	if ae != nil {
		return nil, ae
	}
	var found []*Record
	for _, r := range f.records {
		if r.SiteID == site && named(r.Name) && (p.str("Type") == "" || r.Type == p.str("Type")) &&
			(!filterProxied || r.Proxied == proxied) {
			found = append(found, r)
		}
	}
	list := []map[string]any{}
	for _, r := range window(found, page, size) {
		list = append(list, f.recordJSON(r))
	}
	return map[string]any{"TotalCount": len(found), "PageNumber": page, "PageSize": size, "Records": list}, nil
}

func (f *Fake) recordJSON(r *Record) map[string]any {
	siteName := ""
	for n, id := range f.sites {
		if id == r.SiteID {
			siteName = n
		}
	}
	return map[string]any{
		"RecordId": json.Number(r.ID), "RecordName": r.Name, "RecordType": r.Type, "Data": map[string]any{"Value": r.Value},
		"Ttl": r.TTL, "Proxied": r.Proxied, "BizName": r.BizName, "Comment": r.Comment,
		"SiteId": json.Number(r.SiteID), "SiteName": siteName, "CreateTime": r.CreateTime, "UpdateTime": r.UpdateTime,
	}
}

func (f *Fake) createRecord(p params) (map[string]any, *apiError) {
	site, ae := f.site(p)
	if ae != nil {
		return nil, ae
	}
	name := strings.ToLower(p.str("RecordName"))
	if name == "" {
		return nil, missing("RecordName")
	}
	if !f.within(name, site) {
		return nil, refusal(400, "InvalidParameter.RecordName", "The record name does not belong to the site.")
	}
	if p.str("Type") == "" {
		return nil, missing("Type")
	}
	now := f.Now().UTC().Format(time.RFC3339)
	r := Record{SiteID: site, Name: name, Type: p.str("Type"), TTL: 1, CreateTime: now, UpdateTime: now}
	if ae := f.apply(&r, p); ae != nil {
		return nil, ae
	}
	for _, o := range f.records {
		if o.Name == r.Name && o.Type == r.Type && o.Value == r.Value {
			return nil, refusal(400, "RecordExist", "The record already exists.")
		}
	}
	r.ID = f.newID()
	f.records = append(f.records, &r)
	return map[string]any{"RecordId": json.Number(r.ID)}, nil
}

func (f *Fake) updateRecord(p params) (map[string]any, *apiError) {
	id, present, ae := p.number("RecordId")
	if ae != nil {
		return nil, ae
	}
	if !present {
		return nil, missing("RecordId")
	}
	i := slices.IndexFunc(f.records, func(r *Record) bool { return r.ID == strconv.FormatInt(id, 10) })
	if i < 0 {
		return nil, recordNotExist
	}
	r := *f.records[i]
	if t := p.str("Type"); t != "" && t != r.Type {
		return nil, refusal(400, "InvalidParameter.Type", "The type of a record cannot be changed.")
	}
	if ae := f.apply(&r, p); ae != nil {
		return nil, ae
	}
	r.UpdateTime = f.Now().UTC().Format(time.RFC3339)
	*f.records[i] = r
	return map[string]any{}, nil
}

// apply sets the fields p carries on r, validated: Data (required), Ttl,
// Proxied, BizName, Comment. Fields not sent are left as they are.
func (f *Fake) apply(r *Record, p params) *apiError {
	data, ae := p.data()
	if ae != nil {
		return ae
	}
	value, _ := data["Value"].(string)
	if r.Type != "A/AAAA" {
		return refusal(400, "InvalidParameter.Type", "The fake serves A/AAAA records only.")
	}
	if _, err := netip.ParseAddr(value); err != nil {
		return refusal(400, "InvalidParameter.Data", "The record value is not an IP address.")
	}
	r.Value = value
	if ttl, ok, ae := p.number("Ttl"); ae != nil {
		return ae
	} else if ok {
		if ttl != 1 && (ttl < 30 || ttl > 86400) {
			return refusal(400, "InvalidParameter.Ttl", "The TTL must be 1 (automatic) or from 30 to 86400.")
		}
		r.TTL = int(ttl)
	}
	if b, ok, ae := p.boolean("Proxied"); ae != nil {
		return ae
	} else if ok {
		r.Proxied = b
	}
	if biz, ok := p["BizName"]; ok {
		if s := p.str("BizName"); s != "web" && s != "api" && s != "image_video" {
			return refusal(400, "InvalidParameter.BizName", fmt.Sprintf("The specified parameter BizName %v is invalid.", biz))
		}
		r.BizName = p.str("BizName")
	}
	if _, ok := p["Comment"]; ok {
		r.Comment = p.str("Comment")
	}
	return nil
}

// site returns the SiteId parameter of a site of the account.
func (f *Fake) site(p params) (string, *apiError) {
	id, present, ae := p.number("SiteId")
	if ae != nil {
		return "", ae
	}
	if !present {
		return "", missing("SiteId")
	}
	s := strconv.FormatInt(id, 10)
	for _, known := range f.sites {
		if known == s {
			return s, nil
		}
	}
	return "", siteNotFound
}

// within reports whether name is the site's name or below it.
func (f *Fake) within(name, site string) bool {
	for n, id := range f.sites {
		if id == site {
			return name == n || strings.HasSuffix(name, "."+n)
		}
	}
	return false
}

func paging(p params, max int64) (page, size int64, ae *apiError) {
	page, size = 1, max
	if n, ok, ae := p.number("PageNumber"); ae != nil {
		return 0, 0, ae
	} else if ok {
		if n < 1 {
			return 0, 0, refusal(400, "InvalidParameter.PageNumber", "The specified parameter PageNumber is invalid.")
		}
		page = n
	}
	if n, ok, ae := p.number("PageSize"); ae != nil {
		return 0, 0, ae
	} else if ok {
		if n < 1 || n > max {
			return 0, 0, refusal(400, "InvalidParameter.PageSize", "The specified parameter PageSize is invalid.")
		}
		size = n
	}
	return page, size, nil
}

func window[T any](all []T, page, size int64) []T {
	from := (page - 1) * size
	if from >= int64(len(all)) {
		return nil
	}
	return all[from:min(from+size, int64(len(all)))]
}

// newID returns a fresh id; f.mu is held.
func (f *Fake) newID() string {
	id := strconv.FormatInt(f.nextID, 10)
	f.nextID++
	return id
}
