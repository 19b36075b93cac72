package westfake

import "github.com/ddns-go/ddns/publish/publishtest"

// Service returns a new fake with an empty account, seen as the provider
// test kit sees every service.
func Service() publishtest.Service {
	const user, apikey = "kituser", "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
	f := New(user, apikey)
	s := publishtest.Service{
		Provider: "west", ID: user, Token: apikey, BadToken: "ffffffffffffffffffffffffffffffff",
		Fake: f, AddZone: func(name string) { f.AddZone(name, "") },
		Blind: true, ChangeCalls: 1,
	}
	// West's client tries the shortest zone first: a name's records may
	// be in any zone holding it.
	s.Values, s.Delete = f.HeldAnywhere()
	return s
}
