package aliesa

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/alidns"
)

// Page sizes: ListSites' maximum, so the exact site is in the first page
// even where the service matches loosely; ListRecords' as the original
// sends it (an exact name has a handful of records).
const (
	sitesPageSize   = 500
	recordsPageSize = 100
)

// api implements publish.ZoneAPI, publish.ByIDUpdater, publish.Preparer. A zone is an
// ESA site; its id is the numeric SiteId.
type api struct {
	c      *client
	remark string // the default Comment: "Managed by DDNS <start time>"
}

// ZoneID returns the SiteId of the site called name, "" if the account
// has none.
func (a *api) ZoneID(ctx context.Context, z publish.Zone) (string, error) {
	name := z.Name
	const action = "ListSites"
	resp, err := a.c.get(ctx, action, publish.Extra{{Key: "SiteName", Value: name}, {Key: "PageSize", Value: sitesPageSize}})
	if err != nil {
		return "", err
	}
	id, err := parseSiteID(resp, name)
	if err != nil {
		return "", wrap(action, err)
	}
	return id, nil
}

// Records lists the A/AAAA records called sub in z that hold an address
// of r.Type's family. A configured Proxied extra that the record does not
// have marks it Outdated, so that it is updated
// even when it holds the address.
func (a *api) Records(ctx context.Context, z publish.Zone, sub string, r publish.Record) ([]publish.Existing, error) {
	const action = "ListRecords"
	fqdn := publish.FQDN(sub, z.Name)
	resp, err := a.c.get(ctx, action, publish.Extra{
		{Key: "SiteId", Value: z.ID},
		{Key: "RecordName", Value: fqdn},
		{Key: "Type", Value: esaType(r.Type)},
		{Key: "RecordMatchType", Value: "exact"},
		{Key: "PageSize", Value: recordsPageSize},
	})
	if err != nil {
		return nil, err
	}
	found, err := parseRecords(resp, fqdn, r.Type)
	if siteMissing(err) {
		return nil, publish.Permanent(fmt.Errorf("site %s (SiteId %s) not found in this account: %w", z.Name, z.ID, err))
	}
	if err != nil {
		return nil, wrap(action, err)
	}
	if want, ok := r.Extra.Get("Proxied"); ok {
		for i, e := range found {
			if have, _ := e.Raw.(*bool); have == nil || *have != want.(bool) {
				found[i].Outdated = true
			}
		}
	}
	return found, nil
}

// Create adds the record: TTL 1 (automatic) unless configured, then the
// extras, then the original's defaults for what they lack: a Comment,
// BizName "web" and Proxied true.
func (a *api) Create(ctx context.Context, z publish.Zone, sub string, r publish.Record) (string, error) {
	const action = "CreateRecord"
	ttl := r.TTL
	if ttl == 0 {
		ttl = 1
	}
	params := publish.Extra{
		{Key: "SiteId", Value: jsonNumber(z.ID)},
		{Key: "RecordName", Value: publish.FQDN(sub, z.Name)},
		{Key: "Type", Value: esaType(r.Type)},
		{Key: "Data", Value: publish.Extra{{Key: "Value", Value: r.Addr.String()}}},
		{Key: "Ttl", Value: ttl},
	}
	params = append(params, r.Extra...)
	params = withDefault(params, "Comment", a.remark)
	params = withDefault(params, "BizName", "web")
	params = withDefault(params, "Proxied", true)
	resp, err := a.c.post(ctx, action, params)
	if err != nil {
		return "", err
	}
	id, err := parseRecordID(resp)
	if siteMissing(err) {
		return "", publish.Permanent(fmt.Errorf("site %s (SiteId %s) not found in this account: %w", z.Name, z.ID, err))
	}
	if err != nil {
		return "", wrap(action, err)
	}
	return id, nil
}

// Update points the found record at r.Addr, keeping its Proxied state
// unless the extras set one.
func (a *api) Update(ctx context.Context, z publish.Zone, sub string, e publish.Existing, r publish.Record) (string, error) {
	proxied, _ := e.Raw.(*bool)
	return "", a.update(ctx, e.ID, proxied, r)
}

// UpdateByID updates a remembered record without reading it first.
// UpdateRecord changes only the fields it is sent, so the record keeps
// its Proxied state unless the extras set one. A record that is gone
// wraps publish.ErrNotFound so that the full flow looks again.
func (a *api) UpdateByID(ctx context.Context, z publish.Zone, sub, recordID string, r publish.Record) (string, error) {
	if !numeric(recordID) {
		return "", fmt.Errorf("remembered record id %q is not an ESA RecordId: %w", recordID, publish.ErrNotFound)
	}
	err := a.update(ctx, recordID, nil, r)
	if recordMissing(err) {
		return "", fmt.Errorf("record %s: %w: %v", recordID, publish.ErrNotFound, err)
	}
	return "", err
}

// update sends UpdateRecord: the value, the TTL when configured, the
// extras, the Comment default and Proxied (the extras', else proxied when
// known). Type is not sent: an A/AAAA record stays one.
func (a *api) update(ctx context.Context, id string, proxied *bool, r publish.Record) error {
	const action = "UpdateRecord"
	params := publish.Extra{
		{Key: "RecordId", Value: jsonNumber(id)},
		{Key: "Data", Value: publish.Extra{{Key: "Value", Value: r.Addr.String()}}},
	}
	if r.TTL != 0 {
		params = append(params, publish.KV{Key: "Ttl", Value: r.TTL})
	}
	params = append(params, r.Extra...)
	params = withDefault(params, "Comment", a.remark)
	if proxied != nil {
		params = withDefault(params, "Proxied", *proxied)
	}
	resp, err := a.c.post(ctx, action, params)
	if err != nil {
		return err
	}
	if err := parseUpdate(resp); err != nil {
		return wrap(action, err)
	}
	return nil
}

// withDefault appends key = v unless params already has key.
func withDefault(params publish.Extra, key string, v any) publish.Extra {
	if _, ok := params.Get(key); ok {
		return params
	}
	return append(params, publish.KV{Key: key, Value: v})
}

// jsonNumber writes a numeric id as a JSON number, as the API types it.
// Ids come from the API's answers or the state file; one that is not
// numeric is sent as text and refused by the API, never rewritten.
func jsonNumber(id string) any {
	if numeric(id) {
		return json.Number(id)
	}
	return id
}

// code returns the API error code carried by err, "" if none.
func code(err error) string {
	var ae *alidns.APIError
	if errors.As(err, &ae) {
		return ae.Code
	}
	return ""
}

// siteMissing reports whether err says the account has no such site.
func siteMissing(err error) bool {
	c := code(err)
	return strings.HasPrefix(c, "SiteNotFound") || strings.HasPrefix(c, "Site.NotFound") || strings.HasPrefix(c, "InvalidSiteId")
}

// recordMissing reports whether err says the record does not exist. The
// key's own codes (InvalidAccessKeyId.NotFound) are not about the record.
func recordMissing(err error) bool {
	var ae *alidns.APIError
	if !errors.As(err, &ae) || ae.Credentials() {
		return false
	}
	c := strings.ToLower(ae.Code)
	return strings.Contains(c, "record") && (strings.Contains(c, "notfound") || strings.Contains(c, "notexist"))
}
