package huaweidnsfake

import "github.com/ddns-go/ddns/publish/publishtest"

// Service returns a new fake with an empty account, seen as the provider
// test kit sees every service.
func Service() publishtest.Service {
	const ak, sk = "HWAKKITTEST", "kit-huawei-secret-0a1b2c3d"
	s := New(ak, sk)
	return publishtest.Service{
		Provider: "huaweidns",
		ID:       ak,
		Token:    sk,
		BadToken: "kit-huawei-secret-WRONG-9f8e",
		Fake:     s,
		AddZone:  func(name string) { s.AddZone(name) },
		Values: func(fqdn, typ string) []string {
			rs, _ := s.Record(fqdn, typ)
			return rs.Records
		},
		Delete: func(fqdn, typ string) {
			if rs, ok := s.Record(fqdn, typ); ok {
				s.DeleteRecord(rs.ID)
			}
		},
		Calls:       s.Total,
		Reset:       s.ResetCalls,
		Fail:        func(status int, after string) { s.FailNext(1, Fault{Status: status, RetryAfter: after}) },
		ChangeCalls: 1,
	}
}
