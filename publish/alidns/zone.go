package alidns

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/rs/zerolog"

	"github.com/ddns-go/ddns/publish"
)

// maxZonePages bounds the DescribeDomains pages read for one main domain:
// 20 pages of 100 zones whose names contain it is far more than any
// account has, and a misbehaving answer cannot loop forever.
const maxZonePages = 20

// api implements publish.ZoneAPI, publish.ByIDUpdater and
// publish.Preparer. Zones are
// addressed by name, so a zone's id is its name.
type api struct {
	c   *client
	log zerolog.Logger

	mu     sync.Mutex
	mains  map[string]string          // name asked → its main domain
	held   map[string]map[string]bool // main domain → the account's zones under it
	noList bool                       // the key may not list zones (a narrow RAM policy)
}

// ZoneID answers whether the account holds name as a zone.
//
// The original asks GetMainDomainName for the main (registrable) domain
// and uses it: one call for the usual www.example.com, kept here. But an
// account may also hold sub-domain zones, and the longest zone must win.
// ZoneFlow asks the longest candidate first, so:
//   - a zone the user named (sub~zone) is taken as is;
//   - once the account's zones under the main domain are known, they decide;
//   - a name two or more labels below its main domain has them listed
//     (DescribeDomains, once per main domain): only then can a zone lie
//     between a name and its main domain;
//   - otherwise the main domain is taken as held (the record list that
//     follows fails with "zone not found" if it is not) and a name one
//     label below it is not a zone of its own.
func (a *api) ZoneID(ctx context.Context, z publish.Zone) (string, error) {
	name := z.Name
	if z.Named {
		return name, nil
	}
	a.mu.Lock()
	suffix := a.publicSuffix(name)
	a.mu.Unlock()
	if suffix {
		return "", nil
	}
	main, err := a.mainOf(ctx, name)
	if err != nil {
		return "", err
	}
	a.mu.Lock()
	zones, listed := a.held[main]
	noList := a.noList
	a.mu.Unlock()
	if !listed && !noList && depth(name, main) >= 2 {
		zones, err = a.listZones(ctx, main)
		switch {
		case err == nil:
			listed = true
		case refused(err):
			// A key limited to the record calls worked with the original;
			// keep it working the original's way.
			a.mu.Lock()
			a.noList = true
			a.mu.Unlock()
			a.log.Warn().Msgf("alidns: cannot list the account's zones, so sub-domain zones are not looked for: %v", err)
		default:
			return "", err
		}
	}
	if zones[name] || (!listed && name == main) {
		return name, nil
	}
	return "", nil
}

// publicSuffix reports whether name lies above a main domain already
// seen: a public suffix such as com.cn, never a zone. a.mu is held.
func (a *api) publicSuffix(name string) bool {
	for _, m := range a.mains {
		if strings.HasSuffix(m, "."+name) {
			return true
		}
	}
	return false
}

// mainOf returns the main domain of name, asking GetMainDomainName only
// when no earlier answer implies it: every name between an asked name and
// its main domain has that same main domain (same public suffix).
func (a *api) mainOf(ctx context.Context, name string) (string, error) {
	a.mu.Lock()
	for asked, m := range a.mains {
		if within(asked, name) && within(name, m) {
			a.mu.Unlock()
			return m, nil
		}
	}
	a.mu.Unlock()
	const action = "GetMainDomainName"
	resp, err := a.c.call(ctx, action, publish.Extra{{Key: "InputString", Value: name}})
	if err != nil {
		return "", err
	}
	ans, err := parseMain(resp)
	if err != nil {
		return "", wrap(action, err)
	}
	if !within(name, ans.DomainName) {
		return "", fmt.Errorf("%s: answered %q, which does not contain %s", action, ans.DomainName, name)
	}
	a.mu.Lock()
	if a.mains == nil {
		a.mains = map[string]string{}
	}
	a.mains[name] = ans.DomainName
	a.mu.Unlock()
	return ans.DomainName, nil
}

// listZones returns the account's zones at or below main, and remembers
// them. DescribeDomains' KeyWord matches any zone containing the text, so
// the answer is filtered by suffix.
func (a *api) listZones(ctx context.Context, main string) (map[string]bool, error) {
	const action = "DescribeDomains"
	zones := map[string]bool{}
	seen := 0
	for page := 1; page <= maxZonePages; page++ {
		resp, err := a.c.call(ctx, action, publish.Extra{{Key: "KeyWord", Value: main}, {Key: "PageNumber", Value: page}, {Key: "PageSize", Value: 100}})
		if err != nil {
			return nil, err
		}
		names, total, err := parseDomains(resp)
		if err != nil {
			return nil, wrap(action, err)
		}
		for _, n := range names {
			if within(n, main) {
				zones[n] = true
			}
		}
		seen += len(names)
		if len(names) == 0 || seen >= total {
			break
		}
	}
	a.mu.Lock()
	if a.held == nil {
		a.held = map[string]map[string]bool{}
	}
	a.held[main] = zones
	a.mu.Unlock()
	return zones, nil
}

// Records lists the records of r.Type at sub in z (and on r.Line when
// configured), in the API's order. The extras Lang and Status are passed
// as list filters, as the original does.
func (a *api) Records(ctx context.Context, z publish.Zone, sub string, r publish.Record) ([]publish.Existing, error) {
	const action = "DescribeSubDomainRecords"
	params := publish.Extra{
		{Key: "SubDomain", Value: publish.FQDN(sub, z.Name)},
		{Key: "DomainName", Value: z.Name},
		{Key: "Type", Value: r.Type},
		{Key: "PageSize", Value: 500},
	}
	if r.Line != "" {
		params = append(params, publish.KV{Key: "Line", Value: r.Line})
	}
	for _, k := range []string{"Lang", "Status"} {
		if v, ok := r.Extra.Get(k); ok {
			params = append(params, publish.KV{Key: k, Value: v})
		}
	}
	resp, err := a.c.call(ctx, action, params)
	if err != nil {
		return nil, err
	}
	recs, err := parseRecords(resp)
	if zoneMissing(err) {
		return nil, publish.Permanent(fmt.Errorf("zone %s not found in this account: %w", z.Name, err))
	}
	if err != nil {
		return nil, wrap(action, err)
	}
	return recs, nil
}

// Create adds the record; TTL and line are sent only when configured (the
// service defaults are 600 s and "default"), extras are appended.
func (a *api) Create(ctx context.Context, z publish.Zone, sub string, r publish.Record) (string, error) {
	const action = "AddDomainRecord"
	params := publish.Extra{
		{Key: "DomainName", Value: z.Name},
		{Key: "RR", Value: sub},
		{Key: "Value", Value: r.Addr.String()},
		{Key: "Type", Value: r.Type},
	}
	params = append(optional(params, r.TTL, r.Line), r.Extra...)
	resp, err := a.c.call(ctx, action, params)
	if err != nil {
		return "", err
	}
	id, err := parseRecordID(resp)
	if zoneMissing(err) {
		return "", publish.Permanent(fmt.Errorf("zone %s not found in this account: %w", z.Name, err))
	}
	if err != nil {
		return "", wrap(action, err)
	}
	return id, nil
}

// Update points the found record at r.Addr, keeping its host record and,
// unless a line is configured, its line.
func (a *api) Update(ctx context.Context, z publish.Zone, sub string, e publish.Existing, r publish.Record) (string, error) {
	rr, line := e.Name, r.Line
	if rr == "" {
		rr = sub
	}
	if line == "" {
		line = e.Line
	}
	return "", a.update(ctx, e.ID, rr, line, r)
}

// UpdateByID updates a remembered record without reading it first. The
// line is sent only when configured: the record's own is not known here.
// A record that is gone, or that the API calls a duplicate (someone else
// already set the address), wraps publish.ErrNotFound so that the full
// flow looks again.
func (a *api) UpdateByID(ctx context.Context, z publish.Zone, sub, recordID string, r publish.Record) (string, error) {
	err := a.update(ctx, recordID, sub, r.Line, r)
	switch code(err) {
	case "DomainRecordNotBelongToUser", "InvalidRecordId.NotFound", "DomainRecordDuplicate":
		return "", fmt.Errorf("record %s: %w: %v", recordID, publish.ErrNotFound, err)
	}
	return "", err
}

func (a *api) update(ctx context.Context, id, rr, line string, r publish.Record) error {
	const action = "UpdateDomainRecord"
	params := publish.Extra{
		{Key: "RecordId", Value: id},
		{Key: "RR", Value: rr},
		{Key: "Value", Value: r.Addr.String()},
		{Key: "Type", Value: r.Type},
	}
	params = append(optional(params, r.TTL, line), r.Extra...)
	resp, err := a.c.call(ctx, action, params)
	if err != nil {
		return err
	}
	if _, err := parseRecordID(resp); err != nil {
		return wrap(action, err)
	}
	return nil
}

// optional appends TTL and Line when they are set.
func optional(params publish.Extra, ttl int, line string) publish.Extra {
	if ttl != 0 {
		params = append(params, publish.KV{Key: "TTL", Value: ttl})
	}
	if line != "" {
		params = append(params, publish.KV{Key: "Line", Value: line})
	}
	return params
}

// within reports whether name is zone or below it.
func within(name, zone string) bool {
	return name == zone || strings.HasSuffix(name, "."+zone)
}

// depth is how many labels name has below zone, which must contain it.
func depth(name, zone string) int {
	if name == zone {
		return 0
	}
	return strings.Count(strings.TrimSuffix(name, "."+zone), ".") + 1
}
