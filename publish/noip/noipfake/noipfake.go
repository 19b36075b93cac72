// Package noipfake is an in-memory stand-in for No-IP's update server
// (dynupdate.no-ip.com), for tests of the noip provider and of the ddns
// binary: a dyndns2fake server on No-IP's path and with its challenge
// realm. See package dyndns2fake for the behaviour.
package noipfake

import (
	"github.com/ddns-go/ddns/publish/dyndns2/dyndns2fake"
	"github.com/ddns-go/ddns/publish/publishtest"
)

// Realm is the realm of No-IP's Basic challenge, as its server sends it.
const Realm = "No-IP DNS Update API"

// New returns a No-IP fake that knows no account yet.
func New() *dyndns2fake.Fake {
	return dyndns2fake.New(dyndns2fake.Options{Path: "/nic/update", Realm: Realm})
}

// Service returns a new fake with one user and no host, seen as the
// provider test kit sees every service.
func Service() publishtest.Service {
	return dyndns2fake.Service("noip", dyndns2fake.Options{Path: "/nic/update", Realm: Realm})
}
