package cloudflare

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/ddns-go/ddns/publish"
)

// Page sizes: the zones listing allows at most 50; a records listing
// filtered by exact name is small, 10000 is the original's choice.
const (
	zonesPerPage   = 50
	recordsPerPage = 10000
)

// autoTTL is Cloudflare's "automatic" TTL, the default of a record.
const autoTTL = 1

// api implements publish.ZoneAPI, publish.ByIDUpdater and publish.Preparer.
type api struct {
	c *client
}

// ZoneID looks the zone up by its exact name (the documented "name"
// filter; the original sent "name.exact", which the zones listing ignores,
// and then only saw the first 50 zones of the account).
func (a *api) ZoneID(ctx context.Context, z publish.Zone) (string, error) {
	name := z.Name
	q := publish.Extra{{Key: "name", Value: name}, {Key: "per_page", Value: zonesPerPage}}
	result, err := a.c.call(ctx, "find zone "+name, http.MethodGet, "/zones", q, nil)
	if err != nil {
		return "", err
	}
	zones, err := parseZones(result)
	if err != nil {
		return "", fmt.Errorf("find zone %s: %w", name, err)
	}
	for _, z := range zones {
		if strings.EqualFold(z.Name, name) {
			return z.ID, nil
		}
	}
	return "", nil
}

// Records lists the records of r.Type called sub in z. When extra proxied
// is set, records in that proxied state are preferred: the listing is
// filtered by it first, and repeated without the filter when that finds
// nothing (the original's order of requests).
//
// A record that differs from a configured extra (say proxied) is marked
// Outdated, so that the engine, which compares only address and TTL,
// still updates it.
func (a *api) Records(ctx context.Context, z publish.Zone, sub string, r publish.Record) ([]publish.Existing, error) {
	extra, err := recordFields(r.Extra)
	if err != nil {
		return nil, err
	}
	fqdn := publish.FQDN(sub, z.Name)
	query := func(more ...publish.KV) publish.Extra {
		q := publish.Extra{{Key: "name.exact", Value: fqdn}, {Key: "per_page", Value: recordsPerPage}, {Key: "type", Value: r.Type}}
		return append(q, more...)
	}
	if p, ok := extra.Get("proxied"); ok {
		found, err := a.list(ctx, z, fqdn, r.Type, query(publish.KV{Key: "proxied", Value: strconv.FormatBool(p.(bool))}), extra)
		if err != nil || len(found) > 0 {
			return found, err
		}
	}
	return a.list(ctx, z, fqdn, r.Type, query(), extra)
}

func (a *api) list(ctx context.Context, z publish.Zone, fqdn, typ string, q, extra publish.Extra) ([]publish.Existing, error) {
	op := "list " + typ + " records of " + fqdn
	result, err := a.c.call(ctx, op, http.MethodGet, recordsPath(z.ID), q, nil)
	if err != nil {
		return nil, err
	}
	recs, err := parseRecords(result)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	var out []publish.Existing
	for _, rec := range recs {
		if !strings.EqualFold(rec.Name, fqdn) || rec.Type != typ {
			continue
		}
		out = append(out, publish.Existing{ID: rec.ID, Name: rec.Name, Value: rec.Content, TTL: rec.TTL, Raw: rec.fields, Outdated: drifted(rec.fields, extra)})
	}
	return out, nil
}

// Create adds the record: name, type, content, ttl when configured, the
// extras, and the default comment unless one is configured.
func (a *api) Create(ctx context.Context, z publish.Zone, sub string, r publish.Record) (string, error) {
	fqdn := publish.FQDN(sub, z.Name)
	body, err := newBody(publish.Extra{{Key: "name", Value: fqdn}, {Key: "type", Value: r.Type}}, r, 0)
	if err != nil {
		return "", err
	}
	op := "create " + r.Type + " record " + fqdn
	result, err := a.c.call(ctx, op, http.MethodPost, recordsPath(z.ID), nil, publish.PyJSON(body))
	if err != nil {
		return "", err
	}
	id, err := parseID(result)
	if err != nil {
		return "", fmt.Errorf("%s: %w", op, err)
	}
	return id, nil
}

// Update overwrites the record just listed (PUT, the original's request).
// An overwrite resets every field it does not carry, so proxied, tags and
// settings are carried over from the record unless configured, and so is
// a TTL that is not automatic (the original let it fall back to automatic).
func (a *api) Update(ctx context.Context, z publish.Zone, sub string, e publish.Existing, r publish.Record) (string, error) {
	name := e.Name
	if name == "" {
		name = publish.FQDN(sub, z.Name)
	}
	keepTTL := 0
	if e.TTL > autoTTL {
		keepTTL = e.TTL
	}
	body, err := newBody(publish.Extra{{Key: "type", Value: r.Type}, {Key: "name", Value: name}}, r, keepTTL)
	if err != nil {
		return "", err
	}
	fields, _ := e.Raw.(map[string]json.RawMessage)
	for _, k := range []string{"proxied", "tags", "settings"} {
		if v, ok := fields[k]; ok && string(v) != "null" {
			body = withDefault(body, k, v)
		}
	}
	op := "update " + r.Type + " record " + name
	_, err = a.c.call(ctx, op, http.MethodPut, recordPath(z.ID, e.ID), nil, publish.PyJSON(body))
	return "", err
}

// UpdateByID edits the record remembered in the state file (PATCH: fields
// not sent keep their values), so an address change costs one call. A
// record or zone that no longer exists wraps publish.ErrNotFound.
func (a *api) UpdateByID(ctx context.Context, z publish.Zone, sub, recordID string, r publish.Record) (string, error) {
	if z.ID == "" {
		return "", fmt.Errorf("no zone id remembered for %s: %w", z.Name, publish.ErrNotFound)
	}
	fqdn := publish.FQDN(sub, z.Name)
	body, err := newBody(publish.Extra{{Key: "type", Value: r.Type}, {Key: "name", Value: fqdn}}, r, 0)
	if err != nil {
		return "", err
	}
	op := "update " + r.Type + " record " + fqdn
	_, err = a.c.call(ctx, op, http.MethodPatch, recordPath(z.ID, recordID), nil, publish.PyJSON(body))
	if notFound(err) {
		return "", fmt.Errorf("%w (%w)", err, publish.ErrNotFound)
	}
	return "", err
}

// newBody is the JSON body of a write: head (name and type, in the
// original's order for that request), content, ttl (the configured one,
// else fallbackTTL when not 0), the extras in order, and the default
// comment.
func newBody(head publish.Extra, r publish.Record, fallbackTTL int) (publish.Extra, error) {
	extra, err := recordFields(r.Extra)
	if err != nil {
		return nil, err
	}
	body := append(head, publish.KV{Key: "content", Value: r.Addr.String()})
	switch {
	case r.TTL != 0:
		body = append(body, publish.KV{Key: "ttl", Value: r.TTL})
	case fallbackTTL != 0:
		body = append(body, publish.KV{Key: "ttl", Value: fallbackTTL})
	}
	body = append(body, extra...)
	return withDefault(body, "comment", remark), nil
}

func recordsPath(zoneID string) string {
	return "/zones/" + url.PathEscape(zoneID) + "/dns_records"
}

func recordPath(zoneID, recordID string) string {
	return recordsPath(zoneID) + "/" + url.PathEscape(recordID)
}

// Prepare refuses bad extras before any request.
func (a *api) Prepare(r publish.Record) (publish.Record, error) {
	_, err := recordFields(r.Extra)
	return r, err
}
