package huaweidnsfake

import (
	"encoding/json"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
)

// listZones serves GET /v2/zones, filtered by name as search_mode says.
func (s *Server) listZones(r *http.Request) (any, *apiError) {
	q := r.URL.Query()
	if e := checkLimit(q.Get("limit")); e != nil {
		return nil, e
	}
	name := q.Get("name")
	var out []map[string]any
	for _, z := range s.zones {
		if name != "" && !match(z.name, name, q.Get("search_mode")) {
			continue
		}
		out = append(out, map[string]any{"id": z.id, "name": z.name, "zone_type": "public", "status": "ACTIVE", "ttl": 300})
	}
	return map[string]any{"zones": nonNil(out), "metadata": map[string]int{"total_count": len(out)}}, nil
}

// listRecords serves GET /v2.1/zones/{id}/recordsets with the name,
// type and line_id filters.
func (s *Server) listRecords(r *http.Request, zoneID string) (any, *apiError) {
	if _, ok := s.zoneByID(zoneID); !ok {
		return nil, zoneNotFound()
	}
	q := r.URL.Query()
	if e := checkLimit(q.Get("limit")); e != nil {
		return nil, e
	}
	var out []map[string]any
	for _, rs := range s.sets {
		if rs.ZoneID != zoneID ||
			q.Get("name") != "" && !match(rs.Name, q.Get("name"), q.Get("search_mode")) ||
			q.Get("type") != "" && rs.Type != q.Get("type") ||
			q.Get("line_id") != "" && rs.Line != q.Get("line_id") {
			continue
		}
		out = append(out, s.view(rs, "ACTIVE"))
	}
	return map[string]any{"recordsets": nonNil(out), "metadata": map[string]int{"total_count": len(out)}}, nil
}

// request is the body of a create or update.
type request struct {
	Name        *string   `json:"name"`
	Type        *string   `json:"type"`
	Records     *[]string `json:"records"`
	TTL         *int      `json:"ttl"`
	Line        *string   `json:"line"`
	Description *string   `json:"description"`
	extra       map[string]json.RawMessage
}

func parseRequest(body []byte) (request, *apiError) {
	var req request
	if err := json.Unmarshal(body, &req); err != nil {
		return req, invalid("DNS.0002", "Invalid request: "+err.Error())
	}
	var all map[string]json.RawMessage
	_ = json.Unmarshal(body, &all)
	for _, k := range []string{"name", "type", "records", "ttl", "line", "description"} {
		delete(all, k)
	}
	req.extra = all
	if req.TTL != nil && (*req.TTL < 1 || *req.TTL > 2147483647) {
		return req, invalid("DNS.0303", "Invalid TTL.")
	}
	if req.Description != nil && len(*req.Description) > 255 {
		return req, invalid("DNS.0316", "Invalid description.")
	}
	return req, nil
}

// create serves POST /v2.1/zones/{id}/recordsets: the service's defaults
// (TTL 300, line default_view) and its validation and conflict errors.
func (s *Server) create(zoneID string, body []byte) (any, *apiError) {
	z, ok := s.zoneByID(zoneID)
	if !ok {
		return nil, zoneNotFound()
	}
	req, e := parseRequest(body)
	if e != nil {
		return nil, e
	}
	if req.Name == nil || req.Type == nil || req.Records == nil {
		return nil, invalid("DNS.0002", "Invalid request: name, type and records are required.")
	}
	name := strings.ToLower(*req.Name)
	if name != z.name && !strings.HasSuffix(name, "."+z.name) {
		return nil, invalid("DNS.0304", "Invalid record set name.")
	}
	if e := checkValues(*req.Type, *req.Records); e != nil {
		return nil, e
	}
	rs := &RecordSet{ID: s.newID(), ZoneID: z.id, Name: name, Type: *req.Type, TTL: 300, Records: *req.Records, Line: "default_view", Extra: req.extra}
	if req.TTL != nil {
		rs.TTL = *req.TTL
	}
	if req.Line != nil {
		rs.Line = *req.Line
	}
	if req.Description != nil {
		rs.Description = *req.Description
	}
	for _, o := range s.sets {
		if o.ZoneID == z.id && o.Name == rs.Name && o.Type == rs.Type && o.Line == rs.Line {
			return nil, invalid("DNS.0312", "Record set with the same name, type and line already exists.")
		}
	}
	s.sets = append(s.sets, rs)
	return s.view(rs, "PENDING_CREATE"), nil
}

// update serves PUT /v2.1/zones/{id}/recordsets/{id}.
func (s *Server) update(zoneID, recordID string, body []byte) (any, *apiError) {
	if _, ok := s.zoneByID(zoneID); !ok {
		return nil, zoneNotFound()
	}
	var rs *RecordSet
	for _, o := range s.sets {
		if o.ZoneID == zoneID && o.ID == recordID {
			rs = o
		}
	}
	if rs == nil {
		return nil, &apiError{Status: http.StatusNotFound, Code: "DNS.0313", Message: "This record set does not exist."}
	}
	req, e := parseRequest(body)
	if e != nil {
		return nil, e
	}
	// v2.1 requires name and type; the fake refuses renaming and retyping,
	// which ddns never does.
	if req.Name == nil || req.Type == nil {
		return nil, invalid("DNS.0002", "Invalid request: name and type are required.")
	}
	if !strings.EqualFold(*req.Name, rs.Name) || *req.Type != rs.Type {
		return nil, invalid("DNS.0304", "Invalid record set name.")
	}
	if req.Records != nil {
		if e := checkValues(rs.Type, *req.Records); e != nil {
			return nil, e
		}
		rs.Records = *req.Records
	}
	// Left out, ttl and description keep their values, as documented.
	if req.TTL != nil {
		rs.TTL = *req.TTL
	}
	if req.Description != nil && *req.Description != "" {
		rs.Description = *req.Description
	}
	for k, v := range req.extra {
		if rs.Extra == nil {
			rs.Extra = map[string]json.RawMessage{}
		}
		rs.Extra[k] = v
	}
	return s.view(rs, "PENDING_UPDATE"), nil
}

// view is a record set as the API shows it.
func (s *Server) view(rs *RecordSet, status string) map[string]any {
	z, _ := s.zoneByID(rs.ZoneID)
	return map[string]any{
		"id": rs.ID, "name": rs.Name, "type": rs.Type, "ttl": rs.TTL, "records": rs.Records,
		"line": rs.Line, "description": rs.Description, "status": status, "default": rs.Default,
		"zone_id": rs.ZoneID, "zone_name": z.name,
	}
}

func checkValues(typ string, values []string) *apiError {
	if len(values) == 0 {
		return invalid("DNS.0308", "Invalid record set value.")
	}
	for _, v := range values {
		a, err := netip.ParseAddr(v)
		if typ == "A" && (err != nil || !a.Is4()) || typ == "AAAA" && (err != nil || !a.Is6()) {
			return invalid("DNS.0308", "Invalid record set value.")
		}
	}
	return nil
}

func checkLimit(v string) *apiError {
	if v == "" {
		return nil
	}
	if n, err := strconv.Atoi(v); err != nil || n < 0 || n > 500 {
		return invalid("DNS.0006", "The limit parameter is invalid.")
	}
	return nil
}

// match compares names as search_mode says: "equal" exactly, otherwise
// (the default, "like") by substring. The trailing dot is optional.
func match(have, want, mode string) bool {
	want = dotted(strings.ToLower(want))
	if mode == "equal" {
		return have == want
	}
	return strings.Contains(have, strings.TrimSuffix(want, "."))
}
