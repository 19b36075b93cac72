//go:build !linux

package platform

import (
	"context"
	"net"
	"slices"
)

// stdInterfaces lists the machine's interfaces through the standard
// library: as net.Interface, for asking each its addresses, and as the
// Snapshot's Interfaces, in index order.
func stdInterfaces(ctx context.Context) ([]net.Interface, []Interface, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	ifs, err := net.Interfaces()
	if err != nil {
		return nil, nil, err
	}
	out := make([]Interface, 0, len(ifs))
	for _, ifc := range ifs {
		var mac net.HardwareAddr
		if len(ifc.HardwareAddr) > 0 {
			mac = slices.Clone(ifc.HardwareAddr)
		}
		out = append(out, Interface{Index: ifc.Index, Name: ifc.Name, MAC: mac, Flags: ifc.Flags})
	}
	slices.SortFunc(out, func(a, b Interface) int { return a.Index - b.Index })
	return ifs, out, nil
}
