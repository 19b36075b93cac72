package platform_test

import (
	"context"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/ddns-go/ddns/platform"
	"github.com/ddns-go/ddns/platform/qemutest"
)

// List works unprivileged on every OS and returns a consistent snapshot.
func TestListHost(t *testing.T) {
	qemutest.SkipNetlink(t)
	s, err := platform.List(context.Background())
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	if len(s.Interfaces) == 0 {
		t.Fatal("no interfaces")
	}
	for i, ifc := range s.Interfaces {
		if i > 0 && s.Interfaces[i-1].Index >= ifc.Index {
			t.Errorf("interfaces not ordered by index: %v", s.Interfaces)
		}
		if got, ok := s.InterfaceByName(ifc.Name); !ok || got.Index != ifc.Index {
			t.Errorf("InterfaceByName(%q) = %v, %v", ifc.Name, got, ok)
		}
	}
	sawLoopback := false
	for i, a := range s.Addrs {
		if i > 0 && s.Addrs[i-1].Index > a.Index {
			t.Errorf("addresses not ordered by interface index: %v", s.Addrs)
		}
		if !a.Prefix.IsValid() || a.Addr().Zone() != "" || a.Addr().Is4In6() {
			t.Errorf("bad address %+v", a)
		}
		if ifc, ok := s.InterfaceByIndex(a.Index); !ok || ifc.Name != a.Iface {
			t.Errorf("address %v names interface %q, index %d is %v", a.Prefix, a.Iface, a.Index, ifc)
		}
		sawLoopback = sawLoopback || a.Addr().IsLoopback()
		t.Logf("%-8s %-3d %-44v %v", a.Iface, a.Index, a.Prefix, a.Flags)
	}
	if !sawLoopback {
		t.Log("no loopback address listed (the loopback interface may be down)")
	}
}

func TestListCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := platform.List(ctx); err == nil {
		t.Error("List with a cancelled context succeeded")
	}
}

func TestFlagsString(t *testing.T) {
	for _, tc := range []struct {
		f    platform.AddrFlags
		want string
	}{
		{0, "none"},
		{platform.Temporary, "temporary"},
		{platform.Deprecated | platform.Tentative | platform.Permanent, "deprecated|tentative|permanent"},
		{platform.DADFailed | platform.Secondary | platform.FlagsUnknown, "dadfailed|secondary|flags-unknown"},
	} {
		if got := tc.f.String(); got != tc.want {
			t.Errorf("%d.String() = %q, want %q", tc.f, got, tc.want)
		}
	}
}

func TestSnapshotLookups(t *testing.T) {
	s := platform.Snapshot{Interfaces: []platform.Interface{
		{Index: 1, Name: "lo", Flags: net.FlagLoopback},
		{Index: 7, Name: "wan"},
	}, Addrs: []platform.Addr{{Iface: "wan", Index: 7, Prefix: netip.MustParsePrefix("192.0.2.1/24"), Preferred: platform.Forever, Valid: time.Hour}}}
	if i, ok := s.InterfaceByName("wan"); !ok || i.Index != 7 {
		t.Errorf("InterfaceByName(wan) = %v, %v", i, ok)
	}
	if _, ok := s.InterfaceByName("eth0"); ok {
		t.Error("found eth0")
	}
	if i, ok := s.InterfaceByIndex(1); !ok || i.Name != "lo" {
		t.Errorf("InterfaceByIndex(1) = %v, %v", i, ok)
	}
	if a := s.Addrs[0].Addr(); a != netip.MustParseAddr("192.0.2.1") {
		t.Errorf("Addr() = %v", a)
	}
}
