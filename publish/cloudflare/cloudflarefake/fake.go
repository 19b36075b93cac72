// Package cloudflarefake is an in-memory Cloudflare API v4 for tests: it
// authenticates requests the way the real service does (API token or
// e-mail + Global API Key, with its error codes and shapes), holds zones
// and DNS records; the request log, counts by call kind and faults are
// publishtest.Base's.
//
// Only what a DDNS client uses is served: listing zones, and listing,
// creating, overwriting (PUT) and editing (PATCH) DNS records.
package cloudflarefake

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/ddns-go/ddns/publish/publishtest"
)

// Call kinds: the actions of the request log and counts.
const (
	KindZones     = "zones"     // GET /zones
	KindList      = "list"      // GET /zones/:id/dns_records
	KindGet       = "get"       // GET /zones/:id/dns_records/:id
	KindCreate    = "create"    // POST /zones/:id/dns_records
	KindOverwrite = "overwrite" // PUT /zones/:id/dns_records/:id
	KindEdit      = "edit"      // PATCH /zones/:id/dns_records/:id
	KindOther     = "other"     // anything else
)

// Limits of the real API.
const (
	zonesPerPageMax    = 50 // the zones listing pages by at most 50
	zonesPerPageDef    = 20
	recordsPerPageMax  = 5000000
	recordsPerPageDef  = 100
	defaultTTL         = 1 // "automatic"
	minTTL, maxTTL     = 60, 86400
	tokenLength        = 40 // API tokens: 40 characters of [A-Za-z0-9_-]
	globalKeyHexLength = 37 // Global API Keys: 37 lower-case hex digits
)

var (
	tokenFormat = regexp.MustCompile(`^[A-Za-z0-9_-]{` + strconv.Itoa(tokenLength) + `}$`)
	keyFormat   = regexp.MustCompile(`^[0-9a-f]{` + strconv.Itoa(globalKeyHexLength) + `}$`)
)

// Credentials are what the fake accepts. Either may be empty (then that
// authentication scheme is refused as unknown).
type Credentials struct {
	Token      string // API token, sent as "Authorization: Bearer <token>"
	Email, Key string // account e-mail and Global API Key (X-Auth-Email, X-Auth-Key)
}

// Record is a DNS record held by the fake.
type Record struct {
	ID       string
	Zone     string // the zone's name; set in the copies Records returns
	Name     string // fully qualified, lower-case
	Type     string
	Content  string
	TTL      int // 1 = automatic
	Proxied  bool
	Comment  string
	Tags     []string
	Settings map[string]any
}

// Fault is an answer the fake gives instead of serving a request; its
// Action is a call kind. Without Body, the answer is the service's error
// object for Status (an HTML error page for 5xx, as Cloudflare's edge
// sends).
type Fault = publishtest.Fault

// Fake is the API. Create it with New and serve it with httptest.
type Fake struct {
	publishtest.Base // requests (action: the call kind), counts, faults

	creds Credentials

	mu    sync.Mutex
	zones []*zone
	seq   int
}

type zone struct {
	id, name string
	records  []*Record
}

// New returns an empty fake accepting creds.
func New(creds Credentials) *Fake {
	return &Fake{creds: creds}
}

// AddZone adds a zone and returns its id.
func (f *Fake) AddZone(name string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	z := &zone{id: f.newID(), name: strings.ToLower(name)}
	f.zones = append(f.zones, z)
	return z.id
}

// AddRecord adds r to the zone called zoneName and returns its id. A
// zero TTL is stored as 1 (automatic).
func (f *Fake) AddRecord(zoneName string, r Record) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	z := f.zoneByName(zoneName)
	if z == nil {
		panic("cloudflarefake: AddRecord: no zone " + zoneName)
	}
	r.ID = f.newID()
	r.Name = strings.ToLower(r.Name)
	if r.TTL == 0 {
		r.TTL = defaultTTL
	}
	z.records = append(z.records, &r)
	return r.ID
}

// Records returns copies of the records called name with type typ.
func (f *Fake) Records(name, typ string) []Record {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Record
	for _, z := range f.zones {
		for _, r := range z.records {
			if strings.EqualFold(r.Name, name) && r.Type == typ {
				c := *r
				c.Zone = z.name
				out = append(out, c)
			}
		}
	}
	return out
}

// DeleteRecord removes the record with id, reporting whether it existed.
func (f *Fake) DeleteRecord(id string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, z := range f.zones {
		for i, r := range z.records {
			if r.ID == id {
				z.records = append(z.records[:i], z.records[i+1:]...)
				return true
			}
		}
	}
	return false
}

// ServeHTTP answers one API request.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	kind, zid, rid, routed := route(r.Method, r.URL.Path)
	if ft := f.Take(r, kind); ft != nil {
		writeFault(w, ft)
		return
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	f.mu.Lock()
	defer f.mu.Unlock()
	if e := f.authenticate(r.Header); e != nil {
		e.write(w)
		return
	}
	if !routed {
		fail(http.StatusNotFound, 7000, "No route for that URI").write(w)
		return
	}
	if kind == KindZones {
		f.listZones(w, r)
		return
	}
	z := f.zoneByID(zid)
	if z == nil {
		// What the service answers for a zone id it cannot route.
		e := fail(http.StatusBadRequest, 7003, "Could not route to "+strings.TrimPrefix(r.URL.Path, "/client/v4")+", perhaps your object identifier is invalid?")
		e.errs = append(e.errs, apiMsg{Code: 7000, Message: "No route for that URI"})
		e.write(w)
		return
	}
	switch kind {
	case KindList:
		f.listRecords(w, r, z)
	case KindCreate:
		f.create(w, z, body)
	case KindGet, KindOverwrite, KindEdit:
		rec := z.record(rid)
		if rec == nil {
			fail(http.StatusNotFound, 81044, "Record does not exist.").write(w)
			return
		}
		switch kind {
		case KindGet:
			writeResult(w, http.StatusOK, z.view(rec), nil)
		case KindOverwrite:
			f.write(w, z, rec, body, true)
		default:
			f.write(w, z, rec, body, false)
		}
	}
}

// route classifies a request path of the API.
func route(method, path string) (kind, zoneID, recordID string, ok bool) {
	rest, found := strings.CutPrefix(path, "/client/v4/zones")
	if !found {
		return KindOther, "", "", false
	}
	parts := strings.Split(strings.Trim(rest, "/"), "/")
	switch {
	case rest == "" && method == http.MethodGet:
		return KindZones, "", "", true
	case len(parts) == 2 && parts[1] == "dns_records" && method == http.MethodGet:
		return KindList, parts[0], "", true
	case len(parts) == 2 && parts[1] == "dns_records" && method == http.MethodPost:
		return KindCreate, parts[0], "", true
	case len(parts) == 3 && parts[1] == "dns_records":
		switch method {
		case http.MethodGet:
			return KindGet, parts[0], parts[2], true
		case http.MethodPut:
			return KindOverwrite, parts[0], parts[2], true
		case http.MethodPatch:
			return KindEdit, parts[0], parts[2], true
		}
	}
	return KindOther, "", "", false
}

// authenticate checks the headers as the service does: the format first
// (400, code 6003 with the detail in error_chain), then the credentials
// themselves (403).
func (f *Fake) authenticate(h http.Header) *apiError {
	if auth := h.Get("Authorization"); auth != "" {
		tok, ok := strings.CutPrefix(auth, "Bearer ")
		if !ok || !tokenFormat.MatchString(tok) {
			return invalidHeaders(apiMsg{Code: 6111, Message: "Invalid format for Authorization header"})
		}
		if f.creds.Token == "" || tok != f.creds.Token {
			return fail(http.StatusForbidden, 9109, "Invalid access token")
		}
		return nil
	}
	email, key := h.Get("X-Auth-Email"), h.Get("X-Auth-Key")
	var chain []apiMsg
	switch {
	case email == "":
		chain = append(chain, apiMsg{Code: 6100, Message: "Missing X-Auth-Email header"})
	case !strings.Contains(email, "@"):
		chain = append(chain, apiMsg{Code: 6102, Message: "Invalid format for X-Auth-Email header"})
	}
	switch {
	case key == "":
		chain = append(chain, apiMsg{Code: 6101, Message: "Missing X-Auth-Key header"})
	case !keyFormat.MatchString(key):
		chain = append(chain, apiMsg{Code: 6103, Message: "Invalid format for X-Auth-Key header"})
	}
	if len(chain) > 0 {
		return invalidHeaders(chain...)
	}
	if f.creds.Key == "" || !strings.EqualFold(email, f.creds.Email) || key != f.creds.Key {
		return fail(http.StatusForbidden, 9103, "Unknown X-Auth-Key or X-Auth-Email")
	}
	return nil
}

func invalidHeaders(chain ...apiMsg) *apiError {
	return &apiError{status: http.StatusBadRequest, errs: []apiMsg{{Code: 6003, Message: "Invalid request headers", ErrorChain: chain}}}
}

// listZones serves GET /zones. Only the documented filters are honoured
// (name, status); others, like name.exact, are ignored as the service does.
func (f *Fake) listZones(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var match []*zone
	for _, z := range f.zones {
		if n := q.Get("name"); n != "" && !strings.EqualFold(n, z.name) {
			continue
		}
		if s := q.Get("status"); s != "" && s != "active" {
			continue
		}
		match = append(match, z)
	}
	sort.Slice(match, func(i, j int) bool { return match[i].name < match[j].name })
	page, per, e := paging(q, zonesPerPageDef, zonesPerPageMax)
	if e != nil {
		e.write(w)
		return
	}
	out := []any{}
	for _, z := range window(len(match), page, per) {
		out = append(out, map[string]any{"id": match[z].id, "name": match[z].name, "status": "active"})
	}
	writeResult(w, http.StatusOK, out, info(page, per, len(out), len(match)))
}

// listRecords serves GET /zones/:id/dns_records with the filters a DDNS
// client uses: name (= name.exact), type, proxied, content.
func (f *Fake) listRecords(w http.ResponseWriter, r *http.Request, z *zone) {
	q := r.URL.Query()
	var proxied *bool
	if p := q.Get("proxied"); p != "" {
		b, err := strconv.ParseBool(p)
		if err != nil || (p != "true" && p != "false") {
			fail(http.StatusBadRequest, 9003, "Invalid 'proxied' value, must be a boolean").write(w)
			return
		}
		proxied = &b
	}
	name := q.Get("name.exact")
	if name == "" {
		name = q.Get("name")
	}
	content := q.Get("content.exact")
	if content == "" {
		content = q.Get("content")
	}
	var match []*Record
	for _, rec := range z.records {
		switch {
		case name != "" && !strings.EqualFold(rec.Name, name),
			q.Get("type") != "" && rec.Type != q.Get("type"),
			proxied != nil && rec.Proxied != *proxied,
			content != "" && rec.Content != content:
			continue
		}
		match = append(match, rec)
	}
	page, per, e := paging(q, recordsPerPageDef, recordsPerPageMax)
	if e != nil {
		e.write(w)
		return
	}
	out := []any{}
	for _, i := range window(len(match), page, per) {
		out = append(out, z.view(match[i]))
	}
	writeResult(w, http.StatusOK, out, info(page, per, len(out), len(match)))
}

// create serves POST /zones/:id/dns_records.
func (f *Fake) create(w http.ResponseWriter, z *zone, body []byte) {
	rec := &Record{TTL: defaultTTL, Settings: map[string]any{}}
	if e := apply(rec, z, body, true); e != nil {
		e.write(w)
		return
	}
	for _, o := range z.records {
		if o.Name == rec.Name && o.Type == rec.Type && o.Content == rec.Content {
			fail(http.StatusBadRequest, 81058, "An identical record already exists.").write(w)
			return
		}
	}
	rec.ID = f.newID()
	z.records = append(z.records, rec)
	writeResult(w, http.StatusOK, z.view(rec), nil)
}

// write serves PUT (overwrite: every field not sent takes its default) and
// PATCH (edit: only the fields sent change).
func (f *Fake) write(w http.ResponseWriter, z *zone, rec *Record, body []byte, overwrite bool) {
	next := *rec
	if overwrite {
		next = Record{ID: rec.ID, TTL: defaultTTL, Settings: map[string]any{}}
	}
	if e := apply(&next, z, body, overwrite); e != nil {
		e.write(w)
		return
	}
	*rec = next
	writeResult(w, http.StatusOK, z.view(rec), nil)
}

// apply validates a record body and copies the fields it carries into
// rec. With full (create, overwrite), name, type and content are required.
func apply(rec *Record, z *zone, body []byte, full bool) *apiError {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil || m == nil {
		return fail(http.StatusBadRequest, 6007, "Malformed JSON in request body")
	}
	if full {
		for _, k := range []string{"name", "type", "content"} {
			if _, ok := m[k]; !ok {
				return validation(9000, "DNS record "+k+" is required.")
			}
		}
	}
	if string(m["comment"]) == "null" {
		rec.Comment = ""
		delete(m, "comment")
	}
	fields := []struct {
		key  string
		dst  any
		code int
		msg  string
	}{
		{"name", &rec.Name, 9000, "DNS name is invalid."},
		{"type", &rec.Type, 9004, "DNS record type is invalid."},
		{"content", &rec.Content, 9005, "Content for the record is invalid."},
		{"comment", &rec.Comment, 9100, "Comment must be a string."},
		{"ttl", &rec.TTL, 9021, "Invalid TTL. Must be between 60 and 86400 seconds, or 1 for Automatic."},
		{"proxied", &rec.Proxied, 9003, "Invalid 'proxied' value, must be a boolean"},
		{"tags", &rec.Tags, 9300, "Tags must be a list of strings."},
		{"settings", &rec.Settings, 9301, "Settings must be an object."},
	}
	for _, f := range fields {
		if raw, ok := m[f.key]; ok && json.Unmarshal(raw, f.dst) != nil {
			return validation(f.code, f.msg)
		}
	}
	if rec.TTL != defaultTTL && (rec.TTL < minTTL || rec.TTL > maxTTL) {
		return validation(9021, "Invalid TTL. Must be between 60 and 86400 seconds, or 1 for Automatic.")
	}
	rec.Name = z.qualify(rec.Name)
	if rec.Type != "A" && rec.Type != "AAAA" {
		return validation(9004, "DNS record type is invalid.")
	}
	if a, err := netip.ParseAddr(rec.Content); err != nil || (rec.Type == "A") != a.Is4() {
		return validation(9005, "Content for "+rec.Type+" record is invalid.")
	}
	return nil
}

// qualify turns a record name into the fully qualified name the service
// stores: "@" is the apex, and a name outside the zone gets the zone
// appended (the service does exactly that).
func (z *zone) qualify(name string) string {
	name = strings.ToLower(strings.TrimSuffix(name, "."))
	switch {
	case name == "@" || name == "" || name == z.name:
		return z.name
	case strings.HasSuffix(name, "."+z.name):
		return name
	}
	return name + "." + z.name
}

func (z *zone) record(id string) *Record {
	for _, r := range z.records {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// view is the JSON object the service returns for a record.
func (z *zone) view(r *Record) any {
	var comment any
	if r.Comment != "" {
		comment = r.Comment
	}
	tags, settings := r.Tags, r.Settings
	if tags == nil {
		tags = []string{}
	}
	if settings == nil {
		settings = map[string]any{}
	}
	return struct {
		ID        string         `json:"id"`
		ZoneID    string         `json:"zone_id"`
		ZoneName  string         `json:"zone_name"`
		Name      string         `json:"name"`
		Type      string         `json:"type"`
		Content   string         `json:"content"`
		Proxiable bool           `json:"proxiable"`
		Proxied   bool           `json:"proxied"`
		TTL       int            `json:"ttl"`
		Settings  map[string]any `json:"settings"`
		Meta      map[string]any `json:"meta"`
		Comment   any            `json:"comment"`
		Tags      []string       `json:"tags"`
	}{r.ID, z.id, z.name, r.Name, r.Type, r.Content, true, r.Proxied, r.TTL, settings, map[string]any{}, comment, tags}
}

func (f *Fake) zoneByName(name string) *zone {
	for _, z := range f.zones {
		if strings.EqualFold(z.name, name) {
			return z
		}
	}
	return nil
}

func (f *Fake) zoneByID(id string) *zone {
	for _, z := range f.zones {
		if z.id == id {
			return z
		}
	}
	return nil
}

// newID returns a fresh 32-hex-digit id, like the service's.
func (f *Fake) newID() string {
	f.seq++
	sum := sha256.Sum256([]byte("cloudflarefake-" + strconv.Itoa(f.seq)))
	return hex.EncodeToString(sum[:16])
}

func paging(q map[string][]string, def, max int) (page, per int, e *apiError) {
	page, per = 1, def
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	if s := get("page"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n > 0 {
			page = n
		} else {
			return 0, 0, fail(http.StatusBadRequest, 1001, "Invalid page")
		}
	}
	if s := get("per_page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return 0, 0, fail(http.StatusBadRequest, 1001, "Invalid per_page")
		}
		per = min(n, max)
	}
	return page, per, nil
}

// window returns the indexes of the items on page.
func window(n, page, per int) []int {
	var out []int
	for i := (page - 1) * per; i < n && i < page*per; i++ {
		out = append(out, i)
	}
	return out
}

func info(page, per, count, total int) map[string]int {
	return map[string]int{"page": page, "per_page": per, "count": count, "total_count": total, "total_pages": (total + per - 1) / per}
}

// apiMsg is one entry of the service's errors array.
type apiMsg struct {
	Code       int      `json:"code"`
	Message    string   `json:"message"`
	ErrorChain []apiMsg `json:"error_chain,omitempty"`
}

type apiError struct {
	status int
	errs   []apiMsg
}

func fail(status, code int, msg string) *apiError {
	return &apiError{status: status, errs: []apiMsg{{Code: code, Message: msg}}}
}

// validation is the service's shape for a rejected record: code 1004
// with the detail in error_chain.
func validation(code int, msg string) *apiError {
	return &apiError{status: http.StatusBadRequest, errs: []apiMsg{{Code: 1004, Message: "DNS Validation Error", ErrorChain: []apiMsg{{Code: code, Message: msg}}}}}
}

func (e *apiError) write(w http.ResponseWriter) {
	writeJSON(w, e.status, map[string]any{"success": false, "errors": e.errs, "messages": []any{}, "result": nil})
}

func writeResult(w http.ResponseWriter, status int, result any, info map[string]int) {
	m := map[string]any{"success": true, "errors": []any{}, "messages": []any{}, "result": result}
	if info != nil {
		m["result_info"] = info
	}
	writeJSON(w, status, m)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func writeFault(w http.ResponseWriter, f *Fault) {
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	body := f.Body
	switch {
	case body != "":
		w.Header().Set("Content-Type", "application/json")
	case f.Status >= 500:
		w.Header().Set("Content-Type", "text/html")
		body = fmt.Sprintf("<html><head><title>%d %s</title></head><body><h1>%[1]d %[2]s</h1></body></html>", f.Status, http.StatusText(f.Status))
	case f.Status == http.StatusTooManyRequests:
		fail(f.Status, 971, "Please wait and consider throttling your request speed").write(w)
		return
	default:
		fail(f.Status, 1000+f.Status, http.StatusText(f.Status)).write(w)
		return
	}
	w.WriteHeader(f.Status)
	io.WriteString(w, body)
}
