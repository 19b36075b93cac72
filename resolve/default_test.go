package resolve_test

import (
	"context"
	"errors"
	"testing"

	"github.com/ddns-go/ddns/resolve"
)

// On the real machine `default` yields an address of the family or says
// why not; which one depends on the host, so only the contract is checked.
func TestDefaultOnHost(t *testing.T) {
	for _, fam := range []resolve.Family{resolve.V4, resolve.V6} {
		rs := parse(t, fam, resolve.Options{}, "default")
		a, err := rs.Resolve(context.Background())
		switch {
		case err == nil && !fam.Matches(a):
			t.Errorf("%v default = %v, not of the family", fam, a)
		case err != nil && !errors.Is(err, resolve.ErrNoAddress):
			t.Errorf("%v default: %v does not wrap ErrNoAddress", fam, err)
		case err != nil:
			t.Logf("%v default: %v (this host has no route)", fam, err)
		default:
			t.Logf("%v default = %v", fam, a)
		}
	}
}
