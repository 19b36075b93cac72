package edgeone

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/tencentcloud"
)

// parseZoneID returns the id of the first site of a DescribeZones answer
// called name, or "" when there is none.
func parseZoneID(resp json.RawMessage, name string) (string, error) {
	var a struct {
		Zones []struct {
			ZoneID   tencentcloud.Text `json:"ZoneId"`
			ZoneName tencentcloud.Text `json:"ZoneName"`
		} `json:"Zones"`
	}
	if err := tencentcloud.Decode(resp, &a); err != nil {
		return "", err
	}
	for _, z := range a.Zones {
		if z.ZoneID != "" && sameName(string(z.ZoneName), name) {
			return string(z.ZoneID), nil
		}
	}
	return "", nil
}

// parseDNSRecords returns the records of a DescribeDnsRecords answer
// named fqdn with type typ, in the API's order.
func parseDNSRecords(resp json.RawMessage, fqdn, typ string) ([]publish.Existing, error) {
	var a struct {
		DNSRecords []struct {
			RecordID tencentcloud.Text `json:"RecordId"`
			Name     tencentcloud.Text `json:"Name"`
			Type     tencentcloud.Text `json:"Type"`
			Content  tencentcloud.Text `json:"Content"`
			TTL      tencentcloud.Text `json:"TTL"`
			Location tencentcloud.Text `json:"Location"`
		} `json:"DnsRecords"`
	}
	if err := tencentcloud.Decode(resp, &a); err != nil {
		return nil, err
	}
	var out []publish.Existing
	for _, r := range a.DNSRecords {
		if r.RecordID == "" || !sameName(string(r.Name), fqdn) || !strings.EqualFold(string(r.Type), typ) {
			continue
		}
		ttl, _ := strconv.Atoi(string(r.TTL))
		out = append(out, publish.Existing{ID: string(r.RecordID), Name: string(r.Name), Value: string(r.Content), TTL: ttl})
	}
	return out, nil
}

// parseAccelerationDomain returns the acceleration domain fqdn of a
// DescribeAccelerationDomains answer, or nil. Its Value is the origin and
// its Raw the backup origin (a string, "" for none).
func parseAccelerationDomain(resp json.RawMessage, fqdn string) (*publish.Existing, error) {
	var a struct {
		AccelerationDomains []struct {
			DomainName   tencentcloud.Text `json:"DomainName"`
			OriginDetail *struct {
				Origin       tencentcloud.Text `json:"Origin"`
				BackupOrigin tencentcloud.Text `json:"BackupOrigin"`
			} `json:"OriginDetail"`
		} `json:"AccelerationDomains"`
	}
	if err := tencentcloud.Decode(resp, &a); err != nil {
		return nil, err
	}
	for _, d := range a.AccelerationDomains {
		if d.DomainName == "" || !sameName(string(d.DomainName), fqdn) {
			continue
		}
		e := &publish.Existing{ID: string(d.DomainName), Name: string(d.DomainName), Raw: ""}
		if o := d.OriginDetail; o != nil {
			e.Value, e.Raw = string(o.Origin), string(o.BackupOrigin)
		}
		return e, nil
	}
	return nil, nil
}

// parseRecordID returns CreateDnsRecord's RecordId, "" when absent.
func parseRecordID(resp json.RawMessage) (string, error) {
	var a struct {
		RecordID tencentcloud.Text `json:"RecordId"`
	}
	if err := tencentcloud.Decode(resp, &a); err != nil {
		return "", err
	}
	return string(a.RecordID), nil
}

// sameName compares DNS names case-insensitively, ignoring a trailing dot.
func sameName(a, b string) bool {
	return strings.EqualFold(strings.TrimSuffix(a, "."), strings.TrimSuffix(b, "."))
}
