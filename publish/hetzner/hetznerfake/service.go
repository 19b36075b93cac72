package hetznerfake

import "github.com/ddns-go/ddns/publish/publishtest"

// Service returns a new fake project with no zone, seen as the provider
// test kit sees every service.
func Service() publishtest.Service {
	const token = "kitHetznerCloudToken0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ"
	f := New(token)
	var zones publishtest.Zones
	s := publishtest.Service{
		Provider: "hetzner", Token: token, BadToken: "kitHetznerCloudTokenWRONG56789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ",
		Fake: f, AddZone: func(name string) { zones.Add(name); f.AddZone(name) },
		ChangeCalls: 1,
	}
	s.Values, s.Delete = publishtest.Held(func(fqdn, typ string) []string {
		zone, name := zones.Split(fqdn)
		set, _ := f.Get(zone, name, typ)
		return set.Values
	}, func(v string) string { return v }, func(fqdn string, _ string) {
		zone, name := zones.Split(fqdn)
		for _, typ := range []string{"A", "AAAA"} {
			f.Delete(zone, name, typ)
		}
	})
	return s
}
