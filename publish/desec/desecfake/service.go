package desecfake

import (
	"strings"

	"github.com/ddns-go/ddns/publish/publishtest"
)

// Service returns a new fake account with no domain, seen as the
// provider test kit sees every service.
func Service() publishtest.Service {
	const token = "3a1sDeSECkitTokenXQ2iYu8Zr7bGm"
	f := New(token)
	var zones publishtest.Zones
	s := publishtest.Service{
		Provider: "desec", Token: token, BadToken: "3a1sDeSECkitTokenWRONG8Zr7bGm",
		Fake: f, AddZone: func(name string) { zones.Add(name); f.AddDomain(name) },
		ChangeCalls: 1,
	}
	s.Values, s.Delete = publishtest.Held(func(fqdn, typ string) []string {
		zone, sub := zones.Split(fqdn)
		set, _ := f.Get(zone, strings.TrimPrefix(sub, "@"), typ)
		return set.Records
	}, func(v string) string { return v }, func(fqdn string, _ string) {
		zone, sub := zones.Split(fqdn)
		for _, typ := range []string{"A", "AAAA"} {
			f.Delete(zone, strings.TrimPrefix(sub, "@"), typ)
		}
	})
	return s
}
