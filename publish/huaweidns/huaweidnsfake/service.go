package huaweidnsfake

import "github.com/ddns-go/ddns/publish/publishtest"

// Service returns a new fake with an empty account, seen as the provider
// test kit sees every service.
func Service() publishtest.Service {
	const ak, sk = "HWAKKITTEST", "kit-huawei-secret-0a1b2c3d"
	srv := New(ak, sk)
	s := publishtest.Service{
		Provider: "huaweidns", ID: ak, Token: sk, BadToken: "kit-huawei-secret-WRONG-9f8e",
		Fake: srv, AddZone: func(name string) { srv.AddZone(name) },
		ChangeCalls: 1,
	}
	s.Values, s.Delete = publishtest.Held(func(fqdn, typ string) []RecordSet {
		if rs, ok := srv.Record(fqdn, typ); ok {
			return []RecordSet{rs}
		}
		return nil
	}, func(rs RecordSet) string { return rs.Records[0] }, func(_ string, rs RecordSet) { srv.DeleteRecord(rs.ID) })
	return s
}
