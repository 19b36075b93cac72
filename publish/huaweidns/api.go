package huaweidns

import (
	"context"
	"fmt"
	"net/http"
	"sort"

	"github.com/ddns-go/ddns/publish"
)

// pageSize is the largest page the API serves. One page is enough: the
// queries filter by exact name (and type), so they match a handful of
// zones or record sets at most.
const pageSize = 500

// remark is the description written on records unless the user sets
// "description" in extra; the original's text, kept so both clients label
// records alike.
const remark = "Managed by [DDNS](https://ddns.newfuture.cc)"

// api implements publish.ZoneAPI, publish.ByIDUpdater, publish.Preparer over the Huawei
// Cloud DNS REST API: zones v2, record sets v2.1 (which know lines).
type api struct{ c *client }

// ZoneID looks the public zone up by exact name.
func (a *api) ZoneID(ctx context.Context, z publish.Zone) (string, error) {
	name := z.Name
	body, err := a.c.do(ctx, call{
		op: "find zone " + name, method: http.MethodGet, path: "/v2/zones",
		query: publish.Extra{{Key: "search_mode", Value: "equal"}, {Key: "limit", Value: pageSize}, {Key: "name", Value: name + "."}},
	})
	if err != nil {
		return "", err
	}
	id, err := parseZoneID(body, name)
	if err != nil {
		return "", fmt.Errorf("find zone %s: %w", name, err)
	}
	return id, nil
}

// Records lists the record sets of r.Type named sub in z, on r.Line when
// one is configured. Without a line, record sets on the default line come
// first, so the one every resolver sees is the one updated.
func (a *api) Records(ctx context.Context, z publish.Zone, sub string, r publish.Record) ([]publish.Existing, error) {
	fqdn := publish.FQDN(sub, z.Name) + "."
	q := publish.Extra{{Key: "limit", Value: pageSize}, {Key: "name", Value: fqdn}, {Key: "type", Value: r.Type}}
	if r.Line != "" {
		q = append(q, publish.KV{Key: "line_id", Value: r.Line})
	}
	q = append(q, publish.KV{Key: "search_mode", Value: "equal"})
	op := fmt.Sprintf("list %s %s", fqdn, r.Type)
	body, err := a.c.do(ctx, call{op: op, method: http.MethodGet, path: recordsPath(z.ID), query: q})
	if err != nil {
		return nil, err
	}
	found, err := parseRecords(body, fqdn, r.Type)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if r.Line == "" {
		sort.SliceStable(found, func(i, j int) bool { return rank(found[i]) < rank(found[j]) })
	}
	return found, nil
}

// rank orders record sets without a configured line: default line first.
func rank(e publish.Existing) int {
	if e.Line == "" || e.Line == defaultLine {
		return 0
	}
	return 1
}

// Create adds a record set holding r.Addr; TTL and line only when
// configured (the service defaults are 300 s and default_view).
func (a *api) Create(ctx context.Context, z publish.Zone, sub string, r publish.Record) (string, error) {
	fqdn := publish.FQDN(sub, z.Name) + "."
	p := members(fqdn, r, r.TTL)
	if r.Line != "" {
		p = append(p, publish.KV{Key: "line", Value: r.Line})
	}
	op := fmt.Sprintf("create %s %s", fqdn, r.Type)
	return a.write(ctx, op, http.MethodPost, recordsPath(z.ID), withExtra(p, r.Extra))
}

// Update points the found record set at r.Addr. Like the original it
// re-sends the record's own TTL when none is configured; the line cannot
// be changed by the v2.1 update.
func (a *api) Update(ctx context.Context, z publish.Zone, sub string, e publish.Existing, r publish.Record) (string, error) {
	name := e.Name
	if name == "" {
		name = publish.FQDN(sub, z.Name) + "."
	}
	ttl := r.TTL
	if ttl == 0 {
		ttl = e.TTL
	}
	op := fmt.Sprintf("update %s %s", name, r.Type)
	_, err := a.write(ctx, op, http.MethodPut, recordsPath(z.ID)+"/"+escapeSegment(e.ID), withExtra(members(name, r, ttl), r.Extra))
	return "", err
}

// UpdateByID updates a record set known from the state file in one call.
// Without a configured TTL none is sent: the API then keeps the record's
// TTL, which saves reading it first. A 404 (zone or record set gone) wraps
// publish.ErrNotFound so the caller looks the record up again.
func (a *api) UpdateByID(ctx context.Context, z publish.Zone, sub, recordID string, r publish.Record) (string, error) {
	fqdn := publish.FQDN(sub, z.Name) + "."
	if z.ID == "" {
		return "", fmt.Errorf("update %s %s: no zone id remembered: %w", fqdn, r.Type, publish.ErrNotFound)
	}
	op := fmt.Sprintf("update %s %s", fqdn, r.Type)
	_, err := a.write(ctx, op, http.MethodPut, recordsPath(z.ID)+"/"+escapeSegment(recordID), withExtra(members(fqdn, r, r.TTL), r.Extra))
	if err != nil && isNotFound(err) {
		return "", fmt.Errorf("%w: %w", publish.ErrNotFound, err)
	}
	return "", err
}

// write sends a create or update and returns the record set id the
// answer must hold.
func (a *api) write(ctx context.Context, op, method, path string, p publish.Extra) (string, error) {
	body, err := a.c.do(ctx, call{op: op, method: method, path: path, body: p})
	if err != nil {
		return "", err
	}
	id, err := parseRecordID(body)
	if err != nil {
		return "", fmt.Errorf("%s: %w", op, err)
	}
	return id, nil
}

// members are the leading JSON members of a create or update, in the
// original's order; ttl 0 is left out.
func members(name string, r publish.Record, ttl int) publish.Extra {
	p := publish.Extra{
		{Key: "name", Value: name},
		{Key: "type", Value: r.Type},
		{Key: "records", Value: []any{r.Addr.String()}},
	}
	if ttl != 0 {
		p = append(p, publish.KV{Key: "ttl", Value: ttl})
	}
	return p
}

// withExtra appends the user's extra members (nulls dropped), then the
// default description unless the user gave one. Keys that collide with
// the provider's own members are refused earlier, by Prepare.
func withExtra(p, extra publish.Extra) publish.Extra {
	for _, kv := range extra {
		if kv.Value != nil {
			p = append(p, kv)
		}
	}
	if _, ok := extra.Get("description"); !ok {
		p = append(p, publish.KV{Key: "description", Value: remark})
	}
	return p
}

func recordsPath(zoneID string) string {
	return "/v2.1/zones/" + escapeSegment(zoneID) + "/recordsets"
}
