// Package huaweidnsfake is an in-memory Huawei Cloud DNS API for tests.
//
// A Server is an http.Handler (wrap it in httptest.NewServer). It checks
// every request's SDK-HMAC-SHA256 signature against its AK/SK as the API
// gateway does, answers with the service's error shapes and statuses,
// holds zones and record sets with ids; the request log, counts by call
// and faults are publishtest.Base's. It implements the calls ddns makes: list zones (GET /v2/zones),
// list, create and update record sets (v2.1).
package huaweidnsfake

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ddns-go/ddns/publish/publishtest"
)

// The calls the fake serves: the actions of its request log. Every
// request is counted under one, whether it then fails authentication, a
// fault or validation.
const (
	Zones  = "zones"  // GET /v2/zones
	List   = "list"   // GET /v2.1/zones/{id}/recordsets
	Create = "create" // POST /v2.1/zones/{id}/recordsets
	Update = "update" // PUT /v2.1/zones/{id}/recordsets/{id}
	Other  = "other"  // anything else (answered 404)
)

// RecordSet is a record set the fake holds. Name is fully qualified with
// the trailing dot, as the API spells it.
type RecordSet struct {
	ID, ZoneID, Name, Type string
	TTL                    int
	Records                []string
	Line, Description      string
	Default                bool // the zone's own SOA and NS sets
	// Extra holds request members the fake does not model, as sent.
	Extra map[string]json.RawMessage
}

// Fault is an injected answer, before authentication, as a throttling
// gateway or a broken backend would give; without Body, the service's
// error for Status.
type Fault = publishtest.Fault

// MalformedJSON is a 200 answer cut short.
var MalformedJSON = Fault{Status: http.StatusOK, Body: `{"recordsets": [{"id": "1", "name": `}

// Server is the fake API. Set AK, SK and Now before serving.
type Server struct {
	AK, SK string
	Now    func() time.Time // gateway clock for X-Sdk-Date checks; nil = time.Now

	publishtest.Base // requests (action: the call), counts, faults

	mu    sync.Mutex
	zones []zone
	sets  []*RecordSet
	seq   int
}

type zone struct{ id, name string } // name with the trailing dot

// New returns an empty account accepting requests signed with ak and sk.
func New(ak, sk string) *Server {
	return &Server{AK: ak, SK: sk}
}

// AddZone creates a public zone ("example.com") with its default SOA and
// NS record sets and returns its id.
func (s *Server) AddZone(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	z := zone{id: s.newID(), name: dotted(name)}
	s.zones = append(s.zones, z)
	s.sets = append(s.sets,
		&RecordSet{ID: s.newID(), ZoneID: z.id, Name: z.name, Type: "SOA", TTL: 300, Line: "default_view", Default: true,
			Records: []string{"ns1.huaweicloud-dns.com. hostmaster." + z.name + " 1 7200 900 1209600 300"}},
		&RecordSet{ID: s.newID(), ZoneID: z.id, Name: z.name, Type: "NS", TTL: 172800, Line: "default_view", Default: true,
			Records: []string{"ns1.huaweicloud-dns.com.", "ns1.huaweicloud-dns.cn."}})
	return z.id
}

// AddRecord creates a record set named name ("www.example.com") in the
// zone called zoneName and returns its id. line "" is default_view.
func (s *Server) AddRecord(zoneName, name, typ string, ttl int, line string, values ...string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	z, ok := s.zoneByName(dotted(zoneName))
	if !ok {
		panic("huaweidnsfake: no zone " + zoneName)
	}
	if line == "" {
		line = "default_view"
	}
	rs := &RecordSet{ID: s.newID(), ZoneID: z.id, Name: dotted(name), Type: typ, TTL: ttl, Line: line, Records: values}
	s.sets = append(s.sets, rs)
	return rs.ID
}

// Record returns a copy of the first record set called name (with or
// without the trailing dot) of type typ.
func (s *Server) Record(name, typ string) (RecordSet, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, rs := range s.sets {
		if rs.Name == dotted(name) && rs.Type == typ {
			return *rs, true
		}
	}
	return RecordSet{}, false
}

// Records returns copies of the record sets called name (with or without
// the trailing dot) of type typ.
func (s *Server) Records(name, typ string) []RecordSet {
	s.mu.Lock()
	defer s.mu.Unlock()
	return publishtest.Copies(s.sets, func(rs *RecordSet) bool { return rs.Name == dotted(name) && rs.Type == typ })
}

// RecordSets returns copies of every record set that is not a zone
// default, in creation order.
func (s *Server) RecordSets() []RecordSet {
	s.mu.Lock()
	defer s.mu.Unlock()
	return publishtest.Copies(s.sets, func(rs *RecordSet) bool { return !rs.Default })
}

// DeleteRecord removes the record set with this id.
func (s *Server) DeleteRecord(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sets = slices.DeleteFunc(s.sets, func(rs *RecordSet) bool { return rs.ID == id })
}

// ServeHTTP routes, counts, injects faults, authenticates, then serves.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	kind, zoneID, recordID := route(r)
	if ft := s.Take(r, kind); ft != nil {
		writeFault(w, ft)
		return
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	s.mu.Lock()
	defer s.mu.Unlock()
	if e := s.authenticate(r, body); e != nil {
		e.write(w)
		return
	}
	var out any
	var e *apiError
	switch kind {
	case Zones:
		out, e = s.listZones(r)
	case List:
		out, e = s.listRecords(r, zoneID)
	case Create:
		out, e = s.create(zoneID, body)
	case Update:
		out, e = s.update(zoneID, recordID, body)
	default:
		e = &apiError{Status: http.StatusNotFound, Gateway: true, Code: "APIGW.0101", Message: "The API does not exist or has not been published in the environment"}
	}
	if e != nil {
		e.write(w)
		return
	}
	status := http.StatusOK
	if kind == Create || kind == Update {
		status = http.StatusAccepted
	}
	writeJSON(w, status, out)
}

// route classifies a request by method and path.
func route(r *http.Request) (kind, zoneID, recordID string) {
	p := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/v2/zones":
		return Zones, "", ""
	case len(p) == 4 && p[0] == "v2.1" && p[1] == "zones" && p[3] == "recordsets":
		switch r.Method {
		case http.MethodGet:
			return List, p[2], ""
		case http.MethodPost:
			return Create, p[2], ""
		}
	case len(p) == 5 && p[0] == "v2.1" && p[1] == "zones" && p[3] == "recordsets" && r.Method == http.MethodPut:
		return Update, p[2], p[4]
	}
	return Other, "", ""
}

func (s *Server) zoneByName(name string) (zone, bool) {
	for _, z := range s.zones {
		if z.name == name {
			return z, true
		}
	}
	return zone{}, false
}

func (s *Server) zoneByID(id string) (zone, bool) {
	for _, z := range s.zones {
		if z.id == id {
			return z, true
		}
	}
	return zone{}, false
}

// newID returns a 32-hex-digit id like the service's.
func (s *Server) newID() string {
	s.seq++
	return fmt.Sprintf("ff80808275d1f9b8%016x", s.seq)
}

func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func dotted(name string) string {
	if strings.HasSuffix(name, ".") {
		return name
	}
	return name + "."
}

func nonNil(l []map[string]any) []map[string]any {
	if l == nil {
		return []map[string]any{}
	}
	return l
}
