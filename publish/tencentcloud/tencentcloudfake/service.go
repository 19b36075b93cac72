package tencentcloudfake

import (
	"strconv"

	"github.com/ddns-go/ddns/publish/publishtest"
)

// Service returns a new fake with an empty account, seen as the provider
// test kit sees every service.
func Service() publishtest.Service {
	const id, key = "AKIDkitTencentCloud0123456789ab", "kit-tencent-secret-0a1b2c3d4e5f"
	f := New(id, key)
	var zones publishtest.Zones
	return publishtest.Service{
		Provider: "tencentcloud",
		ID:       id,
		Token:    key,
		BadToken: "kit-tencent-secret-WRONG-9f8e7d",
		Fake:     f,
		AddZone:  func(name string) { zones.Add(name); f.AddDomain(name) },
		Values: func(fqdn, typ string) []string {
			var out []string
			zone, sub := zones.Split(fqdn)
			for _, r := range f.Find(zone, sub, typ) {
				out = append(out, r.Value)
			}
			return out
		},
		Delete: func(fqdn, typ string) {
			zone, sub := zones.Split(fqdn)
			for _, r := range f.Find(zone, sub, typ) {
				f.DeleteRecord(strconv.Itoa(r.ID))
			}
		},
		Calls:       f.Total,
		Reset:       f.ResetCalls,
		Fail:        func(status int, after string) { f.FailNext(1, Fault{Status: status, RetryAfter: after}) },
		ChangeCalls: 1,
	}
}
