// Package dnscom publishes records to 51dns.com (formerly DNS.COM), the
// original client's "dnscom" provider (also "51dns", "dns_com").
//
// Every call is a form POST to <endpoint>/api/<action>/ signed with an
// MD5 hash of the sorted parameters and the API secret (Sign). The flow is
// the shared one (publish.ZoneFlow): domain/getsingle finds the zone,
// record/list the record, record/create or record/modify writes it. An
// address change with ids remembered in the state file is one
// record/modify call.
package dnscom

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ddns-go/ddns/publish"
)

const name = "dnscom"

// DefaultEndpoint is the API base URL used when none is configured.
const DefaultEndpoint = "https://www.51dns.com"

// pageSize is how many records one record/list call returns; the list is
// already filtered by host, so one page always holds them all.
const pageSize = 500

// defaultRemark is put on records the agent creates unless the user gives
// a remark in extra; the original's text, kept so requests stay equal.
const defaultRemark = "Managed by [DDNS](https://ddns.newfuture.cc)"

func init() {
	publish.Register(publish.Info{
		Readable: true,
		Name:     name,
		ID:       "API key (apiKey)",
		Token:    "API secret (signs requests; never sent)",
		Creates:  true,
		TTL:      true,
		Line:     true,
	}, New)
}

// New checks the settings: id (API key) and token (API secret) are
// required; an endpoint, if set, must be an http(s) URL.
func New(s publish.Settings) (publish.Provider, error) {
	switch {
	case s.ID == "":
		return nil, errors.New("dnscom: id (API key) must be configured")
	case s.Token == "":
		return nil, errors.New("dnscom: token (API secret) must be configured")
	case s.Endpoint == "":
		s.Endpoint = DefaultEndpoint
	case !strings.HasPrefix(s.Endpoint, "http://") && !strings.HasPrefix(s.Endpoint, "https://"):
		return nil, fmt.Errorf("dnscom: endpoint %q must start with http:// or https://", s.Endpoint)
	}
	if s.Now == nil {
		s.Now = time.Now
	}
	a := &api{c: newClient(s), s: s}
	return &publish.ZoneFlow{Name: name, API: a, Log: s.Log}, nil
}

// api implements publish.ZoneAPI and publish.ByIDUpdater.
type api struct {
	c *client
	s publish.Settings
}

// ZoneID asks domain/getsingle about name. The service answers a name that
// is not a zone of the account with an API error, and zone discovery asks
// such names on purpose (a.b.example.com before example.com), so an API
// error is "not found" unless it is about the credentials or the service
// is busy: those fail at once, at the first request.
func (a *api) ZoneID(ctx context.Context, z publish.Zone) (string, error) {
	zone := z.Name
	data, err := a.c.call(ctx, "domain/getsingle", publish.Extra{{Key: "domainID", Value: zone}})
	var ae *APIError
	if errors.As(err, &ae) && !ae.auth() && !ae.busy() {
		a.s.Log.Debug().Msgf("%s is not a zone of this account: %s %s", zone, ae.Code, ae.Message)
		return "", nil
	}
	if err != nil {
		return "", err
	}
	id, got, err := parseZone(data)
	if err != nil {
		return "", fmt.Errorf("domain/getsingle %s: %w", zone, err)
	}
	// Should the service ever answer for the zone a name belongs to,
	// www.example.com must not be taken for a zone: its records would be
	// written at the apex of example.com. (Non-ASCII names may come back
	// in punycode, so they are not compared.)
	if id != "" && got != "" && isASCII(zone) && !strings.EqualFold(strings.TrimSuffix(got, "."), zone) {
		a.s.Log.Debug().Msgf("%s is not a zone of this account: the service answered for %s", zone, got)
		return "", nil
	}
	return id, nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// Records lists the records of host sub and keeps those of r.Type, and of
// r.Line when a line is configured (the list filter is a search, so the
// host is compared again here).
func (a *api) Records(ctx context.Context, z publish.Zone, sub string, r publish.Record) ([]publish.Existing, error) {
	data, err := a.c.call(ctx, "record/list", publish.Extra{
		{Key: "domainID", Value: z.ID},
		{Key: "host", Value: sub},
		{Key: "pageSize", Value: pageSize},
	})
	if err != nil {
		return nil, err
	}
	recs, err := parseRecords(data)
	if err != nil {
		return nil, fmt.Errorf("record/list %s: %w", publish.FQDN(sub, z.Name), err)
	}
	var out []publish.Existing
	for _, rec := range recs {
		if !strings.EqualFold(rec.Host, sub) || !strings.EqualFold(rec.Type, r.Type) {
			continue
		}
		if r.Line != "" && rec.Line != r.Line {
			continue
		}
		out = append(out, publish.Existing{ID: rec.ID, Name: rec.Host, Value: rec.Value, TTL: rec.TTL, Line: rec.Line})
	}
	return out, nil
}

// reserved are the parameters Create sets itself (and the signature's);
// an extra key spelled the same is refused rather than sent twice.
var reserved = []string{"domainID", "value", "host", "type", "TTL", "viewID", "apiKey", "timestamp", "hash"}

// Create adds the record with record/create: TTL and viewID (the line)
// only when configured, then the extra parameters in order, then the
// default remark unless extra has one.
func (a *api) Create(ctx context.Context, z publish.Zone, sub string, r publish.Record) (string, error) {
	for _, k := range reserved {
		if _, clash := r.Extra.Get(k); clash {
			return "", publish.Permanent(fmt.Errorf("extra parameter %q clashes with one ddns sets itself; remove it", k))
		}
	}
	params := publish.Extra{
		{Key: "domainID", Value: z.ID},
		{Key: "value", Value: r.Addr.String()},
		{Key: "host", Value: sub},
		{Key: "type", Value: r.Type},
	}
	if r.TTL != 0 {
		params = append(params, publish.KV{Key: "TTL", Value: r.TTL})
	}
	if r.Line != "" {
		params = append(params, publish.KV{Key: "viewID", Value: r.Line})
	}
	params = append(params, r.Extra...)
	if _, ok := r.Extra.Get("remark"); !ok {
		params = append(params, publish.KV{Key: "remark", Value: defaultRemark})
	}
	data, err := a.c.call(ctx, "record/create", params)
	if err != nil {
		return "", err
	}
	id, err := parseRecordID(data)
	if err == nil && id == "" {
		err = errors.New("the answer has no recordID")
	}
	if err != nil {
		return "", fmt.Errorf("record/create %s: %w", publish.FQDN(sub, z.Name), err)
	}
	return id, nil
}

// Update points e at r.Addr with record/modify.
func (a *api) Update(ctx context.Context, z publish.Zone, sub string, e publish.Existing, r publish.Record) (string, error) {
	return "", a.modify(ctx, z.ID, e.ID, r)
}

// UpdateByID is Update with ids from the state file. The service answers
// an unknown record id with an API error whose code we cannot tell from a
// bad value, so any API error that is not about credentials or load is
// taken as a stale id: the flow then looks the record up again, and a
// genuine refusal comes back from that second attempt.
func (a *api) UpdateByID(ctx context.Context, z publish.Zone, sub, recordID string, r publish.Record) (string, error) {
	if z.ID == "" {
		return "", fmt.Errorf("no zone id remembered for %s: %w", r.Domain, publish.ErrNotFound)
	}
	err := a.modify(ctx, z.ID, recordID, r)
	var ae *APIError
	if errors.As(err, &ae) && !ae.auth() && !ae.busy() {
		return "", fmt.Errorf("%w (%w)", err, publish.ErrNotFound)
	}
	return "", err
}

// modify sends record/modify: the new value, and the TTL when configured.
// The line is not sent: the record was found on the configured line.
func (a *api) modify(ctx context.Context, zoneID, recordID string, r publish.Record) error {
	params := publish.Extra{
		{Key: "domainID", Value: zoneID},
		{Key: "recordID", Value: recordID},
		{Key: "newvalue", Value: r.Addr.String()},
	}
	if r.TTL != 0 {
		params = append(params, publish.KV{Key: "newTTL", Value: r.TTL})
	}
	_, err := a.c.call(ctx, "record/modify", params)
	return err
}
