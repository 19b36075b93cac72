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
	s := publishtest.Service{
		Provider: "tencentcloud", ID: id, Token: key, BadToken: "kit-tencent-secret-WRONG-9f8e7d",
		Fake: f, AddZone: func(name string) { zones.Add(name); f.AddDomain(name) },
		ChangeCalls: 1,
	}
	s.Values, s.Delete = publishtest.Held(func(fqdn, typ string) []Record {
		zone, sub := zones.Split(fqdn)
		return f.Find(zone, sub, typ)
	}, func(r Record) string { return r.Value }, func(_ string, r Record) { f.DeleteRecord(strconv.Itoa(r.ID)) })
	return s
}
