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
	return publishtest.Zoned(publishtest.Service{Provider: "tencentcloud", ID: id, Token: key, BadToken: "kit-tencent-secret-WRONG-9f8e7d", Fake: f, ChangeCalls: 1},
		func(zone string) { f.AddDomain(zone) }, f.Find, Record.Held, func(_ string, r Record) { f.DeleteRecord(strconv.Itoa(r.ID)) })
}
