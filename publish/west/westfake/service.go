package westfake

import (
	"strconv"
	"strings"

	"github.com/ddns-go/ddns/publish/publishtest"
)

// Service returns a new fake with an empty account, seen as the provider
// test kit sees every service.
func Service() publishtest.Service {
	const user, apikey = "kituser", "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
	f := New(user, apikey)
	// records finds the records at fqdn in any zone: West's client tries
	// the shortest zone first.
	records := func(fqdn, typ string) (zones []string, rs []Record) {
		f.mu.Lock()
		var names []string
		for name := range f.zones {
			names = append(names, name)
		}
		f.mu.Unlock()
		for _, z := range names {
			host, ok := strings.CutSuffix(fqdn, "."+z)
			if fqdn == z {
				host, ok = "@", true
			}
			if ok {
				for _, r := range f.Records(z, host, typ) {
					zones, rs = append(zones, z), append(rs, r)
				}
			}
		}
		return zones, rs
	}
	return publishtest.Service{
		Provider: "west",
		ID:       user,
		Token:    apikey,
		BadToken: "ffffffffffffffffffffffffffffffff",
		Fake:     f,
		AddZone:  func(name string) { f.AddZone(name, "") },
		Values: func(fqdn, typ string) []string {
			var out []string
			_, rs := records(fqdn, typ)
			for _, r := range rs {
				out = append(out, r.Value)
			}
			return out
		},
		Delete: func(fqdn, typ string) {
			zones, rs := records(fqdn, typ)
			for i, r := range rs {
				f.DeleteRecord(zones[i], strconv.Itoa(r.ID))
			}
		},
		Blind:       true,
		ChangeCalls: 1,
	}
}
