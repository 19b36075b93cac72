package dnspodfake

import "github.com/ddns-go/ddns/publish/publishtest"

// Service returns a new fake with an empty account, seen as the provider
// test kit sees every service.
func Service() publishtest.Service { return service("dnspod", LinesCN) }

// IntlService is Service for DNSPod's international site (dnspod_com),
// with its lines.
func IntlService() publishtest.Service { return service("dnspod_com", LinesIntl) }

func service(provider string, lines []string) publishtest.Service {
	const id, token = "420042", "kit-dnspod-token-0a1b2c3d4e"
	f := New(id, token, lines)
	s := publishtest.Service{
		Provider: provider, ID: id, Token: token, BadToken: "kit-dnspod-token-WRONG-9f8e7",
		Fake: f, AddZone: func(name string) { f.AddZone(name) }, ChangeCalls: 1,
	}
	s.Values, s.Delete = f.Held()
	return s
}
