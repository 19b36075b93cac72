package publish

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"
)

// Zone identifies a DNS zone at the provider.
type Zone struct {
	ID   string // the provider's zone id ("" for providers without ids: the name is used)
	Name string // e.g. "example.co.uk"
}

// Existing is a record found at the provider.
type Existing struct {
	ID    string
	Name  string // as the provider spells it (sub-domain or fully qualified)
	Value string // the address it holds
	TTL   int
	Line  string
	Raw   any // provider-specific fields the update needs (proxied, tags, …)
}

// ErrNotFound is wrapped by providers when an id they were given (a zone
// or record id remembered in the state file) no longer exists; the engine
// then forgets it and runs the full flow.
var ErrNotFound = errors.New("not found")

// ErrCannotCreate is returned by providers that cannot create records
// (dyndns-style services): the user must create the record first.
var ErrCannotCreate = errors.New("this provider cannot create records: create it in the provider's control panel first")

// ZoneAPI is what a "find zone → find record → create or update" provider
// implements; ZoneFlow turns it into a Provider. Every method honours ctx
// and marks errors Permanent where retrying cannot help.
type ZoneAPI interface {
	// ZoneID returns the id of the zone called name, or "" (and no error)
	// when the account has no such zone.
	ZoneID(ctx context.Context, name string) (string, error)
	// Records returns the existing records of r.Type for sub ("@" = the
	// apex) in z, in the provider's order.
	Records(ctx context.Context, z Zone, sub string, r Record) ([]Existing, error)
	// Create creates the record and returns its id.
	Create(ctx context.Context, z Zone, sub string, r Record) (string, error)
	// Update points e at r.Addr (and r.TTL, r.Line where configured).
	Update(ctx context.Context, z Zone, sub string, e Existing, r Record) error
}

// ByIDUpdater is implemented by providers that can update a record knowing
// only its zone and record id; with ids remembered in the state file, an
// address change then costs one API call. A stale id must wrap ErrNotFound.
type ByIDUpdater interface {
	UpdateByID(ctx context.Context, z Zone, sub, recordID string, r Record) error
}

// Hint is what the state file remembers from the last successful publish.
type Hint struct{ ZoneID, ZoneName, RecordID string }

// ZoneFlow is the shared flow, written once: split the domain into
// sub-domain and zone (explicit "sub~zone" or "sub+zone", else the longest
// suffix the account holds), find the record, update the first match (and
// warn about the others) or create it, and skip the write when the record
// already holds the address.
type ZoneFlow struct {
	API ZoneAPI
	Log zerolog.Logger

	mu    sync.Mutex
	zones map[string]zoneEntry // zone name → lookup result
}

// negativeZoneTTL is how long "no such zone" is believed. Discovery asks
// the longest candidates first, so without remembering misses every
// publish of www.example.com would first ask for a zone
// "www.example.com"; an hour still notices a zone added later.
const negativeZoneTTL = time.Hour

// positiveZoneTTL is how long a zone id is believed without an error
// about it: a zone deleted and re-created under a new id is found again
// at the latest after it, even by a provider whose errors do not say
// "not found".
const positiveZoneTTL = 24 * time.Hour

func zoneTTL(id string) time.Duration {
	if id == "" {
		return negativeZoneTTL
	}
	return positiveZoneTTL
}

type zoneEntry struct {
	id      string
	checked time.Time
}

// Set publishes r. When r carries a hint (from the state file) and the API
// can update by id, that is tried first.
func (f *ZoneFlow) Set(ctx context.Context, r Record) (Result, error) {
	if h := r.Hint; h.RecordID != "" && h.ZoneName != "" {
		if u, ok := f.API.(ByIDUpdater); ok {
			z := Zone{ID: h.ZoneID, Name: h.ZoneName}
			sub := subOf(r.Domain, h.ZoneName)
			err := u.UpdateByID(ctx, z, sub, h.RecordID, r)
			if err == nil {
				return Result{ZoneID: z.ID, ZoneName: z.Name, RecordID: h.RecordID}, nil
			}
			if !errors.Is(err, ErrNotFound) {
				return Result{}, err
			}
			f.Log.Info().Msgf("%s[%s]: remembered record id is gone; looking it up again", r.Domain, r.Type)
		}
	}
	res, err := f.full(ctx, r)
	if errors.Is(err, ErrNotFound) {
		// The zone may have been deleted and created again under a new
		// id: look it up afresh, once.
		f.Log.Info().Msgf("%s[%s]: zone not found by its remembered id; looking it up again", r.Domain, r.Type)
		res, err = f.full(ctx, r)
	}
	return res, err
}

// full is the whole flow: find the zone, the record, then create or
// update. An error about the zone's records makes the zone's id forgotten,
// so that a zone deleted and re-created is found again.
func (f *ZoneFlow) full(ctx context.Context, r Record) (Result, error) {
	z, sub, err := f.split(ctx, r.Domain)
	if err != nil {
		return Result{}, err
	}
	res, err := f.write(ctx, z, sub, r)
	if err != nil {
		f.forget(z.Name)
	}
	return res, err
}

func (f *ZoneFlow) write(ctx context.Context, z Zone, sub string, r Record) (Result, error) {
	found, err := f.API.Records(ctx, z, sub, r)
	if err != nil {
		return Result{}, err
	}
	if len(found) == 0 {
		id, err := f.API.Create(ctx, z, sub, r)
		if err != nil {
			return Result{}, err
		}
		f.Log.Info().Msgf("%s[%s]: created record %s", r.Domain, r.Type, id)
		return Result{ZoneID: z.ID, ZoneName: z.Name, RecordID: id}, nil
	}
	if len(found) > 1 {
		f.Log.Warn().Msgf("%s has %d %s records: updating the first (id %s), leaving the others as they are", r.Domain, len(found), r.Type, found[0].ID)
	}
	e := found[0]
	res := Result{ZoneID: z.ID, ZoneName: z.Name, RecordID: e.ID}
	if current(e, r) {
		res.Unchanged = true
		return res, nil
	}
	return res, f.API.Update(ctx, z, sub, e, r)
}

// forget drops what is remembered about the zone called name.
func (f *ZoneFlow) forget(name string) {
	f.mu.Lock()
	delete(f.zones, name)
	f.mu.Unlock()
}

// current reports whether e already is what r asks for.
func current(e Existing, r Record) bool {
	if !strings.EqualFold(e.Value, r.Addr.String()) {
		return false
	}
	if r.TTL != 0 && e.TTL != 0 && e.TTL != r.TTL {
		return false
	}
	return r.Line == "" || e.Line == "" || e.Line == r.Line
}

// split finds the zone of domain. "sub~zone" and "sub+zone" name it
// explicitly (the original's syntax); otherwise candidate zones are asked
// longest first and the first the account holds wins.
func (f *ZoneFlow) split(ctx context.Context, domain string) (Zone, string, error) {
	for _, sep := range []string{"~", "+"} {
		if sub, zone, ok := strings.Cut(domain, sep); ok {
			id, err := f.zoneID(ctx, zone)
			if err != nil {
				return Zone{}, "", err
			}
			if id == "" {
				return Zone{}, "", Permanent(fmt.Errorf("zone %s not found in this account", zone))
			}
			if sub == "" {
				sub = "@"
			}
			return Zone{ID: id, Name: zone}, sub, nil
		}
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return Zone{}, "", Permanent(fmt.Errorf("%s is not a domain name", domain))
	}
	for k := 0; k+2 <= len(labels); k++ {
		name := strings.Join(labels[k:], ".")
		id, err := f.zoneID(ctx, name)
		if err != nil {
			return Zone{}, "", err
		}
		if id != "" {
			return Zone{ID: id, Name: name}, subOf(domain, name), nil
		}
	}
	return Zone{}, "", Permanent(fmt.Errorf("no zone of %s found in this account", domain))
}

func (f *ZoneFlow) zoneID(ctx context.Context, name string) (string, error) {
	f.mu.Lock()
	e, ok := f.zones[name]
	f.mu.Unlock()
	if ok && time.Since(e.checked) < zoneTTL(e.id) {
		return e.id, nil
	}
	id, err := f.API.ZoneID(ctx, name)
	if err != nil {
		return "", err
	}
	f.mu.Lock()
	if f.zones == nil {
		f.zones = map[string]zoneEntry{}
	}
	f.zones[name] = zoneEntry{id, time.Now()}
	f.mu.Unlock()
	return id, nil
}

// subOf returns the sub-domain of domain in zone: "@" for the apex.
func subOf(domain, zone string) string {
	if i := strings.IndexAny(domain, "~+"); i >= 0 {
		domain = strings.TrimSuffix(domain[:i], ".") + "." + domain[i+1:]
		if domain[0] == '.' {
			domain = domain[1:]
		}
	}
	sub := strings.TrimSuffix(strings.TrimSuffix(domain, zone), ".")
	if sub == "" {
		return "@"
	}
	return sub
}

// FQDN joins a sub-domain and its zone: "@" and "" give the zone itself.
func FQDN(sub, zone string) string {
	sub = strings.Trim(sub, ". ")
	if sub == "" || sub == "@" {
		return zone
	}
	return sub + "." + zone
}
