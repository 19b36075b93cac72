package cloudnsfake

import "github.com/ddns-go/ddns/publish/publishtest"

// Service returns a new fake with an empty account, seen as the provider
// test kit sees every service.
func Service() publishtest.Service {
	const id, password = "4242", "kit-cloudns-password-0a1b2c"
	f := New(id, password)
	s := publishtest.Service{
		Provider: "cloudns", ID: id, Token: password, BadToken: "kit-cloudns-password-WRONG9",
		Fake: f, AddZone: f.AddZone, ChangeCalls: 1,
	}
	s.Values, s.Delete = f.Held()
	return s
}
