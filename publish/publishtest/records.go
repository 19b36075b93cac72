package publishtest

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Record is one DNS record a zone-based fake holds.
type Record struct {
	ID    string
	Host  string // the name in the zone; the apex as Store.Apex spells it
	Type  string
	Line  string // the record line, at services that have lines
	Value string
	TTL   int
}

// RR is a record at host holding value, an A or AAAA record as the
// address is, with ttl and no line.
func RR(host, value string, ttl int) Record {
	return Record{Host: host, Type: TypeOf(netip.MustParseAddr(value)), Value: value, TTL: ttl}
}

// Store is the account of a fake whose service files records by zone
// (ClouDNS, DNSPod, NameSilo, West): the zones, their records in the order
// they were added, and the ids the service issues. The fake serves its
// wire format around it; tests fill and read it as a user would in the
// service's console. It is safe for concurrent use.
type Store struct {
	// Apex is how the service names the apex in Record.Host: "" or "@".
	// Records and Insert take either spelling.
	Apex string
	// Format spells the n-th id the store issues; nil is decimal.
	Format func(n int) string

	mu    sync.Mutex
	zones map[string][]*Record
	next  int
}

// NewStore returns an empty account whose first id is first+1.
func NewStore(apex string, first int) *Store {
	return &Store{Apex: apex, zones: map[string][]*Record{}, next: first}
}

// NewID issues the next id, for a record or, at services that number
// them from the same sequence, a zone.
func (s *Store) NewID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.newID()
}

func (s *Store) newID() string {
	s.next++
	if s.Format != nil {
		return s.Format(s.next)
	}
	return strconv.Itoa(s.next)
}

// AddZone adds an empty zone; a zone already held is kept as it is.
func (s *Store) AddZone(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.zones[name]; !ok {
		s.zones[name] = nil
	}
}

// DeleteZone removes a zone and its records, as a transfer would.
func (s *Store) DeleteZone(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.zones, name)
}

// HasZone reports whether the account holds the zone.
func (s *Store) HasZone(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.zones[name]
	return ok
}

// Insert adds r to a zone with a new id and returns the id. It panics on
// an unknown zone: the fake checks the zone first, a test that names one
// it did not add is wrong.
func (s *Store) Insert(zone string, r Record) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.zones[zone]; !ok {
		panic("publishtest: no zone " + zone)
	}
	r.ID, r.Host = s.newID(), s.apex(r.Host)
	s.zones[zone] = append(s.zones[zone], &r)
	return r.ID
}

// DeleteRecord removes a record, as a user would in the console.
func (s *Store) DeleteRecord(zone, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.zones[zone] = slices.DeleteFunc(s.zones[zone], func(r *Record) bool { return r.ID == id })
}

// Records returns copies of a zone's records at host ("" or "@" for the
// apex) of type typ.
func (s *Store) Records(zone, host, typ string) []Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	host = s.apex(host)
	var out []Record
	for _, r := range s.zones[zone] {
		if r.Host == host && r.Type == typ {
			out = append(out, *r)
		}
	}
	return out
}

// List returns copies of all a zone's records, and whether the zone is
// held.
func (s *Store) List(zone string) ([]Record, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rs, ok := s.zones[zone]
	out := make([]Record, 0, len(rs))
	for _, r := range rs {
		out = append(out, *r)
	}
	return out, ok
}

// Find returns a copy of the record id in a zone.
func (s *Store) Find(zone, id string) (Record, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if i := s.index(zone, id); i >= 0 {
		return *s.zones[zone][i], true
	}
	return Record{}, false
}

// Replace puts r in the place of the record id, keeping its position;
// r.ID may be a new id, as services that reissue ids on update answer.
// It reports false when the zone holds no record id.
func (s *Store) Replace(zone, id string, r Record) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := s.index(zone, id)
	if i >= 0 {
		r.Host = s.apex(r.Host)
		*s.zones[zone][i] = r
	}
	return i >= 0
}

func (s *Store) index(zone, id string) int {
	return slices.IndexFunc(s.zones[zone], func(r *Record) bool { return r.ID == id })
}

func (s *Store) apex(host string) string {
	if host == "" || host == "@" {
		return s.Apex
	}
	return host
}

// Held builds a Service's Values and Delete: a name's records are those
// in the longest zone holding it, where the engine files them.
func (s *Store) Held() (values func(fqdn, typ string) []string, delete func(fqdn, typ string)) {
	return s.held(func(zones []string) []string { return zones[len(zones)-1:] })
}

// HeldAnywhere is Held for a service whose client may file a name in any
// zone holding it (West writes to the shortest): a name's records are
// those in every such zone.
func (s *Store) HeldAnywhere() (values func(fqdn, typ string) []string, delete func(fqdn, typ string)) {
	return s.held(func(zones []string) []string { return zones })
}

// held builds Values and Delete over the zones pick chooses among those
// holding a name, shortest first.
func (s *Store) held(pick func(zones []string) []string) (values func(fqdn, typ string) []string, delete func(fqdn, typ string)) {
	type place struct{ zone, host string }
	places := func(fqdn string) []place {
		s.mu.Lock()
		var zones []string
		for z := range s.zones {
			if fqdn == z || strings.HasSuffix(fqdn, "."+z) {
				zones = append(zones, z)
			}
		}
		s.mu.Unlock()
		if len(zones) == 0 {
			return nil
		}
		slices.SortFunc(zones, func(a, b string) int { return len(a) - len(b) })
		var out []place
		for _, z := range pick(zones) {
			out = append(out, place{z, strings.TrimSuffix(strings.TrimSuffix(fqdn, z), ".")})
		}
		return out
	}
	found := func(fqdn, typ string) (zones []string, rs []Record) {
		for _, p := range places(fqdn) {
			for _, r := range s.Records(p.zone, p.host, typ) {
				zones, rs = append(zones, p.zone), append(rs, r)
			}
		}
		return zones, rs
	}
	values = func(fqdn, typ string) []string {
		var out []string
		_, rs := found(fqdn, typ)
		for _, r := range rs {
			out = append(out, r.Value)
		}
		return out
	}
	delete = func(fqdn, typ string) {
		zones, rs := found(fqdn, typ)
		for i, r := range rs {
			s.DeleteRecord(zones[i], r.ID)
		}
	}
	return values, delete
}
