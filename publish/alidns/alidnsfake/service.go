package alidnsfake

import "github.com/ddns-go/ddns/publish/publishtest"

// Service returns a new fake with an empty account, seen as the provider
// test kit sees every service.
func Service() publishtest.Service {
	const id, secret = "LTAI5tKitAlidns", "kit-alidns-secret-0a1b2c3d4e"
	f := New(id, secret)
	return publishtest.Zoned(publishtest.Service{Provider: "alidns", ID: id, Token: secret, BadToken: "kit-alidns-secret-WRONG-9f8e", Fake: f, ChangeCalls: 1},
		f.AddZone, f.Find, Record.Held, func(_ string, r Record) { f.DeleteRecord(r.ID) })
}
