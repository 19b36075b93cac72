// Package desec publishes records through the deSEC DNS API
// (https://desec.readthedocs.io): RRsets under
// /api/v1/domains/{name}/rrsets/, authenticated by "Authorization: Token".
//
// A domain of the account is a zone (GET /domains/{name}/ answers 200,
// else 404); a record is the RRset of its subname and type ("@" in the
// path for the apex), read with GET, created with POST and updated with
// PATCH of its records (and TTL when configured). The RRset's key
// (subname/type) is its id, so an update by remembered id is one PATCH.
package desec

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/ddns-go/ddns/publish"
)

// DefaultEndpoint is deSEC's API base URL.
const DefaultEndpoint = "https://desec.io/api/v1"

// minTTL is deSEC's default minimum TTL, used on create when none is
// configured (the API requires one).
const minTTL = 3600

func init() {
	publish.Register(publish.Info{
		Rate:     1, // deSEC throttles writes to a few a second per account
		Readable: true,
		Name:     "desec",
		ID:       "must be empty",
		Token:    "a deSEC API token",
		Creates:  true,
		TTL:      true,
	}, New)
}

// New checks the settings; no request is made.
func New(s publish.Settings) (publish.Provider, error) {
	base, err := publish.TokenOnly("desec", s, DefaultEndpoint, "a deSEC API token")
	if err != nil {
		return nil, err
	}
	return &publish.ZoneFlow{Name: "desec", API: &api{s: s, base: base}, Log: s.Log}, nil
}

// api implements publish.ZoneAPI and publish.ByIDUpdater.
type api struct {
	s    publish.Settings
	base string
}

// rrset is the part of deSEC's RRset object ddns uses.
type rrset struct {
	Subname string   `json:"subname"`
	Type    string   `json:"type"`
	TTL     int      `json:"ttl,omitempty"`
	Records []string `json:"records"`
}

// call sends one request (publish.Settings.JSON: 404 matches
// publish.ErrNotFound).
func (a *api) call(ctx context.Context, method, path string, body any) ([]byte, error) {
	return a.s.JSON(ctx, method, a.base, path, http.Header{"Authorization": {"Token " + a.s.Token}, "Accept": {"application/json"}}, body)
}

func rrsetPath(zone, sub, typ string) string {
	return "/domains/" + url.PathEscape(zone) + "/rrsets/" + url.PathEscape(sub) + "/" + typ + "/"
}

// ZoneID asks for the domain: 200 means the account holds it.
func (a *api) ZoneID(ctx context.Context, z publish.Zone) (string, error) {
	_, err := a.call(ctx, http.MethodGet, "/domains/"+url.PathEscape(z.Name)+"/", nil)
	if errors.Is(err, publish.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return z.Name, nil
}

// Records reads the RRset; its records are one Existing each, all with
// the RRset's key as id.
func (a *api) Records(ctx context.Context, z publish.Zone, sub string, r publish.Record) ([]publish.Existing, error) {
	path := rrsetPath(z.Name, sub, r.Type)
	body, err := a.call(ctx, http.MethodGet, path, nil)
	if errors.Is(err, publish.ErrNotFound) {
		return nil, nil // no such RRset; the zone itself was just found
	}
	if err != nil {
		return nil, err
	}
	var set rrset
	if err := json.Unmarshal(body, &set); err != nil {
		return nil, fmt.Errorf("GET %s: malformed answer: %w", path, err)
	}
	var out []publish.Existing
	for _, v := range set.Records {
		out = append(out, publish.Existing{ID: sub, Name: sub, Value: v, TTL: set.TTL})
	}
	if len(out) > 1 {
		out[0].Outdated = true // the RRset must become the one address
	}
	return out, nil
}

// Create adds the RRset with the address (TTL: configured, else 3600).
func (a *api) Create(ctx context.Context, z publish.Zone, sub string, r publish.Record) (string, error) {
	ttl := r.TTL
	if ttl == 0 {
		ttl = minTTL
	}
	subname := sub
	if sub == "@" {
		subname = ""
	}
	_, err := a.call(ctx, http.MethodPost, "/domains/"+url.PathEscape(z.Name)+"/rrsets/",
		rrset{Subname: subname, Type: r.Type, TTL: ttl, Records: []string{r.Addr.String()}})
	return sub, err
}

// Update replaces the RRset's records with the address.
func (a *api) Update(ctx context.Context, z publish.Zone, sub string, _ publish.Existing, r publish.Record) (string, error) {
	return a.UpdateByID(ctx, z, sub, sub, r)
}

// UpdateByID patches the RRset remembered by its subname: one call. A
// gone RRset or domain wraps publish.ErrNotFound.
func (a *api) UpdateByID(ctx context.Context, z publish.Zone, _ string, sub string, r publish.Record) (string, error) {
	patch := struct {
		TTL     int      `json:"ttl,omitempty"`
		Records []string `json:"records"`
	}{r.TTL, []string{r.Addr.String()}}
	_, err := a.call(ctx, http.MethodPatch, rrsetPath(z.Name, sub, r.Type), patch)
	return sub, err
}
