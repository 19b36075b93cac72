package tencentcloud

import (
	"context"
	"fmt"
	"sort"
	"strconv"

	"github.com/ddns-go/ddns/publish"
)

const (
	defaultLine = "默认" // DNSPod's default line, as the API spells it
	// remark is written on created and updated records unless the user
	// sets Remark in extra: the original's text, so both clients label
	// records alike.
	remark = "Managed by [DDNS](https://ddns.newfuture.cc)"
)

// zoneMissing are the codes DNSPod answers for a domain that is not in
// the account (or not a domain at all: discovery also asks for
// "www.example.com"); discovery then moves on to the next candidate.
var zoneMissing = map[string]bool{
	"InvalidParameterValue.DomainNotExists":       true,
	"ResourceNotFound.NoDataOfDomain":             true,
	"InvalidParameter.DomainInvalid":              true,
	"InvalidParameter.DomainIdInvalid":            true,
	"FailedOperation.NotDomainOwner":              true,
	"FailedOperation.DomainOwnedByOtherUser":      true,
	"OperationDenied.NoPermissionToOperateDomain": true,
}

// recordMissing are the codes of a ModifyRecord whose record is gone.
var recordMissing = map[string]bool{
	"InvalidParameter.RecordIdInvalid": true,
	"ResourceNotFound.NoDataOfRecord":  true,
}

// api implements publish.ZoneAPI, publish.ByIDUpdater, publish.Preparer over the DNSPod
// API 3.0 (DescribeDomain, DescribeRecordList, CreateRecord, ModifyRecord).
type api struct{ c *Client }

// ZoneID asks DescribeDomain; the zone id is DNSPod's numeric DomainId.
func (a *api) ZoneID(ctx context.Context, z publish.Zone) (string, error) {
	name := z.Name
	resp, err := a.c.Call(ctx, "DescribeDomain", publish.Extra{{Key: "Domain", Value: name}})
	if err != nil {
		if zoneMissing[Code(err)] {
			return "", nil
		}
		return "", err
	}
	id, err := parseDomainID(resp)
	if err != nil {
		return "", fmt.Errorf("DescribeDomain: %w", err)
	}
	return id, nil
}

// Records lists the records of sub and r.Type, on r.Line when one is
// configured. Without a line, default-line records come first so they are
// the ones updated. Unlike the original, extra parameters are not sent to
// this listing (DescribeRecordList refuses create-only ones, and the
// original then took the failure for "no record" and created a duplicate).
func (a *api) Records(ctx context.Context, z publish.Zone, sub string, r publish.Record) ([]publish.Existing, error) {
	p := publish.Extra{
		{Key: "DomainId", Value: domainID(z)},
		{Key: "Subdomain", Value: sub},
		{Key: "Domain", Value: z.Name},
		{Key: "RecordType", Value: r.Type},
	}
	if r.Line != "" {
		p = append(p, publish.KV{Key: "RecordLine", Value: r.Line})
	}
	resp, err := a.c.Call(ctx, "DescribeRecordList", p)
	if err != nil {
		if Code(err) == "ResourceNotFound.NoDataOfRecord" { // "the list is empty"
			return nil, nil
		}
		return nil, err
	}
	found, err := parseRecords(resp, sub, r.Type)
	if err != nil {
		return nil, fmt.Errorf("DescribeRecordList: %w", err)
	}
	if r.Line == "" {
		sort.SliceStable(found, func(i, j int) bool { return rank(found[i].Line) < rank(found[j].Line) })
	}
	return found, nil
}

// rank orders records for an unconfigured line: the default line first.
func rank(line string) int {
	if line == defaultLine {
		return 0
	}
	return 1
}

// Create adds the record on the configured line (else the default one),
// with the TTL when one is configured.
func (a *api) Create(ctx context.Context, z publish.Zone, sub string, r publish.Record) (string, error) {
	line := r.Line
	if line == "" {
		line = defaultLine
	}
	p := publish.Extra{
		{Key: "Domain", Value: z.Name},
		{Key: "DomainId", Value: domainID(z)},
		{Key: "SubDomain", Value: sub},
		{Key: "RecordType", Value: r.Type},
		{Key: "Value", Value: r.Addr.String()},
		{Key: "RecordLine", Value: line},
	}
	resp, err := a.c.Call(ctx, "CreateRecord", withExtra(withTTL(p, r), r.Extra))
	if err != nil {
		return "", err
	}
	id, err := parseRecordID(resp)
	if err != nil {
		return "", fmt.Errorf("CreateRecord: %w", err)
	}
	return ref(id, line), nil
}

// Update points the found record at r.Addr, keeping its name and line.
func (a *api) Update(ctx context.Context, z publish.Zone, sub string, e publish.Existing, r publish.Record) (string, error) {
	name := e.Name
	if name == "" {
		name = sub
	}
	id, line := parseRef(e.ID)
	if e.Line != "" {
		line = e.Line
	}
	return "", a.modify(ctx, z, name, id, line, r)
}

// UpdateByID modifies a remembered record without listing it first: one
// call. A record or zone that no longer exists, or a configured line that
// is not the remembered record's, wraps publish.ErrNotFound so the full
// flow finds (or creates) the right record.
func (a *api) UpdateByID(ctx context.Context, z publish.Zone, sub, recordID string, r publish.Record) (string, error) {
	id, line := parseRef(recordID)
	if r.Line != "" && r.Line != line {
		return "", fmt.Errorf("the remembered record is on line %s, not %s: %w", line, r.Line, publish.ErrNotFound)
	}
	err := a.modify(ctx, z, sub, id, line, r)
	if c := Code(err); recordMissing[c] || zoneMissing[c] {
		return "", fmt.Errorf("%w: %w", publish.ErrNotFound, err)
	}
	return "", err
}

// modify sends ModifyRecord. The zone goes by id (DomainId takes
// precedence over Domain, documented), Domain staying "" as the original
// sends it; without a remembered id, by name.
func (a *api) modify(ctx context.Context, z publish.Zone, sub, id, line string, r publish.Record) error {
	recordID, err := strconv.ParseUint(id, 10, 64)
	if err != nil {
		return fmt.Errorf("record id %q is not a DNSPod id: %w", id, publish.ErrNotFound)
	}
	domain := ""
	if domainID(z) == nil {
		domain = z.Name
	}
	p := publish.Extra{
		{Key: "Domain", Value: domain},
		{Key: "DomainId", Value: domainID(z)},
		{Key: "SubDomain", Value: sub},
		{Key: "RecordId", Value: int64(recordID)},
		{Key: "RecordType", Value: r.Type},
		{Key: "RecordLine", Value: line},
		{Key: "Value", Value: r.Addr.String()},
	}
	resp, err := a.c.Call(ctx, "ModifyRecord", withExtra(withTTL(p, r), r.Extra))
	if err != nil {
		return err
	}
	if _, err := parseRecordID(resp); err != nil {
		return fmt.Errorf("ModifyRecord: %w", err)
	}
	return nil
}

// domainID is the zone id as the integer the API wants, or nil (not sent)
// when there is none.
func domainID(z publish.Zone) any {
	id, err := strconv.ParseInt(z.ID, 10, 64)
	if err != nil {
		return nil
	}
	return id
}

// withTTL adds the configured TTL; 0 means "not configured": the domain's
// default applies on create and the record keeps its TTL on modify.
func withTTL(p publish.Extra, r publish.Record) publish.Extra {
	if r.TTL != 0 {
		p = append(p, publish.KV{Key: "TTL", Value: r.TTL})
	}
	return p
}

// withExtra appends the user's extra parameters, then the default Remark
// unless the user gave one. Keys that collide with the provider's own
// parameters were refused earlier, by Prepare.
func withExtra(p, extra publish.Extra) publish.Extra {
	p = append(p, extra...)
	if _, ok := extra.Get("Remark"); !ok {
		p = append(p, publish.KV{Key: "Remark", Value: remark})
	}
	return p
}
