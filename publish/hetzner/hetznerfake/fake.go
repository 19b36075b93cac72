// Package hetznerfake is an in-memory stand-in for the DNS part of the
// Hetzner Cloud API (https://docs.hetzner.cloud/reference/cloud#zones),
// for tests of the hetzner provider and of the ddns binary.
//
// It serves what the provider uses, as documented: GET /zones/{id_or_name},
// GET /zones/{id_or_name}/rrsets/{name}/{type} ("@" for the apex), POST
// /zones/{id_or_name}/rrsets, and the set_records and change_ttl actions.
// Every request must carry "Authorization: Bearer <token>" with the
// project's token, else 401 with the error object "unauthorized"; an
// unknown zone or RRset is 404 "not_found"; creating an existing RRset is
// 409 "uniqueness_error"; a bad record or TTL is 422 "invalid_input".
// Faults and the request log are publishtest.Base's.
package hetznerfake

import (
	"encoding/json"
	"io"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"

	"github.com/ddns-go/ddns/publish/publishtest"
)

// Fault is a canned answer for the next requests.
type Fault = publishtest.Fault

// RRset is one RRset the fake holds; TTL 0 is the zone's default.
type RRset struct {
	TTL    int
	Values []string
}

type zone struct {
	id     int
	name   string
	rrsets map[string]*RRset // "name/type"
}

// Fake is one Hetzner Cloud project. Create it with New; it is safe for
// concurrent use.
type Fake struct {
	publishtest.Base // requests (action: "METHOD zone|rrsets|rrset|<action>"), counts, faults

	mu     sync.Mutex
	token  string
	zones  []*zone
	nextID int
}

// New returns a project with token and no zone.
func New(token string) *Fake { return &Fake{token: token, nextID: 4711} }

// AddZone adds a primary zone and returns its id.
func (f *Fake) AddZone(name string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.nextID++
	f.zones = append(f.zones, &zone{id: f.nextID, name: name, rrsets: map[string]*RRset{}})
	return f.nextID
}

// Get returns a copy of the RRset of name ("@" for the apex) and typ.
func (f *Fake) Get(zoneName, name, typ string) (RRset, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if z := f.zone(zoneName); z != nil && z.rrsets[name+"/"+typ] != nil {
		s := z.rrsets[name+"/"+typ]
		return RRset{s.TTL, append([]string(nil), s.Values...)}, true
	}
	return RRset{}, false
}

// Delete removes an RRset, as a user would.
func (f *Fake) Delete(zoneName, name, typ string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if z := f.zone(zoneName); z != nil {
		delete(z.rrsets, name+"/"+typ)
	}
}

func (f *Fake) zone(idOrName string) *zone {
	for _, z := range f.zones {
		if strconv.Itoa(z.id) == idOrName || z.name == idOrName {
			return z
		}
	}
	return nil
}

// ServeHTTP answers one API request.
func (f *Fake) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	parts := strings.Split(strings.Trim(strings.TrimPrefix(req.URL.Path, "/zones/"), "/"), "/")
	kind := [...]string{"", "zone", "rrsets", "", "rrset", "", "action"}[min(len(parts), 6)]
	if kind == "action" {
		kind = parts[5]
	}
	if ft := f.Take(req, req.Method+" "+kind); ft != nil {
		if !ft.WritePlain(w) {
			fail(w, ft.StatusOr(http.StatusTooManyRequests), ft.Code, ft.Message)
		}
		return
	}
	if req.Header.Get("Authorization") != "Bearer "+f.token {
		fail(w, http.StatusUnauthorized, "unauthorized", "unable to authenticate")
		return
	}
	body, _ := io.ReadAll(req.Body)
	var in struct {
		Name    string
		Type    string
		TTL     *int
		Records []struct{ Value string }
	}
	if len(body) > 0 && json.Unmarshal(body, &in) != nil {
		fail(w, http.StatusBadRequest, "json_error", "invalid JSON")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	z := f.zone(parts[0])
	var s *RRset
	if z != nil && len(parts) >= 4 {
		s = z.rrsets[parts[2]+"/"+parts[3]]
	}
	switch {
	case z == nil || kind == "" || len(parts) >= 4 && s == nil:
		fail(w, http.StatusNotFound, "not_found", "resource not found")
	case kind == "zone" && req.Method == http.MethodGet:
		answer(w, http.StatusOK, map[string]any{"zone": map[string]any{"id": z.id, "name": z.name, "mode": "primary", "ttl": 3600}})
	case kind == "rrsets" && req.Method == http.MethodPost:
		if z.rrsets[in.Name+"/"+in.Type] != nil {
			fail(w, http.StatusConflict, "uniqueness_error", "rrset already exists")
			return
		}
		n := &RRset{}
		if !n.set(in.Type, in.TTL, in.Records) {
			fail(w, http.StatusUnprocessableEntity, "invalid_input", "invalid input in fields 'records', 'ttl'")
			return
		}
		z.rrsets[in.Name+"/"+in.Type] = n
		answer(w, http.StatusCreated, map[string]any{"rrset": n.json(in.Name, in.Type), "action": action("create_rrset")})
	case kind == "rrset" && req.Method == http.MethodGet:
		answer(w, http.StatusOK, map[string]any{"rrset": s.json(parts[2], parts[3])})
	case (kind == "set_records" || kind == "change_ttl") && req.Method == http.MethodPost:
		next := *s
		if kind == "set_records" && !next.set(parts[3], s.ttl(), in.Records) || kind == "change_ttl" && !next.set(parts[3], in.TTL, recs(s.Values)) {
			fail(w, http.StatusUnprocessableEntity, "invalid_input", "invalid input")
			return
		}
		*s = next
		answer(w, http.StatusCreated, map[string]any{"action": action(kind)})
	default:
		fail(w, http.StatusMethodNotAllowed, "method_not_allowed", "method not allowed")
	}
}

// set validates and takes records of typ's family and a TTL (60 or
// more, nil for the zone's default).
func (s *RRset) set(typ string, ttl *int, records []struct{ Value string }) bool {
	if len(records) == 0 || ttl != nil && *ttl < 60 {
		return false
	}
	s.Values = nil
	for _, r := range records {
		a, err := netip.ParseAddr(r.Value)
		if err != nil || a.Is4() != (typ == "A") {
			return false
		}
		s.Values = append(s.Values, a.String())
	}
	s.TTL = 0
	if ttl != nil {
		s.TTL = *ttl
	}
	return true
}

func (s *RRset) ttl() *int {
	if s.TTL == 0 {
		return nil
	}
	return &s.TTL
}

func recs(values []string) []struct{ Value string } {
	out := make([]struct{ Value string }, len(values))
	for i, v := range values {
		out[i].Value = v
	}
	return out
}

func (s *RRset) json(name, typ string) map[string]any {
	var records []map[string]any
	for _, v := range s.Values {
		records = append(records, map[string]any{"value": v, "comment": nil})
	}
	return map[string]any{"id": name + "/" + typ, "name": name, "type": typ, "ttl": s.ttl(), "records": records}
}

func action(command string) map[string]any {
	return map[string]any{"id": 13, "command": command, "status": "running", "progress": 0}
}

func fail(w http.ResponseWriter, status int, code, message string) {
	answer(w, status, map[string]any{"error": map[string]any{"code": code, "message": message}})
}

func answer(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v) // maps of strings, numbers and lists always encode
}
