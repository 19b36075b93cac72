// Package edgeonefake is an in-memory Tencent Cloud EdgeOne API
// (teo.tencentcloudapi.com, 2022-09-01) for tests of the edgeone and
// edgeone_dns providers and of the ddns binary.
//
// A Fake is an http.Handler (wrap it in httptest.NewServer). Its gateway
// (tencentcloudfake.Gateway) checks every TC3-HMAC-SHA256 signature
// against the account's key pair, answers errors as API 3.0 does, counts
// calls by action and injects faults. The Fake holds sites (zones), DNS
// records and acceleration domains, and implements DescribeZones,
// DescribeDnsRecords, CreateDnsRecord, ModifyDnsRecords,
// DescribeAccelerationDomains, CreateAccelerationDomain and
// ModifyAccelerationDomain with their documented parameters: an unknown
// parameter, also inside a record or an origin, is refused.
package edgeonefake

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/ddns-go/ddns/publish/publishtest"
	tc "github.com/ddns-go/ddns/publish/tencentcloud/tencentcloudfake"
)

// DefaultTTL is the TTL of DNS records created without one.
const DefaultTTL = 300

// DNSRecord is a DNS record held by the fake. Name is fully qualified.
type DNSRecord struct {
	ID, ZoneID, Name, Type, Content, Location string
	TTL                                       int
	Weight                                    *int
}

// Domain is an acceleration domain held by the fake.
type Domain struct {
	ZoneID, Name                     string
	OriginType, Origin, BackupOrigin string
}

type zone struct{ id, name string }

// Fake is one EdgeOne account. Create it with New.
type Fake struct {
	*tc.Gateway
	handle tc.Handler

	mu      sync.Mutex
	zones   []zone
	records []*DNSRecord
	domains []*Domain
	seq     int
}

// New returns an empty account accepting requests signed with the key
// pair secretID/secretKey.
func New(secretID, secretKey string) *Fake {
	f := &Fake{Gateway: &tc.Gateway{SecretID: secretID, SecretKey: secretKey, Service: "teo", Version: "2022-09-01"}}
	f.handle = tc.Actions(&f.mu, map[string]tc.Action{
		"DescribeZones": f.describeZones, "DescribeDnsRecords": f.describeDNSRecords, "CreateDnsRecord": f.createDNSRecord, "ModifyDnsRecords": f.modifyDNSRecords,
		"DescribeAccelerationDomains": f.describeDomains, "CreateAccelerationDomain": f.createDomain, "ModifyAccelerationDomain": f.modifyDomain,
	})
	return f
}

func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) { f.Serve(w, r, f.handle) }

// AddZone adds a site ("example.com") and returns its id.
func (f *Fake) AddZone(name string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	z := zone{f.newID("zone-"), name}
	f.zones = append(f.zones, z)
	return z.id
}

// AddDNSRecord adds a DNS record named name ("www.example.com") to the
// site called zoneName and returns its id. It panics on an unknown site.
func (f *Fake) AddDNSRecord(zoneName, name, typ, content string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	z := f.mustZone(zoneName)
	r := &DNSRecord{ID: f.newID("record-"), ZoneID: z.id, Name: name, Type: typ, Content: content, Location: "Default", TTL: DefaultTTL}
	f.records = append(f.records, r)
	return r.ID
}

// AddDomain adds an acceleration domain with an IP_DOMAIN origin.
func (f *Fake) AddDomain(zoneName, name, origin, backup string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	z := f.mustZone(zoneName)
	f.domains = append(f.domains, &Domain{ZoneID: z.id, Name: name, OriginType: "IP_DOMAIN", Origin: origin, BackupOrigin: backup})
}

// DNSRecords returns copies of the DNS records, in creation order.
func (f *Fake) DNSRecords() []DNSRecord {
	f.mu.Lock()
	defer f.mu.Unlock()
	return publishtest.Copies(f.records, nil)
}

// Domains returns copies of the acceleration domains, in creation order.
func (f *Fake) Domains() []Domain {
	f.mu.Lock()
	defer f.mu.Unlock()
	return publishtest.Copies(f.domains, nil)
}

// FindDNSRecords returns copies of the DNS records called name of type
// typ.
func (f *Fake) FindDNSRecords(name, typ string) []DNSRecord {
	f.mu.Lock()
	defer f.mu.Unlock()
	return publishtest.Copies(f.records, func(r *DNSRecord) bool { return r.Name == name && r.Type == typ })
}

// FindDomains returns copies of the acceleration domains called name
// whose origin is an address of typ's family ("A" or "AAAA").
func (f *Fake) FindDomains(name, typ string) []Domain {
	f.mu.Lock()
	defer f.mu.Unlock()
	return publishtest.Copies(f.domains, func(d *Domain) bool { return d.Name == name && strings.Contains(d.Origin, ":") == (typ == "AAAA") })
}

// DeleteDNSRecord removes a DNS record, as a user would in the console.
func (f *Fake) DeleteDNSRecord(id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.records = slices.DeleteFunc(f.records, func(r *DNSRecord) bool { return r.ID == id })
}

// DeleteDomain removes an acceleration domain.
func (f *Fake) DeleteDomain(name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.domains = slices.DeleteFunc(f.domains, func(d *Domain) bool { return d.Name == name })
}

func (f *Fake) mustZone(name string) zone {
	for _, z := range f.zones {
		if z.name == name {
			return z
		}
	}
	panic("edgeonefake: no site " + name)
}

// newID returns an id in the service's style: a prefix and 12 base-36
// digits.
func (f *Fake) newID(prefix string) string {
	f.seq++
	const base = 131621703842267136 // 36^11: every id has 12 digits
	return prefix + strconv.FormatInt(base+int64(f.seq)*104729, 36)
}

// filter is one element of a Filters parameter.
type filter struct {
	Name   *string
	Values []string
	Fuzzy  *bool
}

// matchFunc tells whether an item passes the filters, reading the item's
// fields by filter name with get.
type matchFunc func(get func(filter string) string) bool

// matcher checks Filters against the filter names an action documents
// and returns a predicate over a value lookup.
func matcher(raw []json.RawMessage, names ...string) (matchFunc, *tc.Error) {
	var fs []filter
	for _, r := range raw {
		var fl filter
		if e := tc.Decode(r, &fl); e != nil {
			return nil, e
		}
		if fl.Name == nil || !contains(names, *fl.Name) {
			return nil, &tc.Error{Code: "InvalidParameter", Message: "The value of parameter `Filters.Name` is invalid."}
		}
		fs = append(fs, fl)
	}
	return func(get func(string) string) bool {
		for _, fl := range fs {
			v, ok := get(*fl.Name), false
			for _, want := range fl.Values {
				if fl.Fuzzy != nil && *fl.Fuzzy {
					ok = ok || strings.Contains(v, want)
				} else {
					ok = ok || strings.EqualFold(v, want)
				}
			}
			if !ok {
				return false
			}
		}
		return true
	}, nil
}

func contains(l []string, s string) bool {
	for _, e := range l {
		if e == s {
			return true
		}
	}
	return false
}

// zoneByID resolves the required ZoneId parameter.
func (f *Fake) zoneByID(id *string) (zone, *tc.Error) {
	if id == nil {
		return zone{}, tc.Missing("ZoneId")
	}
	for _, z := range f.zones {
		if z.id == *id {
			return z, nil
		}
	}
	return zone{}, &tc.Error{Code: "InvalidParameter.ZoneNotFound", Message: "站点不存在。"}
}

func (f *Fake) describeZones(params json.RawMessage) (map[string]any, *tc.Error) {
	var p struct {
		listing
		Order, Direction *string
	}
	if e := tc.Decode(params, &p); e != nil {
		return nil, e
	}
	match, e := matcher(p.Filters, "zone-name", "zone-id", "status", "tag-key", "tag-value", "alias-zone-name")
	if e != nil {
		return nil, e
	}
	return described(f.zones, "Zones", nil, match, func(z zone) map[string]any {
		return map[string]any{
			"ZoneId": z.id, "ZoneName": z.name, "Status": "active", "Type": "full", "Area": "mainland",
			"NameServers": []string{"a.teo.dnspod.net", "b.teo.dnspod.net"}, "ActiveStatus": "active",
		}
	}, func(z zone) map[string]string {
		return map[string]string{"zone-name": z.name, "zone-id": z.id, "status": "active"}
	}), nil
}

// listing is the parameters every Describe action takes: the page and
// the filters.
type listing struct {
	Offset, Limit *int64
	Filters       []json.RawMessage
}

// siteListing is the listing of what one site holds.
type siteListing struct {
	ZoneId *string
	listing
}

// site decodes the parameters of a Describe action within one site into
// p, which embeds l, and returns the site and the filter over the names
// the action documents.
func (f *Fake) site(params json.RawMessage, p any, l *siteListing, names ...string) (zone, matchFunc, *tc.Error) {
	if e := tc.Decode(params, p); e != nil {
		return zone{}, nil, e
	}
	z, e := f.zoneByID(l.ZoneId)
	if e != nil {
		return zone{}, nil, e
	}
	match, e := matcher(l.Filters, names...)
	return z, match, e
}

// described is the answer of a Describe action: the items of all in
// scope (in; nil = all) that match accepts, reading the fields an item
// has by filter name (a filter on another is matched against ""), each
// as view shows it, under key, with their TotalCount.
func described[T any](all []T, key string, in func(T) bool, match matchFunc, view func(T) map[string]any, fields func(T) map[string]string) map[string]any {
	list := []map[string]any{}
	for _, x := range all {
		if (in == nil || in(x)) && match(func(filter string) string { return fields(x)[filter] }) {
			list = append(list, view(x))
		}
	}
	return map[string]any{"TotalCount": len(list), key: list}
}
