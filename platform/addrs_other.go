//go:build !linux && !windows && !darwin && !freebsd

package platform

import "context"

// List reads the machine's interfaces and addresses through the standard
// library. On this OS no per-address state is available: every address is
// FlagsUnknown with Forever lifetimes, so temporary and deprecated IPv6
// addresses cannot be told apart from stable ones.
func List(ctx context.Context) (Snapshot, error) {
	return listStd(ctx, nil)
}
