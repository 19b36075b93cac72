// Package dnscomfake is an in-memory 51dns API for tests: it checks
// requests the way the service does (POST form bodies to /api/<action>/,
// apiKey, the MD5 hash recomputed with the secret, a current timestamp),
// holds zones and records; the request log, counts by action and faults
// are publishtest.Base's.
//
// Refusals have the service's shape: HTTP 200 and {"code": N, "message":
// "…"}. The service's code numbers are not published in a form we could
// check; the codes and messages below are illustrative, chosen to read
// like the service's (code 3 "非法参数" is what it sends for a bad
// parameter).
package dnscomfake

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ddns-go/ddns/publish/publishtest"
)

// Codes of the refusals the fake sends.
const (
	CodeBadKey        = 1 // unknown apiKey
	CodeBadHash       = 2 // hash does not match
	CodeBadParam      = 3 // missing or invalid parameter
	CodeStale         = 4 // timestamp too far from the server's clock
	CodeNoDomain      = 5 // no such domain in this account
	CodeNoRecord      = 6 // no such record in this domain
	CodeUnknownAction = 7
)

// Record is a DNS record held by the fake.
type Record struct {
	ID     string
	Host   string // "www", "a.b", "@"
	Type   string
	Value  string
	TTL    int    // the service default (600) when not sent
	ViewID string // the line; "1" (default) when not sent
	Remark string
}

// Fault is a canned answer for a request that then is not processed;
// without Body, a short text for the status.
type Fault = publishtest.Fault

// Server is the fake API. Set fields before the first request.
type Server struct {
	URL    string // base URL, e.g. http://127.0.0.1:41234
	APIKey string
	Secret string
	// Now is the server's clock for the timestamp check; MaxSkew is how far
	// a request's timestamp may be from it.
	Now     func() time.Time
	MaxSkew time.Duration

	srv *httptest.Server

	publishtest.Base // requests (action: the path after /api/), counts, faults

	mu     sync.Mutex
	zones  []*zone
	nextID int
	last   map[string]url.Values // last accepted parameters by action
}

type zone struct {
	id, name string
	records  []*Record
}

// New starts a fake on 127.0.0.1 that accepts apiKey and secret.
func New(apiKey, secret string) *Server {
	s := &Server{APIKey: apiKey, Secret: secret, Now: time.Now, MaxSkew: 5 * time.Minute,
		nextID: 1000, last: map[string]url.Values{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	return s
}

// Close stops the server.
func (s *Server) Close() { s.srv.Close() }

// Client returns an HTTP client for the server.
func (s *Server) Client() *http.Client { return s.srv.Client() }

// AddZone adds a domain to the account and returns its id.
func (s *Server) AddZone(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	z := &zone{id: s.newID(), name: name}
	s.zones = append(s.zones, z)
	return z.id
}

// AddRecord adds r to zone (which must exist) and returns its id.
func (s *Server) AddRecord(zoneName string, r Record) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	z := s.zone(zoneName)
	if z == nil {
		panic("dnscomfake: no zone " + zoneName)
	}
	r.ID = s.newID()
	z.records = append(z.records, &r)
	return r.ID
}

// Records returns a copy of the records of zone, in creation order.
func (s *Server) Records(zoneName string) []Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	if z := s.zone(zoneName); z != nil {
		return publishtest.Copies(z.records, nil)
	}
	return nil
}

// Matching returns copies of the records of zone with host and type.
func (s *Server) Matching(zoneName, host, typ string) []Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	if z := s.zone(zoneName); z != nil {
		return publishtest.Copies(z.records, func(r *Record) bool { return r.Host == host && r.Type == typ })
	}
	return nil
}

// Find returns the first record of zone with host and type.
func (s *Server) Find(zoneName, host, typ string) (Record, bool) {
	for _, r := range s.Records(zoneName) {
		if r.Host == host && r.Type == typ {
			return r, true
		}
	}
	return Record{}, false
}

// DeleteRecord removes a record, as a user would in the control panel.
func (s *Server) DeleteRecord(zoneName, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if z := s.zone(zoneName); z != nil {
		z.records = slices.DeleteFunc(z.records, func(r *Record) bool { return r.ID == id })
	}
}

// Last returns the parameters of the last accepted request named action.
func (s *Server) Last(action string) url.Values {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last[action]
}

func (s *Server) newID() string {
	s.nextID++
	return strconv.Itoa(s.nextID)
}

// zone finds a zone by name or id.
func (s *Server) zone(key string) *zone {
	for _, z := range s.zones {
		if z.name == key || z.id == key {
			return z
		}
	}
	return nil
}

func (s *Server) serve(w http.ResponseWriter, req *http.Request) {
	action := strings.TrimSuffix(strings.TrimPrefix(req.URL.Path, "/api/"), "/")
	if ft := s.Take(req, action); ft != nil {
		fault(w, ft)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if req.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if !strings.HasPrefix(req.URL.Path, "/api/") || !strings.HasSuffix(req.URL.Path, "/") {
		http.NotFound(w, req)
		return
	}
	if ct := req.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
		refuse(w, CodeBadParam, "非法参数")
		return
	}
	if err := req.ParseForm(); err != nil {
		refuse(w, CodeBadParam, "非法参数")
		return
	}
	p := req.PostForm
	if code, msg := s.authenticate(p); code != 0 {
		refuse(w, code, msg)
		return
	}
	p.Del("hash")
	var data any
	code, msg := 0, ""
	switch action {
	case "domain/getsingle":
		data, code, msg = s.getDomain(p)
	case "record/list":
		data, code, msg = s.listRecords(p)
	case "record/create":
		data, code, msg = s.createRecord(p)
	case "record/modify":
		data, code, msg = s.modifyRecord(p)
	default:
		code, msg = CodeUnknownAction, "接口不存在"
	}
	if code != 0 {
		refuse(w, code, msg)
		return
	}
	s.last[action] = p
	reply(w, map[string]any{"code": 0, "message": "success", "data": data})
}

// authenticate checks the apiKey, recomputes the hash over every other
// parameter (sorted form encoding, then the secret) and checks the
// timestamp.
func (s *Server) authenticate(p url.Values) (int, string) {
	if p.Get("apiKey") != s.APIKey {
		return CodeBadKey, "apiKey错误"
	}
	rest := url.Values{}
	for k, v := range p {
		if k != "hash" {
			rest[k] = v
		}
	}
	sum := md5.Sum([]byte(rest.Encode() + s.Secret))
	if p.Get("hash") != hex.EncodeToString(sum[:]) {
		return CodeBadHash, "hash校验失败"
	}
	ts, err := strconv.ParseFloat(p.Get("timestamp"), 64)
	now := float64(s.Now().UnixNano()) / 1e9
	if err != nil || math.Abs(now-ts) > s.MaxSkew.Seconds() {
		return CodeStale, "timestamp已过期"
	}
	return 0, ""
}

func (s *Server) getDomain(p url.Values) (any, int, string) {
	z := s.zone(p.Get("domainID"))
	if z == nil {
		return nil, CodeNoDomain, "域名不存在"
	}
	return map[string]any{"domainID": number(z.id), "domains": z.name, "state": 0}, 0, ""
}

func (s *Server) listRecords(p url.Values) (any, int, string) {
	z := s.zone(p.Get("domainID"))
	if z == nil {
		return nil, CodeNoDomain, "域名不存在"
	}
	size, err := strconv.Atoi(p.Get("pageSize"))
	if err != nil || size < 1 {
		size = 20
	}
	list := []any{}
	host := p.Get("host")
	for _, r := range z.records {
		// host is a search: substring matches come back too.
		if strings.Contains(r.Host, host) && len(list) < size {
			list = append(list, recordJSON(z, r))
		}
	}
	return map[string]any{"page": 1, "pageSize": size, "pageCount": 1, "data": list}, 0, ""
}

func (s *Server) createRecord(p url.Values) (any, int, string) {
	z := s.zone(p.Get("domainID"))
	if z == nil {
		return nil, CodeNoDomain, "域名不存在"
	}
	r := Record{Host: p.Get("host"), Type: p.Get("type"), Value: p.Get("value"), TTL: 600, ViewID: "1", Remark: p.Get("remark")}
	if r.Host == "" || !validValue(r.Type, r.Value) {
		return nil, CodeBadParam, "非法参数"
	}
	if v := p.Get("TTL"); v != "" {
		ttl, err := strconv.Atoi(v)
		if err != nil || ttl < 1 {
			return nil, CodeBadParam, "非法参数"
		}
		r.TTL = ttl
	}
	if v := p.Get("viewID"); v != "" {
		r.ViewID = v
	}
	r.ID = s.newID()
	z.records = append(z.records, &r)
	return recordJSON(z, &r), 0, ""
}

func (s *Server) modifyRecord(p url.Values) (any, int, string) {
	z := s.zone(p.Get("domainID"))
	if z == nil {
		return nil, CodeNoDomain, "域名不存在"
	}
	var r *Record
	for _, x := range z.records {
		if x.ID == p.Get("recordID") {
			r = x
		}
	}
	if r == nil {
		return nil, CodeNoRecord, "记录不存在"
	}
	if !validValue(r.Type, p.Get("newvalue")) {
		return nil, CodeBadParam, "非法参数"
	}
	ttl := r.TTL
	if v := p.Get("newTTL"); v != "" {
		var err error
		if ttl, err = strconv.Atoi(v); err != nil || ttl < 1 {
			return nil, CodeBadParam, "非法参数"
		}
	}
	r.Value, r.TTL = p.Get("newvalue"), ttl
	return recordJSON(z, r), 0, ""
}

// recordJSON is a record as the service lists it: ids and numbers as JSON
// numbers.
func recordJSON(z *zone, r *Record) map[string]any {
	return map[string]any{
		"domainID": number(z.id), "recordID": number(r.ID), "record": r.Host, "type": r.Type,
		"value": r.Value, "TTL": r.TTL, "viewID": number(r.ViewID), "remark": r.Remark, "state": 0,
	}
}

// number sends a numeric id as a JSON number, anything else as a string.
func number(s string) any {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return s
}

func validValue(typ, v string) bool {
	a, err := netip.ParseAddr(v)
	switch {
	case err != nil:
		return false
	case typ == "A":
		return a.Is4()
	case typ == "AAAA":
		return a.Is6() && !a.Is4In6()
	}
	return false
}

func refuse(w http.ResponseWriter, code int, msg string) {
	reply(w, map[string]any{"code": code, "message": msg})
}

func reply(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(v)
}

func fault(w http.ResponseWriter, f *Fault) {
	if f.Body == "" {
		status := f.StatusOr(http.StatusOK)
		f.Body = fmt.Sprintf("%d %s\n", status, http.StatusText(status))
	}
	f.WritePlain(w)
}
