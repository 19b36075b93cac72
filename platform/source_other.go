//go:build !linux && !windows && !darwin && !freebsd && !netbsd && !openbsd && !dragonfly

package platform

// NewSource returns nil: this system has no event source, and the
// reactor polls every rule instead.
func NewSource(logf func(string, ...any)) Source { return nil }
