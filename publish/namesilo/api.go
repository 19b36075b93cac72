package namesilo

import (
	"context"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"sync"

	"github.com/ddns-go/ddns/publish"
)

// api implements publish.ZoneAPI, publish.ByIDUpdater, publish.Preparer over NameSilo's
// API: every operation is a GET of <endpoint>/api/<operation> with the
// parameters in the query string. NameSilo has no zone ids: a zone is
// named by its domain, which is also what ZoneID returns.
type api struct {
	s        publish.Settings
	endpoint string // without a trailing slash

	ignoredOnce sync.Once
}

// ZoneID asks getDomainInfo. Success means the account holds the domain;
// "not active or not yours" (200), an invalid domain (114) and an
// unsupported TLD (267) mean it does not, so discovery moves on to the
// next candidate.
func (a *api) ZoneID(ctx context.Context, z publish.Zone) (string, error) {
	name := z.Name
	rep, err := a.call(ctx, "getDomainInfo", publish.Extra{{Key: "domain", Value: name}})
	if err != nil {
		return "", err
	}
	switch rep.Code {
	case codeOK:
		// The documented answer has no "domain" member (the original
		// client required one): the code alone says the domain is ours.
		return name, nil
	case codeNotOurs, codeBadDomain, codeUnsupported:
		return "", nil
	}
	return "", a.apiError("getDomainInfo", rep)
}

// Records lists the zone and keeps the records of r.Type named sub.
// NameSilo lists every record of the zone, hosts fully qualified.
func (a *api) Records(ctx context.Context, z publish.Zone, sub string, r publish.Record) ([]publish.Existing, error) {
	rep, err := a.call(ctx, "dnsListRecords", publish.Extra{{Key: "domain", Value: z.Name}})
	if err != nil {
		return nil, err
	}
	if rep.Code != codeOK {
		return nil, a.apiError("dnsListRecords", rep)
	}
	var out []publish.Existing
	for _, rec := range rep.Records {
		// A record without an id cannot be updated; one of another
		// name or type must never be overwritten.
		if rec.ID == "" || !strings.EqualFold(string(rec.Type), r.Type) || !hostMatches(string(rec.Host), sub, z.Name) {
			continue
		}
		ttl, _ := strconv.Atoi(strings.TrimSpace(string(rec.TTL)))
		out = append(out, publish.Existing{
			ID:    ref(string(rec.ID), ttl),
			Name:  string(rec.Host),
			Value: canonical(string(rec.Value)),
			TTL:   ttl,
		})
	}
	return out, nil
}

// Create adds the record; the TTL is sent only when configured (NameSilo
// then applies its default, 7207 s).
func (a *api) Create(ctx context.Context, z publish.Zone, sub string, r publish.Record) (string, error) {
	params := publish.Extra{
		{Key: "domain", Value: z.Name},
		{Key: "rrtype", Value: r.Type},
		{Key: "rrhost", Value: hostParam(sub)},
		{Key: "rrvalue", Value: r.Addr.String()},
	}
	if r.TTL > 0 {
		params = append(params, publish.KV{Key: "rrttl", Value: r.TTL})
	}
	rep, err := a.call(ctx, "dnsAddRecord", params)
	if err != nil {
		return "", err
	}
	if rep.Code != codeOK {
		return "", a.apiError("dnsAddRecord", rep)
	}
	// Without a record_id the record exists all the same; the next
	// change then looks it up instead of updating it by id.
	if rep.RecordID == "" {
		return "", nil
	}
	return ref(string(rep.RecordID), r.TTL), nil
}

// Update points the found record at r.Addr. dnsUpdateRecord resets an
// omitted rrttl to NameSilo's default, so the record's own TTL is re-sent
// when none is configured.
func (a *api) Update(ctx context.Context, z publish.Zone, sub string, e publish.Existing, r publish.Record) (string, error) {
	id, ttl := parseRef(e.ID)
	if r.TTL > 0 {
		ttl = r.TTL
	}
	return a.modify(ctx, z, sub, id, ttl, r, false)
}

// UpdateByID updates a remembered record without listing first: one call.
// The reference carries the record's TTL, re-sent when none is configured.
// A record or zone that no longer exists wraps publish.ErrNotFound.
func (a *api) UpdateByID(ctx context.Context, z publish.Zone, sub, recordRef string, r publish.Record) (string, error) {
	id, ttl := parseRef(recordRef)
	if r.TTL > 0 {
		ttl = r.TTL
	}
	return a.modify(ctx, z, sub, id, ttl, r, true)
}

// modify sends dnsUpdateRecord and returns the record's reference: the
// answer may name a new record_id, and the reference carries the TTL sent. rrtype is not among its documented
// parameters; it is sent anyway, as the original did (the service ignores
// it), so that requests stay byte-compatible.
func (a *api) modify(ctx context.Context, z publish.Zone, sub, id string, ttl int, r publish.Record, byID bool) (string, error) {
	params := publish.Extra{
		{Key: "rrid", Value: id},
		{Key: "domain", Value: z.Name},
		{Key: "rrhost", Value: hostParam(sub)},
		{Key: "rrvalue", Value: r.Addr.String()},
		{Key: "rrtype", Value: r.Type},
	}
	if ttl > 0 {
		params = append(params, publish.KV{Key: "rrttl", Value: ttl})
	}
	rep, err := a.call(ctx, "dnsUpdateRecord", params)
	if err != nil {
		return "", err
	}
	switch {
	case rep.Code == codeOK:
		// The answer names the record; keep that id, should NameSilo
		// have issued a new one, so the next change finds it.
		if rep.RecordID != "" {
			id = string(rep.RecordID)
		}
		return ref(id, ttl), nil
	case byID && (rep.Code == codeDNSError || rep.Code == codeGeneral || rep.Code == codeNotOurs):
		// NameSilo has no "no such record" code: a remembered id that
		// is gone (or a zone no longer ours) answers one of these. The
		// full flow then finds the record again, or reports the real
		// problem with the record's current state.
		return "", fmt.Errorf("dnsUpdateRecord: API error %s: %s: %w", rep.Code, a.oneLine(string(rep.Detail)), publish.ErrNotFound)
	}
	return "", a.apiError("dnsUpdateRecord", rep)
}

// hostParam is the rrhost NameSilo expects: the labels before the domain,
// empty for the apex (the original sent "@", which NameSilo does not
// document).
func hostParam(sub string) string {
	if sub == "@" {
		return ""
	}
	return sub
}

// hostMatches reports whether a listed host names sub in zone. NameSilo
// documents fully qualified hosts ("www.example.com", the apex as
// "example.com"); the bare sub-domain form the original client expected
// ("www", "@") is accepted too, unless it is the zone's own name.
func hostMatches(host, sub, zone string) bool {
	host = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(host)), ".")
	if host == publish.FQDN(sub, zone) {
		return true
	}
	return host != zone && (host == sub || sub == "@" && host == "")
}

// canonical writes an address the way netip does, so that the shared flow
// compares "2001:db8::1" with "2001:0db8:0:0::1" correctly.
func canonical(value string) string {
	if a, err := netip.ParseAddr(strings.TrimSpace(value)); err == nil {
		return a.String()
	}
	return value
}

// A record reference is what the state file keeps as the record id:
// NameSilo's record_id, plus "/<ttl>" when the record's TTL is known.
// dnsUpdateRecord resets an omitted TTL to the default, so updating by id
// must re-send it, and only a list would tell it otherwise.
func ref(id string, ttl int) string {
	if ttl <= 0 {
		return id
	}
	return id + "/" + strconv.Itoa(ttl)
}

// parseRef splits a reference. A suffix that is not a number belongs to
// the id.
func parseRef(r string) (id string, ttl int) {
	i := strings.LastIndexByte(r, '/')
	if i < 0 {
		return r, 0
	}
	n, err := strconv.Atoi(r[i+1:])
	if err != nil || n <= 0 {
		return r, 0
	}
	return r[:i], n
}
