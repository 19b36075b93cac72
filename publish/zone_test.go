package publish_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/ddns-go/ddns/publish"
)

// fakeAPI is an in-memory account: zones by name, records by zone and
// sub-domain. It counts calls by kind.
type fakeAPI struct {
	zones   map[string]string                        // name → id
	records map[string]map[string][]publish.Existing // zone id → sub → records
	calls   map[string]int
	nextID  int
}

func newFake(zones ...string) *fakeAPI {
	f := &fakeAPI{zones: map[string]string{}, records: map[string]map[string][]publish.Existing{}, calls: map[string]int{}}
	for i, z := range zones {
		id := fmt.Sprintf("z%d", i+1)
		f.zones[z] = id
		f.records[id] = map[string][]publish.Existing{}
	}
	return f
}

func (f *fakeAPI) ZoneID(_ context.Context, z publish.Zone) (string, error) {
	f.calls["zone"]++
	return f.zones[z.Name], nil
}

func (f *fakeAPI) Records(_ context.Context, z publish.Zone, sub string, r publish.Record) ([]publish.Existing, error) {
	f.calls["list"]++
	if f.records[z.ID] == nil {
		return nil, fmt.Errorf("zone %s: %w", z.ID, publish.ErrNotFound)
	}
	return f.records[z.ID][sub+"/"+r.Type], nil
}

func (f *fakeAPI) Create(_ context.Context, z publish.Zone, sub string, r publish.Record) (string, error) {
	f.calls["create"]++
	f.nextID++
	id := fmt.Sprintf("r%d", f.nextID)
	f.records[z.ID][sub+"/"+r.Type] = append(f.records[z.ID][sub+"/"+r.Type], publish.Existing{ID: id, Name: sub, Value: r.Addr.String(), TTL: r.TTL})
	return id, nil
}

func (f *fakeAPI) Update(_ context.Context, z publish.Zone, sub string, e publish.Existing, r publish.Record) (string, error) {
	f.calls["update"]++
	return f.UpdateByID(context.Background(), z, sub, e.ID, r)
}

func (f *fakeAPI) UpdateByID(_ context.Context, z publish.Zone, sub, id string, r publish.Record) (string, error) {
	f.calls["byid"]++
	for key, list := range f.records[z.ID] {
		for i := range list {
			if list[i].ID == id {
				list[i].Value = r.Addr.String()
				f.records[z.ID][key] = list
				return "", nil
			}
		}
	}
	return "", fmt.Errorf("record %s: %w", id, publish.ErrNotFound)
}

func rec(domain, addr string) publish.Record {
	a := netip.MustParseAddr(addr)
	typ := "A"
	if a.Is6() {
		typ = "AAAA"
	}
	return publish.Record{Domain: domain, Type: typ, Addr: a}
}

func TestZoneFlow(t *testing.T) {
	ctx := context.Background()
	t.Run("create then unchanged then update", func(t *testing.T) {
		api := newFake("example.com")
		f := &publish.ZoneFlow{API: api, Log: zerolog.Nop()}
		res, err := f.Set(ctx, rec("www.example.com", "192.0.2.1"))
		if err != nil || res.RecordID != "r1" || res.ZoneName != "example.com" || res.ZoneID != "z1" {
			t.Fatalf("create: %+v %v", res, err)
		}
		res, err = f.Set(ctx, rec("www.example.com", "192.0.2.1"))
		if err != nil || !res.Unchanged || api.calls["update"] != 0 {
			t.Fatalf("unchanged: %+v %v %v", res, err, api.calls)
		}
		if _, err = f.Set(ctx, rec("www.example.com", "192.0.2.2")); err != nil || api.calls["update"] != 1 {
			t.Fatalf("update: %v %v", err, api.calls)
		}
		if api.calls["zone"] != 2 { // www.example.com (miss), example.com (hit, cached after)
			t.Errorf("zone lookups %d, want 2 (cached)", api.calls["zone"])
		}
	})
	t.Run("longest zone wins", func(t *testing.T) {
		api := newFake("example.com", "b.example.com")
		f := &publish.ZoneFlow{API: api, Log: zerolog.Nop()}
		res, err := f.Set(ctx, rec("a.b.example.com", "192.0.2.1"))
		if err != nil || res.ZoneName != "b.example.com" || api.records["z2"]["a/A"] == nil {
			t.Fatalf("%+v %v", res, err)
		}
	})
	t.Run("apex and explicit separators", func(t *testing.T) {
		api := newFake("example.com", "example.co.uk")
		f := &publish.ZoneFlow{API: api, Log: zerolog.Nop()}
		for domain, key := range map[string]string{"example.com": "@/A", "a.b+example.co.uk": "a.b/A", "~example.com": "@/A", "w~example.com": "w/A"} {
			if _, err := f.Set(ctx, rec(domain, "192.0.2.9")); err != nil {
				t.Fatalf("%s: %v", domain, err)
			}
			zid := api.zones[domain[strings.IndexAny(domain, "~+")+1:]]
			if zid == "" {
				zid = "z1"
			}
			if api.records[zid][key] == nil {
				t.Errorf("%s: no record %s in %s: %v", domain, key, zid, api.records)
			}
		}
	})
	t.Run("zone not found is permanent", func(t *testing.T) {
		f := &publish.ZoneFlow{API: newFake("example.com"), Log: zerolog.Nop()}
		for _, d := range []string{"www.example.org", "a~example.org", "localhost"} {
			if _, err := f.Set(ctx, rec(d, "192.0.2.1")); !publish.IsPermanent(err) {
				t.Errorf("%s: %v, want permanent", d, err)
			}
		}
	})
	t.Run("hint updates by id in one call, stale hint falls back", func(t *testing.T) {
		api := newFake("example.com")
		f := &publish.ZoneFlow{API: api, Log: zerolog.Nop()}
		res, _ := f.Set(ctx, rec("www.example.com", "192.0.2.1"))
		api.calls = map[string]int{}
		r := rec("www.example.com", "192.0.2.2")
		r.Hint = publish.Hint{ZoneID: res.ZoneID, ZoneName: res.ZoneName, RecordID: res.RecordID}
		if _, err := f.Set(ctx, r); err != nil || len(api.calls) != 1 || api.calls["byid"] != 1 {
			t.Fatalf("by id: %v %v", err, api.calls)
		}
		api.records["z1"] = map[string][]publish.Existing{}
		api.calls = map[string]int{}
		res2, err := f.Set(ctx, r)
		if err != nil || api.calls["create"] != 1 || res2.RecordID == res.RecordID {
			t.Fatalf("stale: %+v %v %v", res2, err, api.calls)
		}
	})
	t.Run("several records: the first is updated", func(t *testing.T) {
		api := newFake("example.com")
		api.records["z1"]["www/A"] = []publish.Existing{{ID: "a", Value: "192.0.2.7"}, {ID: "b", Value: "192.0.2.8"}}
		f := &publish.ZoneFlow{API: api, Log: zerolog.Nop()}
		if _, err := f.Set(ctx, rec("www.example.com", "192.0.2.1")); err != nil {
			t.Fatal(err)
		}
		got := api.records["z1"]["www/A"]
		if got[0].Value != "192.0.2.1" || got[1].Value != "192.0.2.8" {
			t.Errorf("%+v", got)
		}
	})
	t.Run("errors pass through", func(t *testing.T) {
		boom := errors.New("boom")
		f := &publish.ZoneFlow{API: failing{boom}, Log: zerolog.Nop()}
		if _, err := f.Set(ctx, rec("www.example.com", "192.0.2.1")); !errors.Is(err, boom) {
			t.Errorf("%v", err)
		}
	})
}

type failing struct{ err error }

func (f failing) ZoneID(context.Context, publish.Zone) (string, error) { return "", f.err }
func (f failing) Records(context.Context, publish.Zone, string, publish.Record) ([]publish.Existing, error) {
	return nil, f.err
}
func (f failing) Create(context.Context, publish.Zone, string, publish.Record) (string, error) {
	return "", f.err
}
func (f failing) Update(context.Context, publish.Zone, string, publish.Existing, publish.Record) (string, error) {
	return "", f.err
}

// contractAPI is fakeAPI with the contract's optional parts observable:
// the zones it was asked with Named set, an update that answers a new
// record id, a Prepare that refuses an extra.
type contractAPI struct {
	*fakeAPI
	named   []string
	newID   string
	missing bool // Records answers ErrNotFound (a stale zone id)
}

func (c *contractAPI) ZoneID(ctx context.Context, z publish.Zone) (string, error) {
	if z.Named {
		c.named = append(c.named, z.Name)
	}
	return c.fakeAPI.ZoneID(ctx, z)
}

func (c *contractAPI) Records(ctx context.Context, z publish.Zone, sub string, r publish.Record) ([]publish.Existing, error) {
	if c.missing {
		c.calls["list"]++
		return nil, fmt.Errorf("zone %s: %w", z.ID, publish.ErrNotFound)
	}
	return c.fakeAPI.Records(ctx, z, sub, r)
}

func (c *contractAPI) Update(ctx context.Context, z publish.Zone, sub string, e publish.Existing, r publish.Record) (string, error) {
	_, err := c.fakeAPI.Update(ctx, z, sub, e, r)
	return c.newID, err
}

func (c *contractAPI) Prepare(r publish.Record) (publish.Record, error) {
	if _, bad := r.Extra.Get("bad"); bad {
		return r, publish.Permanent(errors.New(`extra "bad" refused`))
	}
	return r, nil
}

func TestZoneFlowContract(t *testing.T) {
	ctx := context.Background()
	t.Run("the engine names the provider once", func(t *testing.T) {
		f := &publish.ZoneFlow{Name: "acme", API: failing{errors.New("boom")}, Log: zerolog.Nop()}
		_, err := f.Set(ctx, rec("www.example.com", "192.0.2.1"))
		if err == nil || err.Error() != "acme: boom" {
			t.Errorf("%v, want acme: boom", err)
		}
		f = &publish.ZoneFlow{Name: "acme", API: newFake(), Log: zerolog.Nop()}
		if _, err = f.Set(ctx, rec("www.example.com", "192.0.2.1")); err == nil || !strings.HasPrefix(err.Error(), "acme: no zone") || !publish.IsPermanent(err) {
			t.Errorf("%v, want a permanent acme: no zone …", err)
		}
	})
	t.Run("a zone the user named is asked as named", func(t *testing.T) {
		c := &contractAPI{fakeAPI: newFake("example.com")}
		for _, d := range []string{"www~example.com", "www.example.com"} {
			f := &publish.ZoneFlow{API: c, Log: zerolog.Nop()} // a new flow: no cached zone
			if _, err := f.Set(ctx, rec(d, "192.0.2.1")); err != nil {
				t.Fatal(err)
			}
		}
		if len(c.named) != 1 || c.named[0] != "example.com" {
			t.Errorf("named lookups %v, want [example.com]", c.named)
		}
	})
	t.Run("an outdated record is updated though its address matches", func(t *testing.T) {
		api := newFake("example.com")
		api.records["z1"]["www/A"] = []publish.Existing{{ID: "a", Value: "192.0.2.1", Outdated: true}}
		f := &publish.ZoneFlow{API: api, Log: zerolog.Nop()}
		res, err := f.Set(ctx, rec("www.example.com", "192.0.2.1"))
		if err != nil || res.Unchanged || api.calls["update"] != 1 {
			t.Errorf("%+v %v %v", res, err, api.calls)
		}
	})
	t.Run("an update's new record id is remembered", func(t *testing.T) {
		c := &contractAPI{fakeAPI: newFake("example.com")}
		c.records["z1"]["www/A"] = []publish.Existing{{ID: "a", Value: "192.0.2.7"}}
		f := &publish.ZoneFlow{API: c, Log: zerolog.Nop()}
		if res, err := f.Set(ctx, rec("www.example.com", "192.0.2.1")); err != nil || res.RecordID != "a" {
			t.Errorf("same id: %+v %v", res, err)
		}
		c.newID = "b"
		if res, err := f.Set(ctx, rec("www.example.com", "192.0.2.2")); err != nil || res.RecordID != "b" {
			t.Errorf("new id: %+v %v", res, err)
		}
	})
	t.Run("a stale zone id is forgotten", func(t *testing.T) {
		c := &contractAPI{fakeAPI: newFake("example.com"), missing: true}
		f := &publish.ZoneFlow{API: c, Log: zerolog.Nop()}
		for range 2 {
			if _, err := f.Set(ctx, rec("example.com", "192.0.2.1")); !errors.Is(err, publish.ErrNotFound) {
				t.Fatalf("%v, want not found", err)
			}
		}
		// Each publish looks the zone up, finds the id stale, forgets it
		// and looks it up once more: never a remembered stale id.
		if c.calls["zone"] != 4 {
			t.Errorf("zone lookups %d, want 4 (the stale id looked up again within each publish)", c.calls["zone"])
		}
	})
	t.Run("Prepare refuses before any request", func(t *testing.T) {
		c := &contractAPI{fakeAPI: newFake("example.com")}
		f := &publish.ZoneFlow{Name: "acme", API: c, Log: zerolog.Nop()}
		r := rec("www.example.com", "192.0.2.1")
		r.Extra = publish.Extra{{Key: "bad", Value: 1}}
		if _, err := f.Set(ctx, r); !publish.IsPermanent(err) || !strings.HasPrefix(err.Error(), "acme: ") || len(c.calls) != 0 {
			t.Errorf("%v %v", err, c.calls)
		}
	})
}

func TestFQDN(t *testing.T) {
	for _, c := range [][3]string{{"@", "example.com", "example.com"}, {"", "example.com", "example.com"}, {"www", "example.com", "www.example.com"}, {" a. ", "example.com", "a.example.com"}} {
		if got := publish.FQDN(c[0], c[1]); got != c[2] {
			t.Errorf("FQDN(%q,%q) = %q", c[0], c[1], got)
		}
	}
}

// A zone deleted and created again gets a new id: the remembered one must
// not be used for good.
func TestZoneRecreatedIsFoundAgain(t *testing.T) {
	api := newFake("example.com")
	flow := &publish.ZoneFlow{API: api, Log: zerolog.Nop()}
	res, err := flow.Set(context.Background(), rec("www.example.com", "192.0.2.1"))
	if err != nil || res.ZoneID != "z1" {
		t.Fatalf("%+v %v", res, err)
	}
	// The zone is deleted and re-created: new id, no records.
	delete(api.records, "z1")
	api.zones["example.com"] = "z9"
	api.records["z9"] = map[string][]publish.Existing{}
	r := rec("www.example.com", "192.0.2.2")
	r.Hint = publish.Hint{ZoneID: res.ZoneID, ZoneName: res.ZoneName, RecordID: res.RecordID}
	res, err = flow.Set(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	if res.ZoneID != "z9" || api.records["z9"]["www/A"][0].Value != "192.0.2.2" {
		t.Fatalf("published to %+v; zone z9 holds %v", res, api.records["z9"])
	}
	// Without a hint too: an error about the zone drops its id.
	api.zones["example.com"] = "z10"
	api.records["z10"] = map[string][]publish.Existing{}
	delete(api.records, "z9")
	if res, err = flow.Set(context.Background(), rec("www.example.com", "192.0.2.3")); err != nil || res.ZoneID != "z10" {
		t.Fatalf("%+v %v", res, err)
	}
}
