package cloudflarefake

import "github.com/ddns-go/ddns/publish/publishtest"

// Service returns a new fake with an empty account reached with an API
// token, seen as the provider test kit sees every service.
func Service() publishtest.Service {
	const token = "Kit_Cloudflare-Token-0123456789abcdefghi"
	f := New(Credentials{Token: token})
	return publishtest.Service{
		Provider: "cloudflare",
		Token:    token,
		BadToken: "Kit_Cloudflare-Token-WRONG-456789abcdef",
		Fake:     f,
		AddZone:  func(name string) { f.AddZone(name) },
		Values: func(fqdn, typ string) []string {
			var out []string
			for _, r := range f.Records(fqdn, typ) {
				out = append(out, r.Content)
			}
			return out
		},
		Delete: func(fqdn, typ string) {
			for _, r := range f.Records(fqdn, typ) {
				f.DeleteRecord(r.ID)
			}
		},
		Calls:       f.Total,
		Reset:       f.ResetCalls,
		Fail:        func(status int, after string) { f.FailNext(1, Fault{Status: status, RetryAfter: after}) },
		ChangeCalls: 1,
	}
}
