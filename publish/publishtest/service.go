package publishtest

// Holds returns s with Values and Delete from its fake's lookup (see
// Held): find returns the records of typ at a name, value the address
// one holds, del deletes one.
func Holds[R any](s Service, find func(fqdn, typ string) []R, value func(R) string, del func(R)) Service {
	s.Values, s.Delete = Held(find, value, func(_ string, r R) { del(r) })
	return s
}

// Zoned returns s for a fake that files records by zone and sub-domain
// ("@" for the apex): AddZone notes each zone and adds it with add, and
// find and del (see Held) get a name as the longest zone noted holding it
// and the sub-domain in that zone.
func Zoned[R any](s Service, add func(zone string), find func(zone, sub, typ string) []R, value func(R) string, del func(zone string, r R)) Service {
	zones := &Zones{}
	s.AddZone = func(name string) { zones.Add(name); add(name) }
	s.Values, s.Delete = Held(func(fqdn, typ string) []R {
		zone, sub := zones.Split(fqdn)
		return find(zone, sub, typ)
	}, value, func(fqdn string, r R) {
		zone, _ := zones.Split(fqdn)
		del(zone, r)
	})
	return s
}
