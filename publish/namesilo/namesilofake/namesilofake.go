// Package namesilofake is an in-memory stand-in for NameSilo's API
// (https://www.namesilo.com/api-reference), for tests of the namesilo
// provider and of the ddns binary.
//
// It behaves like the real service as documented: every operation is a
// GET of /api/<operation> with its parameters in the query string;
// version=1 and type=json are required (type=xml gets an XML answer); the
// key parameter must be the account's API key, else the answer is reply
// code 110 "Invalid API Key" (HTTP 200, as NameSilo answers every API
// error). It holds domains and DNS records with hexadecimal record ids,
// implements getDomainInfo, dnsListRecords (hosts fully qualified, TTLs
// as strings), dnsAddRecord and dnsUpdateRecord (an omitted rrttl becomes
// the default 7207, as documented), counts calls by operation, and
// answers queued faults before anything else (publishtest.Base). Serve it with
// httptest.NewServer(f).
//
// Not modelled: NameSilo refuses plain HTTP (code 101); the fake is served
// over HTTP by httptest and accepts it.
package namesilofake

import (
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/ddns-go/ddns/publish/publishtest"
)

// DefaultTTL is what NameSilo applies when rrttl is not sent.
const DefaultTTL = 7207

// TTL bounds the DNS manager accepts.
const (
	MinTTL = 3600
	MaxTTL = 2592001
)

// Fault is a canned answer for the next requests, given before
// authentication, as a front end or rate limiter would; Code and Message
// make a NameSilo reply (code and detail).
type Fault = publishtest.Fault

// Request is one request as the fake received it; Action is the
// operation.
type Request = publishtest.Request

// Record is one DNS record held by the fake; Host is the labels before
// the domain, "" for the apex.
type Record = publishtest.Record

// Fake is the server state. Create it with New; it is safe for
// concurrent use. Set the exported options before serving.
type Fake struct {
	// StringCodes makes replies carry the code as a string ("300"); by
	// default it is a number, as the live JSON API sends it.
	StringCodes bool
	// ReissueIDs gives a record a new id on every dnsUpdateRecord,
	// answered in record_id, so the old id is no longer valid.
	ReissueIDs bool

	publishtest.Base   // requests, counts by operation, faults
	*publishtest.Store // domains and records

	mu  sync.Mutex
	key string
}

// New returns a fake account with API key key and no domain.
func New(key string) *Fake {
	store := publishtest.NewStore("", 0x1a2b3c)
	// Hexadecimal like NameSilo's ids; the multiplication scrambles them.
	store.Format = func(n int) string { return fmt.Sprintf("%08x%08x", uint32(n), uint32(n)*0x9e3779b1) }
	return &Fake{Store: store, key: key}
}

// AddDomain adds a registered domain (a zone) to the account.
func (f *Fake) AddDomain(name string) { f.AddZone(name) }

// AddRecord adds a record as a user would in the DNS manager and returns
// its id; host "" or "@" is the apex, ttl 0 is DefaultTTL. It panics on
// an unknown domain: a mistake in the test.
func (f *Fake) AddRecord(domainName, host, typ, value string, ttl int) string {
	if ttl == 0 {
		ttl = DefaultTTL
	}
	return f.Insert(domainName, Record{Host: host, Type: typ, Value: value, TTL: ttl})
}

// ServeHTTP answers one API request.
func (f *Fake) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	op, found := strings.CutPrefix(req.URL.Path, "/api/")
	q := req.URL.Query()
	if ft := f.Take(req, op); ft != nil {
		if !ft.WritePlain(w) {
			(&answer{f: f, w: w, op: op, status: ft.Status}).reply(ft.Code, ft.Message, nil)
		}
		return
	}

	f.mu.Lock()
	defer f.mu.Unlock()
	if !found {
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, "<html><body>404 Not Found</body></html>")
		return
	}
	a := &answer{f: f, w: w, op: op, xml: q.Get("type") == "xml"}
	// The checks NameSilo documents, in its code order.
	switch {
	case req.Method != http.MethodGet:
		a.reply("120", "API key must be passed as a GET", nil)
	case q.Get("version") == "":
		a.reply("102", "No version specified", nil)
	case q.Get("version") != "1":
		a.reply("103", "Invalid API version", nil)
	case q.Get("type") == "":
		a.reply("104", "No type specified", nil)
	case q.Get("type") != "json" && q.Get("type") != "xml":
		a.reply("105", "Invalid API type", nil)
	case q.Get("key") == "":
		a.reply("109", "No API key specified", nil)
	case q.Get("key") != f.key:
		a.reply("110", "Invalid API Key", nil)
	default:
		f.operation(a, q)
	}
}

func (f *Fake) operation(a *answer, q url.Values) {
	handlers := map[string]func(*answer, url.Values){
		"getDomainInfo":   f.getDomainInfo,
		"dnsListRecords":  f.dnsListRecords,
		"dnsAddRecord":    f.dnsAddRecord,
		"dnsUpdateRecord": f.dnsUpdateRecord,
	}
	h, ok := handlers[a.op]
	if !ok {
		a.reply("107", "Invalid API operation", nil)
		return
	}
	if q.Get("domain") == "" {
		a.reply("108", "Invalid number of parameters", nil)
		return
	}
	h(a, q)
}

func (f *Fake) getDomainInfo(a *answer, q url.Values) {
	if !f.HasZone(q.Get("domain")) {
		a.reply("200", "Domain is not active, or does not belong to this user", nil)
		return
	}
	// The documented answer: no "domain" member.
	a.reply("300", "success", map[string]any{
		"created": "2020-01-11", "expires": "2030-01-11", "status": "Active", "locked": "Yes",
		"private": "Yes", "auto_renew": "Yes", "traffic_type": "Custom DNS",
		"nameservers": []map[string]any{{"nameserver": "NS1.DNSOWL.COM", "position": 1}, {"nameserver": "NS2.DNSOWL.COM", "position": 2}},
	})
}

func (f *Fake) dnsListRecords(a *answer, q url.Values) {
	domain := q.Get("domain")
	records, ok := f.List(domain)
	if !ok {
		a.reply("200", "Domain is not active, or does not belong to this user", nil)
		return
	}
	list := []map[string]any{}
	for _, r := range records {
		host := domain
		if r.Host != "" {
			host = r.Host + "." + domain
		}
		list = append(list, map[string]any{
			"record_id": r.ID, "type": r.Type, "host": host, "value": r.Value,
			"ttl": strconv.Itoa(r.TTL), "distance": "0",
		})
	}
	a.reply("300", "success", map[string]any{"resource_record": list})
}

func (f *Fake) dnsAddRecord(a *answer, q url.Values) {
	if !f.HasZone(q.Get("domain")) {
		a.reply("200", "Domain is not active, or does not belong to this user", nil)
		return
	}
	r := Record{Type: q.Get("rrtype"), TTL: DefaultTTL}
	if r.Type != "A" && r.Type != "AAAA" {
		a.reply("280", "DNS modification error: invalid record type", nil)
		return
	}
	if detail := fill(&r, q); detail != "" {
		a.reply("280", detail, nil)
		return
	}
	a.reply("300", "success", map[string]any{"record_id": f.Insert(q.Get("domain"), r)})
}

func (f *Fake) dnsUpdateRecord(a *answer, q url.Values) {
	domain := q.Get("domain")
	if !f.HasZone(domain) {
		a.reply("200", "Domain is not active, or does not belong to this user", nil)
		return
	}
	if q.Get("rrid") == "" {
		a.reply("108", "Invalid number of parameters", nil)
		return
	}
	next, ok := f.Find(domain, q.Get("rrid"))
	if !ok {
		// Assumed: NameSilo documents no code for an unknown id.
		a.reply("280", "DNS modification error: invalid resource record ID", nil)
		return
	}
	next.TTL = DefaultTTL // an omitted rrttl is reset to the default
	if detail := fill(&next, q); detail != "" {
		a.reply("280", detail, nil)
		return
	}
	if f.ReissueIDs {
		next.ID = f.NewID()
	}
	f.Replace(domain, q.Get("rrid"), next)
	a.reply("300", "success", map[string]any{"record_id": next.ID})
}

// fill validates rrhost, rrvalue and rrttl of an add or update and copies
// them into r; it returns the error detail. rrhost is the labels before
// the domain, empty for the apex; "@" is not documented and refused
// (an assumption: the original client sent it).
func fill(r *Record, q url.Values) (detail string) {
	r.Host = strings.ToLower(q.Get("rrhost"))
	for _, label := range strings.Split(r.Host, ".") {
		if r.Host != "" && !validLabel(label) {
			return "DNS modification error: invalid host " + strconv.Quote(q.Get("rrhost"))
		}
	}
	a, err := netip.ParseAddr(q.Get("rrvalue"))
	if err != nil || a.Is4() != (r.Type == "A") || a.Zone() != "" {
		return "DNS modification error: invalid value"
	}
	r.Value = a.String()
	if t := q.Get("rrttl"); t != "" {
		n, err := strconv.Atoi(t)
		if err != nil || n < MinTTL || n > MaxTTL {
			return fmt.Sprintf("DNS modification error: TTL must be between %d and %d", MinTTL, MaxTTL)
		}
		r.TTL = n
	}
	return ""
}

func validLabel(l string) bool {
	if l == "" || len(l) > 63 {
		return false
	}
	for _, c := range l {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '*') {
			return false
		}
	}
	return true
}

// answer writes one NameSilo reply.
type answer struct {
	f      *Fake
	w      http.ResponseWriter
	op     string
	xml    bool
	status int
}

func (a *answer) reply(code, detail string, members map[string]any) {
	if a.xml {
		a.w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		if a.status != 0 {
			a.w.WriteHeader(a.status)
		}
		fmt.Fprintf(a.w, `<?xml version="1.0"?><namesilo><request><operation>%s</operation><ip>192.0.2.1</ip></request><reply><code>%s</code><detail>%s</detail></reply></namesilo>`, a.op, code, html.EscapeString(detail))
		return
	}
	rep := map[string]any{"code": code, "detail": detail}
	if !a.f.StringCodes {
		n, _ := strconv.Atoi(code)
		rep["code"] = n
	}
	for k, v := range members {
		rep[k] = v
	}
	a.w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if a.status != 0 {
		a.w.WriteHeader(a.status)
	}
	// Maps of strings, numbers and lists always encode.
	json.NewEncoder(a.w).Encode(map[string]any{
		"request": map[string]any{"operation": a.op, "ip": "192.0.2.1"},
		"reply":   rep,
	})
}
