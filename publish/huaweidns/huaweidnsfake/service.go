package huaweidnsfake

import "github.com/ddns-go/ddns/publish/publishtest"

// Service returns a new fake with an empty account, seen as the provider
// test kit sees every service.
func Service() publishtest.Service {
	const ak, sk = "HWAKKITTEST", "kit-huawei-secret-0a1b2c3d"
	srv := New(ak, sk)
	return publishtest.Holds(publishtest.Service{Provider: "huaweidns", ID: ak, Token: sk, BadToken: "kit-huawei-secret-WRONG-9f8e", Fake: srv, ChangeCalls: 1,
		AddZone: func(name string) { srv.AddZone(name) }}, srv.Records, func(rs RecordSet) string { return rs.Records[0] }, func(rs RecordSet) { srv.DeleteRecord(rs.ID) })
}
