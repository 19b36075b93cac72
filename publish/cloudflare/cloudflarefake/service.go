package cloudflarefake

import "github.com/ddns-go/ddns/publish/publishtest"

// Service returns a new fake with an empty account reached with an API
// token, seen as the provider test kit sees every service.
func Service() publishtest.Service {
	const token = "Kit_Cloudflare-Token-0123456789abcdefghi"
	f := New(Credentials{Token: token})
	s := publishtest.Service{
		Provider: "cloudflare", Token: token, BadToken: "Kit_Cloudflare-Token-WRONG-456789abcdef",
		Fake: f, AddZone: func(name string) { f.AddZone(name) },
		Calls: func() int { return f.Calls("") }, Reset: f.Reset, ChangeCalls: 1,
		Fail: func(status int, after string) { f.Fail(Fault{Status: status, RetryAfter: after}) },
	}
	s.Values, s.Delete = publishtest.Held(f.Records,
		func(r Record) string { return r.Content }, func(_ string, r Record) { f.DeleteRecord(r.ID) })
	return s
}
