package dnspod

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/ddns-go/ddns/publish"
)

// api implements publish.ZoneAPI, publish.ByIDUpdater, publish.Preparer over DNSPod's
// legacy token API: every action is a POST of a form to <endpoint>/<Action>.
type api struct {
	s           publish.Settings
	endpoint    string // without a trailing slash
	defaultLine string // "默认" (dnsapi.cn) or "default" (api.dnspod.com)
}

// ZoneID asks Domain.Info. Codes 6 (no such domain) and 8 (a domain of
// another account) mean "not in this account", so discovery moves on to
// the next candidate.
func (a *api) ZoneID(ctx context.Context, z publish.Zone) (string, error) {
	name := z.Name
	ans, err := a.call(ctx, "Domain.Info", publish.Extra{{Key: "domain", Value: name}})
	if err != nil {
		return "", err
	}
	switch ans.Status.Code {
	case codeOK:
		if ans.Domain == nil || ans.Domain.ID == "" {
			return "", fmt.Errorf("Domain.Info: %w (no domain id)", errMalformed)
		}
		return string(ans.Domain.ID), nil
	case codeDomainID, codeNotOwner:
		return "", nil
	}
	return "", apiError("Domain.Info", ans)
}

// Records lists the records of sub and r.Type. A configured line filters
// with record_line (the documented name); without one, records on the
// default line come first so they are the ones updated.
func (a *api) Records(ctx context.Context, z publish.Zone, sub string, r publish.Record) ([]publish.Existing, error) {
	params := publish.Extra{
		{Key: "domain_id", Value: z.ID},
		{Key: "sub_domain", Value: sub},
		{Key: "record_type", Value: r.Type},
	}
	if r.Line != "" {
		params = append(params, publish.KV{Key: "record_line", Value: r.Line})
	}
	ans, err := a.call(ctx, "Record.List", params)
	if err != nil {
		return nil, err
	}
	switch ans.Status.Code {
	case codeOK:
	case codeNoRecords:
		return nil, nil
	default:
		return nil, apiError("Record.List", ans)
	}
	var out []publish.Existing
	for _, rec := range ans.Records {
		// The sub_domain filter is exact, but check anyway: a record
		// of another name must never be overwritten, and one without
		// an id cannot be updated.
		if rec.ID == "" || !strings.EqualFold(string(rec.Name), sub) || (rec.Type != "" && !strings.EqualFold(string(rec.Type), r.Type)) {
			continue
		}
		line := normLine(string(rec.Line))
		ttl, _ := strconv.Atoi(string(rec.TTL))
		out = append(out, publish.Existing{
			ID:    a.ref(string(rec.ID), line),
			Name:  string(rec.Name),
			Value: string(rec.Value),
			TTL:   ttl,
			Line:  line,
		})
	}
	sort.SliceStable(out, func(i, j int) bool { return a.rank(out[i].Line) < a.rank(out[j].Line) })
	return out, nil
}

// Create adds the record on the configured line (else the default one).
func (a *api) Create(ctx context.Context, z publish.Zone, sub string, r publish.Record) (string, error) {
	line := a.lineOr(r.Line, "")
	params := publish.Extra{
		{Key: "domain_id", Value: z.ID},
		{Key: "sub_domain", Value: sub},
		{Key: "value", Value: r.Addr.String()},
		{Key: "record_type", Value: r.Type},
		{Key: "record_line", Value: line},
	}
	ans, err := a.call(ctx, "Record.Create", withTTL(params, r).Merge(r.Extra))
	if err != nil {
		return "", err
	}
	if ans.Status.Code != codeOK {
		return "", apiError("Record.Create", ans)
	}
	if ans.Record == nil || ans.Record.ID == "" {
		return "", fmt.Errorf("Record.Create: %w (no record id)", errMalformed)
	}
	return a.ref(string(ans.Record.ID), line), nil
}

// Update points the found record at r.Addr, keeping its name and, unless
// a line is configured, its line.
func (a *api) Update(ctx context.Context, z publish.Zone, _ string, e publish.Existing, r publish.Record) (string, error) {
	return "", a.modify(ctx, z, e.Name, e.ID, r)
}

// UpdateByID modifies a remembered record without listing first: one
// call. A record or zone that no longer exists wraps publish.ErrNotFound.
func (a *api) UpdateByID(ctx context.Context, z publish.Zone, sub, recordID string, r publish.Record) (string, error) {
	return "", a.modify(ctx, z, sub, recordID, r)
}

// modify sends Record.Modify. ref is the id as Records and Create return
// it; the line it may carry is used when none is configured, because
// record_line is mandatory and a wrong one would move the record.
func (a *api) modify(ctx context.Context, z publish.Zone, sub, ref string, r publish.Record) error {
	id, line := parseRef(ref)
	params := publish.Extra{
		zoneParam(z),
		{Key: "record_id", Value: id},
		{Key: "sub_domain", Value: sub},
		{Key: "record_type", Value: r.Type},
		{Key: "value", Value: r.Addr.String()},
		{Key: "record_line", Value: a.lineOr(r.Line, line)},
	}
	ans, err := a.call(ctx, "Record.Modify", withTTL(params, r).Merge(r.Extra))
	if err != nil {
		return err
	}
	switch ans.Status.Code {
	case codeOK:
		return nil
	case codeRecordID, codeDomainID:
		// Deleted since we remembered it: the caller looks it up again.
		return fmt.Errorf("Record.Modify: API error %s: %s: %w", ans.Status.Code, publish.OneLine(string(ans.Status.Message), 200), publish.ErrNotFound)
	}
	return apiError("Record.Modify", ans)
}

// zoneParam names the zone by id, or by name when no id was remembered
// (DNSPod accepts either).
func zoneParam(z publish.Zone) publish.KV {
	if z.ID == "" {
		return publish.KV{Key: "domain", Value: z.Name}
	}
	return publish.KV{Key: "domain_id", Value: z.ID}
}

// withTTL adds the configured TTL; 0 means "not configured": the zone's
// default applies on create and the record keeps its TTL on modify.
func withTTL(params publish.Extra, r publish.Record) publish.Extra {
	if r.TTL > 0 {
		params = append(params, publish.KV{Key: "ttl", Value: r.TTL})
	}
	return params
}

// lineOr picks the line to send: the configured one, else the record's,
// else the default line.
func (a *api) lineOr(configured, record string) string {
	switch {
	case configured != "":
		return configured
	case record != "":
		return record
	}
	return a.defaultLine
}

func (a *api) isDefault(line string) bool { return line == "" || line == a.defaultLine }

// rank orders records for an unconfigured line: default line first.
func (a *api) rank(line string) int {
	if a.isDefault(line) {
		return 0
	}
	return 1
}

// normLine spells lines as DNSPod accepts them: the international API
// lists its default line as "Default" but expects "default" (as the
// original client does).
func normLine(line string) string { return strings.ReplaceAll(line, "Default", "default") }

// A record reference is what the state file keeps as the record id: the
// DNSPod id, plus "/<line>" when the record is not on the default line.
// Record.Modify requires the line, and updating by id with the default
// line would silently move such a record. DNSPod ids are numeric, so the
// first "/" always separates.
func (a *api) ref(id, line string) string {
	if a.isDefault(line) {
		return id
	}
	return id + "/" + line
}

func parseRef(ref string) (id, line string) {
	id, line, _ = strings.Cut(ref, "/")
	return id, line
}
