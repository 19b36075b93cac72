package edgeonefake

import (
	"encoding/json"
	"strings"

	tc "github.com/ddns-go/ddns/publish/tencentcloud/tencentcloudfake"
)

// The acceleration domain actions: DescribeAccelerationDomains,
// CreateAccelerationDomain and ModifyAccelerationDomain.

func (f *Fake) describeDomains(params json.RawMessage) (map[string]any, *tc.Error) {
	var p struct {
		siteListing
		Direction, Match, Order *string
	}
	z, match, e := f.site(params, &p, &p.siteListing, "domain-name", "origin-type", "origin", "backup-origin", "domain-cname", "share-cname")
	if e != nil {
		return nil, e
	}
	in := func(d *Domain) bool { return d.ZoneID == z.id }
	return described(f.domains, "AccelerationDomains", in, match, viewDomain, func(d *Domain) map[string]string {
		return map[string]string{"domain-name": d.Name, "origin-type": d.OriginType, "origin": d.Origin, "backup-origin": d.BackupOrigin}
	}), nil
}

func viewDomain(d *Domain) map[string]any {
	return map[string]any{
		"ZoneId": d.ZoneID, "DomainName": d.Name, "DomainStatus": "online", "Cname": d.Name + ".eo.dnse4.com",
		"IdentificationStatus": "", "CreatedOn": "2023-11-14T22:13:20Z", "ModifiedOn": "2023-11-14T22:13:20Z",
		"OriginDetail": map[string]any{
			"OriginType": d.OriginType, "Origin": d.Origin, "BackupOrigin": d.BackupOrigin, "PrivateAccess": "off",
		},
		"OriginProtocol": "FOLLOW", "HttpOriginPort": 80, "HttpsOriginPort": 443, "IPv6Status": "follow",
	}
}

// domainParams are the parameters of CreateAccelerationDomain and
// ModifyAccelerationDomain.
type domainParams struct {
	ZoneId, DomainName, OriginProtocol, IPv6Status *string
	OriginInfo                                     json.RawMessage
	HttpOriginPort, HttpsOriginPort                *int64
}

// originInfo is the OriginInfo structure.
type originInfo struct {
	OriginType, Origin, BackupOrigin, PrivateAccess, HostHeader *string
}

// parse validates the parameters both actions share.
func (f *Fake) parseDomain(params json.RawMessage) (zone, string, *originInfo, *tc.Error) {
	var p domainParams
	if e := tc.Decode(params, &p); e != nil {
		return zone{}, "", nil, e
	}
	z, e := f.zoneByID(p.ZoneId)
	if e != nil {
		return zone{}, "", nil, e
	}
	if p.DomainName == nil {
		return zone{}, "", nil, tc.Missing("DomainName")
	}
	name := strings.ToLower(*p.DomainName)
	if name != z.name && !strings.HasSuffix(name, "."+z.name) {
		return zone{}, "", nil, &tc.Error{Code: "InvalidParameterValue.DomainNotMatchZone", Message: "加速域名与站点不匹配。"}
	}
	if p.OriginInfo == nil {
		return zone{}, "", nil, tc.Missing("OriginInfo")
	}
	var o originInfo
	if e := tc.Decode(p.OriginInfo, &o); e != nil {
		return zone{}, "", nil, e
	}
	if o.OriginType == nil || o.Origin == nil || *o.Origin == "" {
		return zone{}, "", nil, tc.Missing("OriginInfo.Origin")
	}
	if *o.OriginType != "IP_DOMAIN" {
		return zone{}, "", nil, &tc.Error{Code: "InvalidParameterValue", Message: "This fake serves IP_DOMAIN origins only."}
	}
	return z, name, &o, nil
}

func (f *Fake) createDomain(params json.RawMessage) (map[string]any, *tc.Error) {
	z, name, o, e := f.parseDomain(params)
	if e != nil {
		return nil, e
	}
	for _, d := range f.domains {
		if d.Name == name {
			return nil, &tc.Error{Code: "ResourceInUse", Message: "加速域名已存在。"}
		}
	}
	d := &Domain{ZoneID: z.id, Name: name}
	setOrigin(d, o)
	f.domains = append(f.domains, d)
	return nil, nil
}

func (f *Fake) modifyDomain(params json.RawMessage) (map[string]any, *tc.Error) {
	z, name, o, e := f.parseDomain(params)
	if e != nil {
		return nil, e
	}
	for _, d := range f.domains {
		if d.ZoneID == z.id && d.Name == name {
			setOrigin(d, o)
			return nil, nil
		}
	}
	return nil, &tc.Error{Code: "ResourceNotFound", Message: "资源不存在。"}
}

// setOrigin replaces the origin as documented: OriginInfo is taken whole,
// so a missing BackupOrigin removes the backup origin.
func setOrigin(d *Domain, o *originInfo) {
	d.OriginType, d.Origin, d.BackupOrigin = *o.OriginType, *o.Origin, ""
	if o.BackupOrigin != nil {
		d.BackupOrigin = *o.BackupOrigin
	}
}
