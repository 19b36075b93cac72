package cloudns

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/ddns-go/ddns/publish"
)

// api implements publish.ZoneAPI, publish.ByIDUpdater, publish.Preparer over the ClouDNS
// DNS API. ClouDNS has no zone ids: a zone is named by its domain name in
// every call, so the zone "id" is the name.
type api struct {
	s        publish.Settings
	endpoint string // without a trailing slash
	cred     credential
}

// ZoneID asks get-zone-info whether the account holds a zone called name.
// "Missing domain-name" is the service's answer for a zone it does not
// know, so discovery moves on to the next candidate.
func (a *api) ZoneID(ctx context.Context, zone publish.Zone) (string, error) {
	name := zone.Name
	const action = "get-zone-info"
	body, err := a.call(ctx, action, publish.Extra{{Key: "domain-name", Value: name}})
	if err != nil {
		return "", err
	}
	z, err := parseZone(body)
	var f *failure
	switch {
	case errors.As(err, &f) && noZone(f):
		return "", nil
	case errors.As(err, &f):
		return "", apiError(action, f)
	case err != nil:
		return "", fmt.Errorf("%s: %w", action, err)
	case !strings.EqualFold(strings.TrimSuffix(string(z.Name), "."), name):
		return "", publish.Permanent(fmt.Errorf("%s: asked for zone %s, the answer describes %.100q", action, name, z.Name))
	}
	switch t := strings.ToLower(string(z.Type)); t {
	case "slave", "parked":
		// The zone owns the name, so a parent zone must not be used
		// instead; but only master zones have records to change.
		return "", publish.Permanent(fmt.Errorf("zone %s is a %s zone: ClouDNS only lets the records of master zones be changed", name, t))
	}
	return name, nil
}

// Records lists the records of sub and r.Type. The host and type filters
// are sent, and checked again here: a record of another name must never
// be overwritten, and the apex filter (an empty host) may list them all.
func (a *api) Records(ctx context.Context, z publish.Zone, sub string, r publish.Record) ([]publish.Existing, error) {
	const action = "records"
	host := hostOf(sub)
	body, err := a.call(ctx, action, publish.Extra{
		{Key: "domain-name", Value: z.Name},
		{Key: "host", Value: host},
		{Key: "type", Value: r.Type},
	})
	if err != nil {
		return nil, err
	}
	recs, err := parseRecords(body)
	if err != nil {
		return nil, fail(action, err)
	}
	var out []publish.Existing
	for _, rec := range recs {
		if rec.ID == "" || !strings.EqualFold(string(rec.Type), r.Type) || !sameHost(string(rec.Host), host) {
			continue
		}
		ttl, _ := strconv.Atoi(string(rec.TTL))
		out = append(out, publish.Existing{
			ID:    ref(string(rec.ID), ttl),
			Name:  host,
			Value: string(rec.Record),
			TTL:   ttl,
		})
	}
	return out, nil
}

// Create adds the record with the configured TTL, else defaultTTL: ttl is
// a required field.
func (a *api) Create(ctx context.Context, z publish.Zone, sub string, r publish.Record) (string, error) {
	const action = "add-record"
	ttl := r.TTL
	if ttl == 0 {
		ttl = defaultTTL
	}
	body, err := a.call(ctx, action, publish.Extra{
		{Key: "domain-name", Value: z.Name},
		{Key: "record-type", Value: r.Type},
		{Key: "host", Value: hostOf(sub)},
		{Key: "record", Value: r.Addr.String()},
		{Key: "ttl", Value: ttl},
	})
	if err != nil {
		return "", err
	}
	id, err := parseWrite(body)
	if err != nil {
		return "", fail(action, err)
	}
	// An answer without the new id still means the record exists; the
	// next change then looks it up instead of updating by id.
	return ref(id, ttl), nil
}

// Update points the found record at r.Addr.
func (a *api) Update(ctx context.Context, z publish.Zone, sub string, e publish.Existing, r publish.Record) (string, error) {
	return "", a.modify(ctx, z, sub, e.ID, r)
}

// UpdateByID modifies a remembered record without listing first: one
// call. A record or zone that no longer exists wraps publish.ErrNotFound.
func (a *api) UpdateByID(ctx context.Context, z publish.Zone, sub, recordID string, r publish.Record) (string, error) {
	return "", a.modify(ctx, z, sub, recordID, r)
}

// modify sends mod-record. Its ttl is required and overwrites the
// record's: without a configured TTL the record's own (carried by the
// reference) is sent back, so a TTL set in the console is kept.
func (a *api) modify(ctx context.Context, z publish.Zone, sub, recordRef string, r publish.Record) error {
	const action = "mod-record"
	id, ttl := parseRef(recordRef)
	if r.TTL != 0 {
		ttl = r.TTL
	}
	body, err := a.call(ctx, action, publish.Extra{
		{Key: "domain-name", Value: z.Name},
		{Key: "record-id", Value: id},
		{Key: "host", Value: hostOf(sub)},
		{Key: "record", Value: r.Addr.String()},
		{Key: "ttl", Value: ttl},
	})
	if err != nil {
		return err
	}
	_, err = parseWrite(body)
	var f *failure
	if errors.As(err, &f) && (noRecord(f) || noZone(f)) {
		// Deleted since we remembered it: the caller looks it up again.
		return fmt.Errorf("%s: %w: %w", action, f, publish.ErrNotFound)
	}
	if err != nil {
		return fail(action, err)
	}
	return nil
}

// fail classifies a parse error: a Failed answer by its description,
// anything else as a transient malformed answer.
func fail(action string, err error) error {
	var f *failure
	if errors.As(err, &f) {
		return apiError(action, f)
	}
	return fmt.Errorf("%s: %w", action, err)
}

// hostOf is the ClouDNS host of a sub-domain: the apex is the empty host.
func hostOf(sub string) string {
	if sub == "@" {
		return ""
	}
	return sub
}

// sameHost compares a listed record's host with the wanted one; the apex
// may be listed as "" or "@".
func sameHost(listed, host string) bool {
	if host == "" {
		return listed == "" || listed == "@"
	}
	return strings.EqualFold(listed, host)
}

// A record reference is what the state file keeps as the record id: the
// ClouDNS id, plus "/<ttl>" when the record's TTL is not defaultTTL.
// mod-record requires a TTL, and one remembered this way lets an update
// by id keep the record's TTL without listing it first. ClouDNS ids are
// numeric, so "/" always separates.
func ref(id string, ttl int) string {
	if id == "" || ttl <= 0 || ttl == defaultTTL {
		return id
	}
	return id + "/" + strconv.Itoa(ttl)
}

func parseRef(r string) (id string, ttl int) {
	id, t, _ := strings.Cut(r, "/")
	if ttl, err := strconv.Atoi(t); err == nil && ttl > 0 {
		return id, ttl
	}
	return id, defaultTTL
}
