package edgeonefake

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"strings"

	tc "github.com/ddns-go/ddns/publish/tencentcloud/tencentcloudfake"
)

// The DNS record actions: DescribeDnsRecords, CreateDnsRecord and
// ModifyDnsRecords.

func (f *Fake) describeDNSRecords(params json.RawMessage) (map[string]any, *tc.Error) {
	var p struct {
		siteListing
		SortBy, SortOrder, Match *string
	}
	z, match, e := f.site(params, &p, &p.siteListing, "id", "name", "content", "type", "ttl")
	if e != nil {
		return nil, e
	}
	in := func(r *DNSRecord) bool { return r.ZoneID == z.id }
	return described(f.records, "DnsRecords", in, match, viewRecord, func(r *DNSRecord) map[string]string {
		return map[string]string{"id": r.ID, "name": r.Name, "content": r.Content, "type": r.Type, "ttl": fmt.Sprint(r.TTL)}
	}), nil
}

// recordParams are the fields of a DNS record in CreateDnsRecord and in
// each element of ModifyDnsRecords' DnsRecords.
type recordParams struct {
	ZoneId, RecordId, Name, Type, Location, Content, Status, CreatedOn, ModifiedOn *string
	TTL, Weight, Priority                                                          *int64
}

func (p *recordParams) validate(z zone) *tc.Error {
	switch {
	case p.Name == nil:
		return tc.Missing("Name")
	case p.Type == nil:
		return tc.Missing("Type")
	case p.Content == nil:
		return tc.Missing("Content")
	}
	name := strings.ToLower(*p.Name)
	if name != z.name && !strings.HasSuffix(name, "."+z.name) {
		return &tc.Error{Code: "InvalidParameterValue.DomainNotMatchZone", Message: "记录名称与站点不匹配。"}
	}
	a, err := netip.ParseAddr(*p.Content)
	switch *p.Type {
	case "A", "AAAA":
		if err != nil || a.Is4() != (*p.Type == "A") {
			return &tc.Error{Code: "InvalidParameterValue.InvalidDNSContent", Message: "DNS 记录内容错误。"}
		}
	default:
		return &tc.Error{Code: "InvalidParameterValue", Message: "The value of parameter `Type` is invalid."}
	}
	if p.TTL != nil && (*p.TTL < 60 || *p.TTL > 86400) {
		return &tc.Error{Code: "InvalidParameterValue", Message: "The value of parameter `TTL` is invalid: 60-86400."}
	}
	return nil
}

func (f *Fake) createDNSRecord(params json.RawMessage) (map[string]any, *tc.Error) {
	var p recordParams
	if e := tc.Decode(params, &p); e != nil {
		return nil, e
	}
	if p.RecordId != nil || p.Status != nil || p.CreatedOn != nil || p.ModifiedOn != nil {
		return nil, &tc.Error{Code: "UnknownParameter", Message: "The parameter is not recognized."}
	}
	z, e := f.zoneByID(p.ZoneId)
	if e != nil {
		return nil, e
	}
	if e := p.validate(z); e != nil {
		return nil, e
	}
	r := &DNSRecord{ZoneID: z.id, Name: strings.ToLower(*p.Name), Type: *p.Type, Content: *p.Content, Location: "Default", TTL: DefaultTTL}
	for _, o := range f.records {
		if o.ZoneID == z.id && o.Name == r.Name && o.Type == r.Type && o.Content == r.Content {
			return nil, &tc.Error{Code: "InvalidParameterValue.ConflictRecord", Message: "与已经添加的记录冲突。"}
		}
	}
	applyRecord(r, &p)
	r.ID = f.newID("record-")
	f.records = append(f.records, r)
	return map[string]any{"RecordId": r.ID}, nil
}

func (f *Fake) modifyDNSRecords(params json.RawMessage) (map[string]any, *tc.Error) {
	var p struct {
		ZoneId     *string
		DnsRecords []json.RawMessage
	}
	if e := tc.Decode(params, &p); e != nil {
		return nil, e
	}
	z, e := f.zoneByID(p.ZoneId)
	if e != nil {
		return nil, e
	}
	if len(p.DnsRecords) == 0 {
		return nil, tc.Missing("DnsRecords")
	}
	// Validate every element before changing any: the call is atomic.
	type change struct {
		r *DNSRecord
		p recordParams
	}
	var changes []change
	for _, raw := range p.DnsRecords {
		var rp recordParams
		if e := tc.Decode(raw, &rp); e != nil {
			return nil, e
		}
		if rp.RecordId == nil {
			return nil, tc.Missing("DnsRecords.RecordId")
		}
		var r *DNSRecord
		for _, o := range f.records {
			if o.ZoneID == z.id && o.ID == *rp.RecordId {
				r = o
			}
		}
		if r == nil {
			return nil, &tc.Error{Code: "ResourceNotFound", Message: "资源不存在。"}
		}
		if e := rp.validate(z); e != nil {
			return nil, e
		}
		changes = append(changes, change{r, rp})
	}
	for _, c := range changes {
		c.r.Name, c.r.Type, c.r.Content = strings.ToLower(*c.p.Name), *c.p.Type, *c.p.Content
		applyRecord(c.r, &c.p)
	}
	return nil, nil
}

func applyRecord(r *DNSRecord, p *recordParams) {
	if p.TTL != nil {
		r.TTL = int(*p.TTL)
	}
	if p.Location != nil {
		r.Location = *p.Location
	}
	if p.Weight != nil {
		w := int(*p.Weight)
		r.Weight = &w
	}
}

func viewRecord(r *DNSRecord) map[string]any {
	weight := -1
	if r.Weight != nil {
		weight = *r.Weight
	}
	return map[string]any{
		"ZoneId": r.ZoneID, "RecordId": r.ID, "Name": r.Name, "Type": r.Type, "Location": r.Location,
		"Content": r.Content, "TTL": r.TTL, "Weight": weight, "Priority": 0, "Status": "enable",
		"CreatedOn": "2023-11-14T22:13:20Z", "ModifiedOn": "2023-11-14T22:13:20Z",
	}
}
