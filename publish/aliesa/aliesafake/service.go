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
	s := publishtest.Service{
		Provider: "aliesa", ID: id, Token: secret, BadToken: "kit-aliesa-secret-WRONG-9f8e",
		Fake: f, AddZone: func(name string) { f.AddSite(name) },
		ChangeCalls: 1,
	}
	s.Values, s.Delete = publishtest.Held(func(fqdn, typ string) []Record {
		var out []Record
		for _, r := range f.Find(fqdn) {
			// ESA's type is "A/AAAA": the family is the value's.
			if strings.Contains(r.Value, ":") == (typ == "AAAA") {
				out = append(out, r)
			}
		}
		return out
	}, func(r Record) string { return r.Value }, func(_ string, r Record) { f.DeleteRecord(r.ID) })
	return s
}
