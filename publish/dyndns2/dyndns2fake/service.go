package dyndns2fake

import "github.com/ddns-go/ddns/publish/publishtest"

// Service returns a new fake with one user and no host, seen as the
// provider test kit sees every service; provider is "dyndns2" or a
// service speaking the protocol on its path and with its realm.
func Service(provider string, o Options) publishtest.Service {
	const user, password = "kit-user", "kit-dyndns2-password-0a1b2c"
	f := New(o)
	f.AddUser(user, password)
	s := publishtest.Service{
		Provider: provider, ID: user, Token: password, BadToken: "kit-dyndns2-password-WRONG9",
		Fake: f, AddHost: func(fqdn string) { f.AddHost(fqdn, user) }, Values: f.Values,
		ChangeCalls: 1,
	}
	if provider == "dyndns2" {
		s.Path = f.opts.Path // the endpoint is the whole update URL
	}
	return s
}
