// Package hetzner publishes records through the DNS part of the Hetzner
// Cloud API (https://docs.hetzner.cloud/reference/cloud#zones), zones and
// RRsets under https://api.hetzner.cloud/v1, authenticated by
// "Authorization: Bearer <token>". (The older dns.hetzner.com API was shut
// down in 2026.)
//
// A zone is looked up by name (GET /zones/{name}); a record is the RRset
// of its name and type ("@" for the apex), read with GET, created with
// POST /zones/{id}/rrsets and updated with the set_records action (and
// change_ttl when a TTL is configured). The RRset's name is its id in the
// state file, so an address change by remembered id is one request.
package hetzner

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/ddns-go/ddns/publish"
)

// DefaultEndpoint is the Hetzner Cloud API's base URL.
const DefaultEndpoint = "https://api.hetzner.cloud/v1"

func init() {
	publish.Register(publish.Info{
		Rate:     1, // the project's API budget (3600 requests an hour) is shared
		Readable: true,
		Name:     "hetzner",
		ID:       "must be empty",
		Token:    "a Hetzner Cloud API token (Read & Write) of the project holding the zone",
		Creates:  true,
		TTL:      true,
	}, New)
}

// New checks the settings; no request is made.
func New(s publish.Settings) (publish.Provider, error) {
	base, err := publish.TokenOnly("hetzner", s, DefaultEndpoint, "a Hetzner Cloud API token")
	if err != nil {
		return nil, err
	}
	return &publish.ZoneFlow{Name: "hetzner", API: &api{s: s, base: base}, Log: s.Log}, nil
}

// api implements publish.ZoneAPI and publish.ByIDUpdater.
type api struct {
	s    publish.Settings
	base string
}

type record struct {
	Value string `json:"value"`
}

// call sends one request (publish.Settings.JSON: 404 matches
// publish.ErrNotFound).
func (a *api) call(ctx context.Context, method, path string, body any) ([]byte, error) {
	return a.s.JSON(ctx, method, a.base, path, http.Header{"Authorization": {"Bearer " + a.s.Token}}, body)
}

func rrsetPath(zoneID, name, typ string) string {
	return "/zones/" + url.PathEscape(zoneID) + "/rrsets/" + url.PathEscape(name) + "/" + typ
}

// ZoneID looks the zone up by name; 404 means the project has none.
func (a *api) ZoneID(ctx context.Context, z publish.Zone) (string, error) {
	path := "/zones/" + url.PathEscape(z.Name)
	body, err := a.call(ctx, http.MethodGet, path, nil)
	if errors.Is(err, publish.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	var ans struct {
		Zone struct {
			ID   json.Number `json:"id"`
			Name string      `json:"name"`
		} `json:"zone"`
	}
	if err := json.Unmarshal(body, &ans); err != nil || ans.Zone.ID == "" {
		return "", fmt.Errorf("GET %s: malformed answer", path)
	}
	return ans.Zone.ID.String(), nil
}

// Records reads the RRset: one Existing per record, the RRset's name as
// id. An RRset of several records is Outdated: it must become the one.
func (a *api) Records(ctx context.Context, z publish.Zone, sub string, r publish.Record) ([]publish.Existing, error) {
	path := rrsetPath(z.ID, sub, r.Type)
	body, err := a.call(ctx, http.MethodGet, path, nil)
	if errors.Is(err, publish.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var ans struct {
		RRset struct {
			TTL     *int     `json:"ttl"`
			Records []record `json:"records"`
		} `json:"rrset"`
	}
	if err := json.Unmarshal(body, &ans); err != nil {
		return nil, fmt.Errorf("GET %s: malformed answer: %w", path, err)
	}
	var out []publish.Existing
	for _, rec := range ans.RRset.Records {
		e := publish.Existing{ID: sub, Name: sub, Value: rec.Value, Outdated: len(ans.RRset.Records) > 1}
		if ans.RRset.TTL != nil {
			e.TTL = *ans.RRset.TTL
		}
		out = append(out, e)
	}
	return out, nil
}

// Create adds the RRset with the address, and the TTL when configured
// (else the zone's default applies).
func (a *api) Create(ctx context.Context, z publish.Zone, sub string, r publish.Record) (string, error) {
	body := struct {
		Name    string   `json:"name"`
		Type    string   `json:"type"`
		TTL     int      `json:"ttl,omitempty"`
		Records []record `json:"records"`
	}{sub, r.Type, r.TTL, []record{{r.Addr.String()}}}
	_, err := a.call(ctx, http.MethodPost, "/zones/"+url.PathEscape(z.ID)+"/rrsets", body)
	return sub, err
}

// Update sets the RRset's records to the address.
func (a *api) Update(ctx context.Context, z publish.Zone, sub string, e publish.Existing, r publish.Record) (string, error) {
	if r.TTL == e.TTL {
		r.TTL = 0 // nothing to change
	}
	return a.UpdateByID(ctx, z, sub, sub, r)
}

// UpdateByID sets the records of the RRset remembered by name (one
// request), then its TTL when one is configured. A gone RRset or zone
// wraps publish.ErrNotFound.
func (a *api) UpdateByID(ctx context.Context, z publish.Zone, _ string, name string, r publish.Record) (string, error) {
	if z.ID == "" {
		return "", fmt.Errorf("no zone id remembered for %s: %w", z.Name, publish.ErrNotFound)
	}
	path := rrsetPath(z.ID, name, r.Type) + "/actions/"
	_, err := a.call(ctx, http.MethodPost, path+"set_records", struct {
		Records []record `json:"records"`
	}{[]record{{r.Addr.String()}}})
	if err == nil && r.TTL != 0 {
		_, err = a.call(ctx, http.MethodPost, path+"change_ttl", map[string]int{"ttl": r.TTL})
	}
	return name, err
}
