package edgeone

import (
	"context"
	"fmt"
	"strings"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/tencentcloud"
)

// api implements publish.ZoneAPI, publish.ByIDUpdater, publish.Preparer over EdgeOne.
// Zones (sites) are found the same way in both modes; records are DNS
// records or acceleration domains depending on the record's mode.
type api struct {
	c    *tencentcloud.Client
	mode string // the provider's default; teoDomainType overrides it
}

// ZoneID asks DescribeZones for the site called name; an empty list means
// the account has no such site.
func (a *api) ZoneID(ctx context.Context, z publish.Zone) (string, error) {
	name := z.Name
	resp, err := a.c.Call(ctx, "DescribeZones", publish.Extra{{Key: "Filters", Value: filters("zone-name", name)}})
	if err != nil {
		return "", err
	}
	id, err := parseZoneID(resp, name)
	if err != nil {
		return "", fmt.Errorf("DescribeZones: %w", err)
	}
	return id, nil
}

// Records finds the DNS records of the name and r.Type, or the
// acceleration domain of the name (whatever r.Type: a domain has one
// origin).
func (a *api) Records(ctx context.Context, z publish.Zone, sub string, r publish.Record) ([]publish.Existing, error) {
	fqdn := publish.FQDN(sub, z.Name)
	mode, _ := split(a.mode, r.Extra)
	if mode == modeDNS {
		resp, err := a.c.Call(ctx, "DescribeDnsRecords", publish.Extra{
			{Key: "ZoneId", Value: z.ID}, {Key: "Filters", Value: filters("name", fqdn)},
		})
		if err != nil {
			return nil, err
		}
		found, err := parseDNSRecords(resp, fqdn, r.Type)
		if err != nil {
			return nil, fmt.Errorf("DescribeDnsRecords: %w", err)
		}
		return found, nil
	}
	found, err := a.accelerationDomain(ctx, z.ID, fqdn)
	if err != nil || found == nil {
		return nil, err
	}
	return []publish.Existing{*found}, nil
}

// accelerationDomain returns the acceleration domain fqdn of the site, or
// nil when there is none.
func (a *api) accelerationDomain(ctx context.Context, zoneID, fqdn string) (*publish.Existing, error) {
	resp, err := a.c.Call(ctx, "DescribeAccelerationDomains", publish.Extra{
		{Key: "ZoneId", Value: zoneID}, {Key: "Filters", Value: filters("domain-name", fqdn)},
	})
	if err != nil {
		return nil, err
	}
	found, err := parseAccelerationDomain(resp, fqdn)
	if err != nil {
		return nil, fmt.Errorf("DescribeAccelerationDomains: %w", err)
	}
	return found, nil
}

// Create adds the DNS record, or the acceleration domain with the address
// as its origin, and returns its id (the record id, or the domain name).
func (a *api) Create(ctx context.Context, z publish.Zone, sub string, r publish.Record) (string, error) {
	fqdn := publish.FQDN(sub, z.Name)
	mode, extra := split(a.mode, r.Extra)
	if mode == modeDNS {
		p := publish.Extra{
			{Key: "ZoneId", Value: z.ID}, {Key: "Name", Value: fqdn},
			{Key: "Type", Value: r.Type}, {Key: "Content", Value: r.Addr.String()},
		}
		resp, err := a.c.Call(ctx, "CreateDnsRecord", append(p, extra...))
		if err != nil {
			return "", err
		}
		// The original asks for no more than an answer; the id, which
		// the API documents, is kept for the next update when present.
		id, err := parseRecordID(resp)
		if err != nil {
			return "", fmt.Errorf("CreateDnsRecord: %w", err)
		}
		return id, nil
	}
	p := publish.Extra{
		{Key: "ZoneId", Value: z.ID}, {Key: "DomainName", Value: fqdn},
		{Key: "OriginInfo", Value: publish.Extra{{Key: "OriginType", Value: "IP_DOMAIN"}, {Key: "Origin", Value: r.Addr.String()}}},
	}
	if _, err := a.c.Call(ctx, "CreateAccelerationDomain", append(p, extra...)); err != nil {
		return "", err
	}
	return fqdn, nil
}

// Update points the found DNS record or acceleration domain at r.Addr.
func (a *api) Update(ctx context.Context, z publish.Zone, sub string, e publish.Existing, r publish.Record) (string, error) {
	mode, extra := split(a.mode, r.Extra)
	if mode == modeDNS {
		return "", a.modifyDNS(ctx, z.ID, e.ID, e.Name, r, extra)
	}
	backup, _ := e.Raw.(string)
	return "", a.modifyOrigin(ctx, z.ID, e.Name, backup, r, extra)
}

// UpdateByID updates a remembered record without reading it first: one
// ModifyDnsRecords call. An acceleration domain is read first (two calls)
// because a modify without its backup origin would remove it. A site or
// record that no longer exists wraps publish.ErrNotFound so the full flow
// looks it up again.
func (a *api) UpdateByID(ctx context.Context, z publish.Zone, sub, recordID string, r publish.Record) (string, error) {
	fqdn := publish.FQDN(sub, z.Name)
	mode, extra := split(a.mode, r.Extra)
	if z.ID == "" {
		return "", fmt.Errorf("no site id remembered: %w", publish.ErrNotFound)
	}
	var err error
	switch {
	case mode == modeDNS:
		err = a.modifyDNS(ctx, z.ID, recordID, fqdn, r, extra)
	case !strings.EqualFold(recordID, fqdn): // remembered from DNS mode
		return "", fmt.Errorf("%s is not an acceleration domain id: %w", recordID, publish.ErrNotFound)
	default:
		var found *publish.Existing
		if found, err = a.accelerationDomain(ctx, z.ID, fqdn); err == nil {
			switch {
			case found == nil:
				return "", fmt.Errorf("acceleration domain %s is gone: %w", fqdn, publish.ErrNotFound)
			case strings.EqualFold(found.Value, r.Addr.String()):
				return "", nil
			}
			backup, _ := found.Raw.(string)
			err = a.modifyOrigin(ctx, z.ID, found.Name, backup, r, extra)
		}
	}
	if gone(tencentcloud.Code(err)) {
		return "", fmt.Errorf("%w: %w", publish.ErrNotFound, err)
	}
	return "", err
}

// gone reports whether an API error code says the site or the record does
// not exist (InvalidParameter.ZoneNotFound, ResourceNotFound, …).
func gone(code string) bool {
	return strings.Contains(code, "NotFound") || strings.Contains(code, "NotExist")
}

// modifyDNS sends ModifyDnsRecords for one record. The extra parameters
// are record fields (TTL, Location, Weight, …): they go into the record,
// where the API takes them, not next to ZoneId as the original sent them.
func (a *api) modifyDNS(ctx context.Context, zoneID, recordID, name string, r publish.Record, extra publish.Extra) error {
	rec := publish.Extra{
		{Key: "RecordId", Value: recordID}, {Key: "Name", Value: name},
		{Key: "Type", Value: r.Type}, {Key: "Content", Value: r.Addr.String()},
	}
	_, err := a.c.Call(ctx, "ModifyDnsRecords", publish.Extra{
		{Key: "ZoneId", Value: zoneID}, {Key: "DnsRecords", Value: []any{append(rec, extra...)}},
	})
	return err
}

// modifyOrigin sends ModifyAccelerationDomain, keeping the backup origin
// (an OriginInfo without it removes it).
func (a *api) modifyOrigin(ctx context.Context, zoneID, domain, backup string, r publish.Record, extra publish.Extra) error {
	p := publish.Extra{
		{Key: "ZoneId", Value: zoneID}, {Key: "DomainName", Value: domain},
		{Key: "OriginInfo", Value: publish.Extra{
			{Key: "OriginType", Value: "IP_DOMAIN"}, {Key: "Origin", Value: r.Addr.String()}, {Key: "BackupOrigin", Value: backup},
		}},
	}
	_, err := a.c.Call(ctx, "ModifyAccelerationDomain", append(p, extra...))
	return err
}

// filters is the one-filter list every lookup sends, members in the
// original's order.
func filters(name, value string) []any {
	return []any{publish.Extra{{Key: "Name", Value: name}, {Key: "Values", Value: []any{value}}, {Key: "Fuzzy", Value: false}}}
}
