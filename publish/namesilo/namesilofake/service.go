package namesilofake

import (
	"strings"

	"github.com/ddns-go/ddns/publish/publishtest"
)

// Service returns a new fake with an empty account, seen as the provider
// test kit sees every service.
func Service() publishtest.Service {
	const key = "kit-namesilo-key-0123456789abcdef"
	f := New(key)
	// host splits a name below one of the account's domains.
	host := func(fqdn string) (domain, host string) {
		f.mu.Lock()
		defer f.mu.Unlock()
		for d := fqdn; d != ""; {
			if f.domains[d] != nil {
				return d, strings.TrimSuffix(strings.TrimSuffix(fqdn, d), ".")
			}
			_, d, _ = strings.Cut(d, ".")
		}
		return "", fqdn
	}
	return publishtest.Service{
		Provider: "namesilo",
		Token:    key,
		BadToken: "kit-namesilo-key-WRONG-456789abcd",
		Fake:     f,
		AddZone:  f.AddDomain,
		Values: func(fqdn, typ string) []string {
			var out []string
			d, h := host(fqdn)
			for _, r := range f.Records(d, h, typ) {
				out = append(out, r.Value)
			}
			return out
		},
		Delete: func(fqdn, typ string) {
			d, h := host(fqdn)
			for _, r := range f.Records(d, h, typ) {
				f.DeleteRecord(d, r.ID)
			}
		},
		Calls:       func() int { return f.Calls("") },
		Reset:       f.Reset,
		Fail:        func(status int, after string) { f.Fail(Fault{Status: status, RetryAfter: after}) },
		ChangeCalls: 1,
	}
}
