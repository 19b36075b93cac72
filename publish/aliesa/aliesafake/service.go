package aliesafake

import (
	"strings"

	"github.com/ddns-go/ddns/publish/publishtest"
)

// Service returns a new fake with an empty account, seen as the provider
// test kit sees every service.
func Service() publishtest.Service {
	const id, secret = "LTAI5tKitAliesa", "kit-aliesa-secret-0a1b2c3d4e"
	f := New(id, secret)
	find := func(fqdn, typ string) []Record {
		var out []Record
		for _, r := range f.Find(fqdn) {
			// ESA's type is "A/AAAA": the family is the value's.
			if strings.Contains(r.Value, ":") == (typ == "AAAA") {
				out = append(out, r)
			}
		}
		return out
	}
	return publishtest.Service{
		Provider: "aliesa",
		ID:       id,
		Token:    secret,
		BadToken: "kit-aliesa-secret-WRONG-9f8e",
		Fake:     f,
		AddZone:  func(name string) { f.AddSite(name) },
		Values: func(fqdn, typ string) []string {
			var out []string
			for _, r := range find(fqdn, typ) {
				out = append(out, r.Value)
			}
			return out
		},
		Delete: func(fqdn, typ string) {
			for _, r := range find(fqdn, typ) {
				f.DeleteRecord(r.ID)
			}
		},
		Calls:       func() int { return len(f.Calls()) },
		Reset:       f.ResetCalls,
		Fail:        func(status int, after string) { f.Fail(Fault{Status: status, RetryAfter: after}) },
		ChangeCalls: 1,
	}
}
