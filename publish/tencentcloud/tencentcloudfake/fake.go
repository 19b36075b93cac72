// Package tencentcloudfake is an in-memory Tencent Cloud DNSPod API 3.0
// (dnspod.tencentcloudapi.com, 2021-03-23) for tests of the tencentcloud
// provider and of the ddns binary.
//
// A Fake is an http.Handler (wrap it in httptest.NewServer). Its Gateway,
// exported for the EdgeOne fake, checks every TC3-HMAC-SHA256 signature
// against the account's key pair, answers errors as API 3.0 does (HTTP
// 200, Response.Error with the service's codes), counts calls by action
// and injects faults. The Fake holds domains and records with numeric ids
// and implements DescribeDomain, DescribeRecordList, CreateRecord and
// ModifyRecord with their documented parameters: an unknown parameter or
// a value of the wrong type is refused, as by the real API.
package tencentcloudfake

import (
	"encoding/json"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/ddns-go/ddns/publish/publishtest"
)

// Lines are the record lines the fake accepts, default first, with their
// line ids.
var Lines = map[string]string{"默认": "0", "电信": "10=0", "联通": "10=1", "教育网": "10=2", "移动": "10=3", "境外": "3=0"}

// DefaultTTL is the TTL of records created without one (the free plan's).
const DefaultTTL = 600

// Record is a DNS record held by the fake.
type Record struct {
	ID       int
	DomainID int
	Name     string // sub-domain, "@" for the apex
	Type     string
	Value    string
	Line     string
	TTL      int
	Remark   string
	Weight   *int
}

type domain struct {
	id   int
	name string
}

// Held is the address r holds.
func (r Record) Held() string { return r.Value }

// Fake is one DNSPod account. Create it with New.
type Fake struct {
	*Gateway
	handle Handler

	mu      sync.Mutex
	domains []domain
	records []*Record
	nextID  int
}

// New returns an empty account accepting requests signed with the key
// pair secretID/secretKey.
func New(secretID, secretKey string) *Fake {
	f := &Fake{
		Gateway: &Gateway{SecretID: secretID, SecretKey: secretKey, Service: "dnspod", Version: "2021-03-23"},
		nextID:  1000,
	}
	f.handle = Actions(&f.mu, map[string]Action{"DescribeDomain": f.describeDomain, "DescribeRecordList": f.describeRecordList,
		"CreateRecord": f.createRecord, "ModifyRecord": f.modifyRecord})
	return f
}

func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) { f.Serve(w, r, f.handle) }

// AddDomain adds a domain ("example.com") and returns its id.
func (f *Fake) AddDomain(name string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.nextID++
	f.domains = append(f.domains, domain{f.nextID, name})
	return strconv.Itoa(f.nextID)
}

// AddRecord adds a record as a user would in the console and returns its
// id; line "" is the default line, ttl 0 DefaultTTL. It panics on an
// unknown domain: a mistake in the test.
func (f *Fake) AddRecord(domainName, sub, typ, value, line string, ttl int) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	d, ok := f.byName(domainName)
	if !ok {
		panic("tencentcloudfake: no domain " + domainName)
	}
	if line == "" {
		line = "默认"
	}
	if ttl == 0 {
		ttl = DefaultTTL
	}
	f.nextID++
	f.records = append(f.records, &Record{ID: f.nextID, DomainID: d.id, Name: sub, Type: typ, Value: value, Line: line, TTL: ttl})
	return strconv.Itoa(f.nextID)
}

// Find returns copies of the records of domainName named sub of type typ.
func (f *Fake) Find(domainName, sub, typ string) []Record {
	f.mu.Lock()
	defer f.mu.Unlock()
	d, _ := f.byName(domainName)
	return publishtest.Copies(f.records, func(r *Record) bool { return r.DomainID == d.id && r.Name == sub && r.Type == typ })
}

// Records returns copies of every record, in creation order.
func (f *Fake) Records() []Record {
	f.mu.Lock()
	defer f.mu.Unlock()
	return publishtest.Copies(f.records, nil)
}

// DeleteRecord removes a record, as a user would in the console.
func (f *Fake) DeleteRecord(id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.records = slices.DeleteFunc(f.records, func(r *Record) bool { return strconv.Itoa(r.ID) == id })
}

func (f *Fake) byName(name string) (domain, bool) {
	for _, d := range f.domains {
		if d.name == name {
			return d, true
		}
	}
	return domain{}, false
}

// domainOf resolves the Domain and DomainId parameters as documented:
// Domain is required, DomainId takes precedence when given.
func (f *Fake) domainOf(name *string, id *int64) (domain, *Error) {
	if name == nil {
		return domain{}, Missing("Domain")
	}
	if id != nil {
		for _, d := range f.domains {
			if int64(d.id) == *id {
				return d, nil
			}
		}
		return domain{}, &Error{"InvalidParameter.DomainIdInvalid", "域名编号不正确。"}
	}
	if *name == "" {
		return domain{}, Missing("Domain")
	}
	if d, ok := f.byName(strings.ToLower(*name)); ok {
		return d, nil
	}
	return domain{}, &Error{"InvalidParameterValue.DomainNotExists", "当前域名有误，请返回重新操作。"}
}

func (f *Fake) describeDomain(params json.RawMessage) (map[string]any, *Error) {
	var p struct {
		Domain   *string
		DomainId *int64
	}
	if e := Decode(params, &p); e != nil {
		return nil, e
	}
	d, e := f.domainOf(p.Domain, p.DomainId)
	if e != nil {
		return nil, e
	}
	return map[string]any{"DomainInfo": map[string]any{
		"DomainId": d.id, "Domain": d.name, "Punycode": d.name, "Status": "ENABLE", "Grade": "DP_FREE",
		"GroupId": 1, "IsMark": "no", "TTL": DefaultTTL, "CnameSpeedup": "DISABLE", "Remark": "",
		"DnsStatus": "", "DnsServer": []string{"f1g1ns1.dnspod.net", "f1g1ns2.dnspod.net"},
	}}, nil
}

func (f *Fake) describeRecordList(params json.RawMessage) (map[string]any, *Error) {
	var p struct {
		Domain, Subdomain, RecordType, RecordLine, RecordLineId, Keyword, SortField, SortType *string
		DomainId, GroupId, Offset, Limit                                                      *int64
	}
	if e := Decode(params, &p); e != nil {
		return nil, e
	}
	d, e := f.domainOf(p.Domain, p.DomainId)
	if e != nil {
		return nil, e
	}
	list := []map[string]any{}
	for _, r := range f.records {
		if r.DomainID != d.id ||
			p.Subdomain != nil && *p.Subdomain != "" && r.Name != strings.ToLower(*p.Subdomain) ||
			p.RecordType != nil && *p.RecordType != "" && r.Type != *p.RecordType ||
			p.RecordLine != nil && *p.RecordLine != "" && r.Line != *p.RecordLine {
			continue
		}
		list = append(list, view(r))
	}
	if len(list) == 0 {
		return nil, &Error{"ResourceNotFound.NoDataOfRecord", "记录列表为空。"}
	}
	return map[string]any{
		"RecordCountInfo": map[string]int{"SubdomainCount": len(list), "ListCount": len(list), "TotalCount": len(list)},
		"RecordList":      list,
	}, nil
}

// writeParams are the parameters of CreateRecord and ModifyRecord.
type writeParams struct {
	Domain, RecordType, RecordLine, Value, SubDomain, RecordLineId, Status, Remark, DnssecConflictMode *string
	DomainId, RecordId, MX, TTL, Weight, GroupId                                                       *int64
}

// validate checks what both writes require, with the service's codes.
func (p *writeParams) validate() *Error {
	switch {
	case p.RecordType == nil:
		return Missing("RecordType")
	case p.RecordLine == nil:
		return Missing("RecordLine")
	case p.Value == nil:
		return Missing("Value")
	}
	if _, ok := Lines[*p.RecordLine]; !ok {
		return &Error{"InvalidParameter.RecordLineInvalid", "记录线路不正确。"}
	}
	a, err := netip.ParseAddr(*p.Value)
	switch *p.RecordType {
	case "A", "AAAA":
		if err != nil || a.Is4() != (*p.RecordType == "A") {
			return &Error{"InvalidParameter.RecordValueInvalid", "记录的值不正确。"}
		}
	default:
		return &Error{"InvalidParameter.RecordTypeInvalid", "记录类型不正确。"}
	}
	if p.TTL != nil && (*p.TTL < 1 || *p.TTL > 604800) {
		return &Error{"LimitExceeded.RecordTtlLimit", "记录的TTL值超出了限制。"}
	}
	if p.Remark != nil && len([]rune(*p.Remark)) > 200 {
		return &Error{"InvalidParameter.RemarkTooLong", "备注过长（不能超过200个字）。"}
	}
	if p.Weight != nil && (*p.Weight < 0 || *p.Weight > 100) {
		return &Error{"InvalidParameter.InvalidWeight", "权重不合法。请输入0~100的整数。"}
	}
	return nil
}

func (f *Fake) createRecord(params json.RawMessage) (map[string]any, *Error) {
	var p writeParams
	if e := Decode(params, &p); e != nil {
		return nil, e
	}
	if p.RecordId != nil {
		return nil, &Error{"UnknownParameter", "The parameter `RecordId` is not recognized."}
	}
	d, e := f.domainOf(p.Domain, p.DomainId)
	if e != nil {
		return nil, e
	}
	if e := p.validate(); e != nil {
		return nil, e
	}
	r := &Record{DomainID: d.id, Name: "@", Type: *p.RecordType, Value: *p.Value, Line: *p.RecordLine, TTL: DefaultTTL}
	if p.SubDomain != nil && *p.SubDomain != "" {
		r.Name = strings.ToLower(*p.SubDomain)
	}
	for _, o := range f.records {
		if o.DomainID == d.id && o.Name == r.Name && o.Type == r.Type && o.Line == r.Line && o.Value == r.Value {
			return nil, &Error{"InvalidParameter.DomainRecordExist", "记录已经存在，无需再次添加。"}
		}
	}
	apply(r, &p)
	f.nextID++
	r.ID = f.nextID
	f.records = append(f.records, r)
	return map[string]any{"RecordId": r.ID}, nil
}

func (f *Fake) modifyRecord(params json.RawMessage) (map[string]any, *Error) {
	var p writeParams
	if e := Decode(params, &p); e != nil {
		return nil, e
	}
	if p.RecordId == nil {
		return nil, Missing("RecordId")
	}
	d, e := f.domainOf(p.Domain, p.DomainId)
	if e != nil {
		return nil, e
	}
	if e := p.validate(); e != nil {
		return nil, e
	}
	var r *Record
	for _, o := range f.records {
		if o.DomainID == d.id && int64(o.ID) == *p.RecordId {
			r = o
		}
	}
	if r == nil {
		return nil, &Error{"InvalidParameter.RecordIdInvalid", "记录编号错误。"}
	}
	// As documented, a missing SubDomain means "@": the record is
	// renamed, so clients must always send it.
	r.Name = "@"
	if p.SubDomain != nil && *p.SubDomain != "" {
		r.Name = strings.ToLower(*p.SubDomain)
	}
	r.Type, r.Value, r.Line = *p.RecordType, *p.Value, *p.RecordLine
	apply(r, &p)
	return map[string]any{"RecordId": r.ID}, nil
}

// apply sets the optional fields that were sent; the others keep their
// values.
func apply(r *Record, p *writeParams) {
	if p.TTL != nil {
		r.TTL = int(*p.TTL)
	}
	if p.Remark != nil {
		r.Remark = *p.Remark
	}
	if p.Weight != nil {
		w := int(*p.Weight)
		r.Weight = &w
	}
}

// view is a record as DescribeRecordList shows it.
func view(r *Record) map[string]any {
	var weight any
	if r.Weight != nil {
		weight = *r.Weight
	}
	return map[string]any{
		"RecordId": r.ID, "Value": r.Value, "Status": "ENABLE", "UpdatedOn": "2023-11-14 22:13:20",
		"Name": r.Name, "Line": r.Line, "LineId": Lines[r.Line], "Type": r.Type, "Weight": weight,
		"MonitorStatus": "", "Remark": r.Remark, "TTL": r.TTL, "MX": 0, "DefaultNS": false,
	}
}
