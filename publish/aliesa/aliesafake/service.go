package aliesafake

import "github.com/ddns-go/ddns/publish/publishtest"

// Service returns a new fake with an empty account, seen as the provider
// test kit sees every service.
func Service() publishtest.Service {
	const id, secret = "LTAI5tKitAliesa", "kit-aliesa-secret-0a1b2c3d4e"
	f := New(id, secret)
	return publishtest.Holds(publishtest.Service{Provider: "aliesa", ID: id, Token: secret, BadToken: "kit-aliesa-secret-WRONG-9f8e", Fake: f, ChangeCalls: 1,
		AddZone: func(name string) { f.AddSite(name) }}, f.FindFamily, func(r Record) string { return r.Value }, func(r Record) { f.DeleteRecord(r.ID) })
}
