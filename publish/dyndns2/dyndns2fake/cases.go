package dyndns2fake

import (
	"time"

	"github.com/ddns-go/ddns/publish/publishtest"
)

// Cases are the table rows of the return codes the protocol defines, for
// a provider speaking it to this fake (dyndns2, noip): server trouble is
// transient and asks for at least the protocol's 30 minutes; abuse and a
// refused client or feature are permanent, updates stop until the user
// acts.
func Cases() []publishtest.HostCase[*Fake] {
	answer := func(name string, ft Fault, want publishtest.Outcome, text string, retry time.Duration) publishtest.HostCase[*Fake] {
		return publishtest.HostCase[*Fake]{Name: name, Faults: []Fault{ft}, R: publishtest.Rec("home.example.com", "192.0.2.10"),
			Want: want, WantIn: text, Retry: retry}
	}
	return []publishtest.HostCase[*Fake]{
		answer("911: transient, at least 30 minutes", Fault{Body: "911"}, publishtest.Transient, "reports an outage or maintenance", 30*time.Minute),
		answer("911 under 503 with a longer Retry-After", Fault{Status: 503, Body: "911", RetryAfter: "3600"}, publishtest.Transient, "911", time.Hour),
		answer("dnserr", Fault{Body: "dnserr"}, publishtest.Transient, "reports a DNS error", 30*time.Minute),
		answer("abuse is permanent", Fault{Body: "abuse"}, publishtest.Permanent, "abuse", 0),
		answer("badagent is permanent", Fault{Body: "badagent"}, publishtest.Permanent, "refused this client", 0),
		answer("!donator is permanent", Fault{Body: "!donator"}, publishtest.Permanent, "!donator", 0),
	}
}
