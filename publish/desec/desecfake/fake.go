// Package desecfake is an in-memory stand-in for the deSEC DNS API
// (https://desec.readthedocs.io), for tests of the desec provider and of
// the ddns binary.
//
// It serves what the provider uses, as documented: GET /domains/{name}/,
// GET and PATCH /domains/{name}/rrsets/{subname}/{type}/ ("@" for the
// apex) and POST /domains/{name}/rrsets/. Every request must carry
// "Authorization: Token <token>" with the account's token, else 401
// {"detail": "Invalid token."}; a domain not in the account, or a missing
// RRset, is 404 {"detail": "Not found."}; a TTL below the minimum (3600)
// is 400. Faults and the request log are publishtest.Base's.
package desecfake

import (
	"encoding/json"
	"io"
	"net/http"
	"net/netip"
	"strings"
	"sync"

	"github.com/ddns-go/ddns/publish/publishtest"
)

// MinTTL is the domains' minimum TTL.
const MinTTL = 3600

// Fault is a canned answer for the next requests.
type Fault = publishtest.Fault

// RRset is one RRset the fake holds.
type RRset struct {
	TTL     int
	Records []string
}

// Fake is one deSEC account. Create it with New; it is safe for
// concurrent use.
type Fake struct {
	publishtest.Base // requests (action: "METHOD domain|rrsets|rrset"), counts, faults

	mu      sync.Mutex
	token   string
	domains map[string]map[string]*RRset // domain → "subname/type" → RRset
}

// New returns an account with token and no domain.
func New(token string) *Fake {
	return &Fake{token: token, domains: map[string]map[string]*RRset{}}
}

// AddDomain adds a domain (a zone) to the account.
func (f *Fake) AddDomain(name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.domains[name] = map[string]*RRset{}
}

// Get returns a copy of the RRset of subname ("" for the apex) and typ.
func (f *Fake) Get(domain, subname, typ string) (RRset, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if s := f.domains[domain][subname+"/"+typ]; s != nil {
		return RRset{s.TTL, append([]string(nil), s.Records...)}, true
	}
	return RRset{}, false
}

// Delete removes an RRset, as a user would.
func (f *Fake) Delete(domain, subname, typ string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.domains[domain], subname+"/"+typ)
}

// ServeHTTP answers one API request.
func (f *Fake) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	parts := strings.Split(strings.Trim(strings.TrimPrefix(req.URL.Path, "/domains/"), "/"), "/")
	kind := [...]string{"", "domain", "rrsets", "", "rrset"}[min(len(parts), 4)]
	if ft := f.Take(req, req.Method+" "+kind); ft != nil {
		if !ft.WritePlain(w) {
			answer(w, ft.StatusOr(http.StatusTooManyRequests), map[string]string{"detail": ft.Message})
		}
		return
	}
	if req.Header.Get("Authorization") != "Token "+f.token {
		answer(w, http.StatusUnauthorized, map[string]string{"detail": "Invalid token."})
		return
	}
	body, _ := io.ReadAll(req.Body)
	f.mu.Lock()
	defer f.mu.Unlock()
	d := f.domains[parts[0]]
	switch {
	case d == nil || kind == "":
		answer(w, http.StatusNotFound, map[string]string{"detail": "Not found."})
	case kind == "domain" && req.Method == http.MethodGet:
		answer(w, http.StatusOK, map[string]any{"name": parts[0], "minimum_ttl": MinTTL})
	case kind == "rrsets" && req.Method == http.MethodPost:
		var in struct {
			Subname, Type string
			TTL           int
			Records       []string
		}
		if json.Unmarshal(body, &in) != nil || !valid(in.Type, in.TTL, in.Records) {
			answer(w, http.StatusBadRequest, map[string]any{"non_field_errors": []string{"Invalid RRset."}})
			return
		}
		if d[in.Subname+"/"+in.Type] != nil {
			answer(w, http.StatusBadRequest, map[string]any{"non_field_errors": []string{"Another RRset with the same subdomain and type exists for this domain."}})
			return
		}
		d[in.Subname+"/"+in.Type] = &RRset{in.TTL, in.Records}
		answer(w, http.StatusCreated, rrset(parts[0], in.Subname, in.Type, d[in.Subname+"/"+in.Type]))
	case kind == "rrset" && (req.Method == http.MethodGet || req.Method == http.MethodPatch):
		sub := strings.TrimPrefix(parts[2], "@")
		s := d[sub+"/"+parts[3]]
		if s == nil {
			answer(w, http.StatusNotFound, map[string]string{"detail": "Not found."})
			return
		}
		if req.Method == http.MethodPatch {
			next := *s
			if json.Unmarshal(body, &next) != nil || !valid(parts[3], next.TTL, next.Records) {
				answer(w, http.StatusBadRequest, map[string]any{"non_field_errors": []string{"Invalid RRset."}})
				return
			}
			*s = next
		}
		answer(w, http.StatusOK, rrset(parts[0], sub, parts[3], s))
	default:
		answer(w, http.StatusMethodNotAllowed, map[string]string{"detail": "Method not allowed."})
	}
}

// valid checks an A or AAAA RRset: addresses of the type's family, a TTL
// not below the minimum.
func valid(typ string, ttl int, records []string) bool {
	if ttl < MinTTL || len(records) == 0 {
		return false
	}
	for _, r := range records {
		a, err := netip.ParseAddr(r)
		if err != nil || a.Is4() != (typ == "A") {
			return false
		}
	}
	return true
}

func rrset(domain, sub, typ string, s *RRset) map[string]any {
	name := domain + "."
	if sub != "" {
		name = sub + "." + name
	}
	return map[string]any{"domain": domain, "subname": sub, "name": name, "type": typ, "ttl": s.TTL, "records": s.Records}
}

func answer(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v) // maps of strings, numbers and lists always encode
}
