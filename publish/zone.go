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
	// Named is true when the user named the zone ("sub~zone" or
	// "sub+zone"): a provider that cannot list the account's zones may
	// take it as held without asking.
	Named bool
}

// Existing is a record found at the provider.
type Existing struct {
	ID    string
	Name  string // as the provider spells it (sub-domain or fully qualified)
	Value string // the address it holds
	TTL   int
	Line  string
	Raw   any // provider-specific fields the update needs (proxied, tags, …)
	// Outdated is set by a provider that sees the record differ from the
	// wanted one in a field the engine does not compare (Cloudflare's
	// proxied, …): the engine then updates it even when address, TTL and
	// line match.
	Outdated bool
}

// ErrNotFound is wrapped by providers when an id they were given (a zone
// or record id remembered in the state file, or a zone id the engine
// looked up earlier) no longer exists; the engine then forgets it and
// looks it up again.
var ErrNotFound = errors.New("not found")

// ErrCannotCreate is returned by providers that cannot create records
// (dyndns-style services): the user must create the record first.
var ErrCannotCreate = errors.New("this provider cannot create records: create it in the provider's control panel first")

// ZoneAPI is what a "find zone → find record → create or update" provider
// implements; ZoneFlow turns it into a Provider. The rules:
//
//   - Every method honours ctx and marks errors Permanent where retrying
//     cannot help; a StatusError keeps its Retry-After.
//   - Errors do not name the provider: the engine adds the name, once.
//   - An id that no longer exists (a remembered record, a zone) wraps
//     ErrNotFound: the engine forgets it and looks it up again.
//   - Create, Update and UpdateByID return the record's id after the write;
//     "" from an update keeps the id it was given. The engine remembers the
//     id in the state file for the next UpdateByID.
//   - Records returns what the provider holds; the engine decides whether
//     a record is current from Value, TTL and Line, and the provider marks
//     Existing.Outdated what differs in any other field.
type ZoneAPI interface {
	// ZoneID returns the id of the zone z.Name (z.Named says whether the
	// user named it), or "" (and no error) when the account has no such
	// zone.
	ZoneID(ctx context.Context, z Zone) (string, error)
	// Records returns the existing records of r.Type for sub ("@" = the
	// apex) in z, in the provider's order.
	Records(ctx context.Context, z Zone, sub string, r Record) ([]Existing, error)
	// Create creates the record and returns its id.
	Create(ctx context.Context, z Zone, sub string, r Record) (string, error)
	// Update points e at r.Addr (and r.TTL, r.Line where configured) and
	// returns the record's id, "" when it is still e.ID.
	Update(ctx context.Context, z Zone, sub string, e Existing, r Record) (string, error)
}

// ByIDUpdater is implemented by providers that can update a record knowing
// only its zone and record id; with ids remembered in the state file, an
// address change then costs one API call. A stale id must wrap ErrNotFound.
// It returns the record's id as Update does.
type ByIDUpdater interface {
	UpdateByID(ctx context.Context, z Zone, sub, recordID string, r Record) (string, error)
}

// Preparer is implemented by providers that check or adapt a record before
// any request: refuse extras that would replace a parameter ddns sets
// (a Permanent error), spell a line or round a TTL the provider's way.
type Preparer interface {
	Prepare(r Record) (Record, error)
}

// Hint is what the state file remembers from the last successful publish.
type Hint struct{ ZoneID, ZoneName, RecordID string }

// ZoneFlow is the shared flow, written once: split the domain into
// sub-domain and zone (explicit "sub~zone" or "sub+zone", else the longest
// suffix the account holds), find the record, update the first match (and
// warn about the others) or create it, and skip the write when the record
// already holds the address. Every error it returns starts with Name.
type ZoneFlow struct {
	Name string // the provider's name, prefixed to every error
	API  ZoneAPI
	Log  zerolog.Logger

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
	res, err := f.set(ctx, r)
	if err != nil && f.Name != "" {
		err = fmt.Errorf("%s: %w", f.Name, err)
	}
	return res, err
}

func (f *ZoneFlow) set(ctx context.Context, r Record) (Result, error) {
	if p, ok := f.API.(Preparer); ok {
		var err error
		if r, err = p.Prepare(r); err != nil {
			return Result{}, err
		}
	}
	if h := r.Hint; h.RecordID != "" && h.ZoneName != "" {
		if u, ok := f.API.(ByIDUpdater); ok {
			z := Zone{ID: h.ZoneID, Name: h.ZoneName}
			sub := subOf(r.Domain, h.ZoneName)
			id, err := u.UpdateByID(ctx, z, sub, h.RecordID, r)
			if err == nil {
				return Result{ZoneID: z.ID, ZoneName: z.Name, RecordID: or(id, h.RecordID)}, nil
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
	if errors.Is(err, ErrNotFound) {
		// The zone id looked up earlier is stale (the zone was deleted
		// and perhaps added again): the next attempt looks it up anew.
		f.forget(z.Name)
	}
	return res, err
}

// write finds the record in z and creates or updates it.
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
	id, err := f.API.Update(ctx, z, sub, e, r)
	res.RecordID = or(id, e.ID)
	return res, err
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// current reports whether e already is what r asks for.
func current(e Existing, r Record) bool {
	if e.Outdated || !strings.EqualFold(e.Value, r.Addr.String()) {
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
			z := Zone{Name: zone, Named: true}
			id, err := f.zoneID(ctx, z)
			if err != nil {
				return Zone{}, "", err
			}
			if id == "" {
				return Zone{}, "", Permanent(fmt.Errorf("zone %s not found in this account", zone))
			}
			if sub == "" {
				sub = "@"
			}
			z.ID = id
			return z, sub, nil
		}
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return Zone{}, "", Permanent(fmt.Errorf("%s is not a domain name", domain))
	}
	for k := 0; k+2 <= len(labels); k++ {
		z := Zone{Name: strings.Join(labels[k:], ".")}
		id, err := f.zoneID(ctx, z)
		if err != nil {
			return Zone{}, "", err
		}
		if id != "" {
			z.ID = id
			return z, subOf(domain, z.Name), nil
		}
	}
	return Zone{}, "", Permanent(fmt.Errorf("no zone of %s found in this account", domain))
}

func (f *ZoneFlow) zoneID(ctx context.Context, z Zone) (string, error) {
	f.mu.Lock()
	e, ok := f.zones[z.Name]
	f.mu.Unlock()
	if ok && time.Since(e.checked) < zoneTTL(e.id) {
		return e.id, nil
	}
	id, err := f.API.ZoneID(ctx, z)
	if err != nil {
		return "", err
	}
	f.mu.Lock()
	if f.zones == nil {
		f.zones = map[string]zoneEntry{}
	}
	f.zones[z.Name] = zoneEntry{id, time.Now()}
	f.mu.Unlock()
	return id, nil
}

// forget drops what is known about the zone called name.
func (f *ZoneFlow) forget(name string) {
	f.mu.Lock()
	delete(f.zones, name)
	f.mu.Unlock()
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
