package config_test

import (
	"context"
	"net/netip"
	"sync/atomic"
	"testing"

	"github.com/ddns-go/ddns/config"
	"github.com/ddns-go/ddns/platform"
)

// countingLister is a machine with one interface, counting its listings.
type countingLister struct{ n atomic.Int32 }

func (l *countingLister) List(context.Context) (platform.Snapshot, error) {
	l.n.Add(1)
	return platform.Snapshot{
		Interfaces: []platform.Interface{{Index: 7, Name: "lan7", Flags: 1}},
		Addrs:      []platform.Addr{{Iface: "lan7", Index: 7, Prefix: netip.MustParsePrefix("192.0.2.77/24"), Preferred: platform.Forever, Valid: platform.Forever}},
	}, nil
}

// TestLookupListerReachesLocalRules: the program's Lister (the agent's
// kept netlink socket) is what local rules list with, bare interface
// names at load time included.
func TestLookupListerReachesLocalRules(t *testing.T) {
	l := &countingLister{}
	p, err := config.Load(config.Input{Args: []string{"--dns", "debug", "--ipv4", "a.example.com", "--index4", "lan7", "--index6", "false"},
		Environ: []string{}, Dir: t.TempDir(), Home: t.TempDir(), Lookup: &config.Lookup{Lister: l}})
	if err != nil {
		t.Fatal(err)
	}
	if got := resolve4(t, p.Configs[0]); got != "192.0.2.77" {
		t.Errorf("lan7 resolved to %s, want the Lister's 192.0.2.77", got)
	}
	if l.n.Load() < 2 {
		t.Errorf("the Lister was asked %d times; want the load's check of the name and the resolve", l.n.Load())
	}
}
