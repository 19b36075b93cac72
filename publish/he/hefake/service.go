package hefake

import "github.com/ddns-go/ddns/publish/publishtest"

// Service returns a new fake with no host, seen as the provider test kit
// sees every service. Every host it adds has the same key.
func Service() publishtest.Service {
	const key = "kit-he-ddns-key-0a1b2c3d"
	f := New()
	return publishtest.Service{
		Provider: "he", Token: key, BadToken: "kit-he-ddns-key-WRONG-9f8e",
		Fake: f, AddHost: func(fqdn string) { f.AddHost(fqdn, key) },
		Values: f.Values, ChangeCalls: 1,
	}
}
