package namesilofake

import "github.com/ddns-go/ddns/publish/publishtest"

// Service returns a new fake with an empty account, seen as the provider
// test kit sees every service.
func Service() publishtest.Service {
	const key = "kit-namesilo-key-0123456789abcdef"
	f := New(key)
	s := publishtest.Service{
		Provider: "namesilo", Token: key, BadToken: "kit-namesilo-key-WRONG-456789abcd",
		Fake: f, AddZone: f.AddDomain, ChangeCalls: 1,
	}
	s.Values, s.Delete = f.Held()
	return s
}
