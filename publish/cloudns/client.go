package cloudns

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/ddns-go/ddns/publish"
)

// credential is how the API user is named in every request: ClouDNS
// accepts exactly one of auth-id (main API user), sub-auth-id or
// sub-auth-user (an API sub-user, by id or by name).
type credential struct {
	key, value string
}

// subPrefix introduces a sub-user in the id setting: "sub:1234" is a
// sub-auth-id, "sub:alice" a sub-auth-user.
const subPrefix = "sub:"

// parseID reads the id setting. ClouDNS ids are integers, so anything
// else is a configuration mistake caught before any request.
func parseID(id string) (credential, error) {
	id = strings.TrimSpace(id)
	sub, isSub := strings.CutPrefix(id, subPrefix)
	switch {
	case id == "":
		return credential{}, errors.New("cloudns: id must be configured (the API user's auth-id)")
	case !isSub && isNumber(id):
		return credential{"auth-id", id}, nil
	case !isSub:
		return credential{}, errors.New("cloudns: id must be the numeric auth-id of an API user, or sub:<id> / sub:<name> for a sub-user")
	case sub == "":
		return credential{}, errors.New("cloudns: id sub: needs the sub-user's id or name after it")
	case isNumber(sub):
		return credential{"sub-auth-id", sub}, nil
	}
	return credential{"sub-auth-user", sub}, nil
}

func isNumber(s string) bool {
	_, err := strconv.ParseUint(s, 10, 63)
	return err == nil
}

// call posts params plus the credentials to <endpoint>/dns/<action>.json
// and returns the body of a non-error HTTP answer; judging it is the
// action's job. Transport failures are transient; HTTP errors keep their
// class and Retry-After (ClouDNS itself answers 200 even for errors, but a
// proxy or load balancer in front may not).
func (a *api) call(ctx context.Context, action string, params publish.Extra) ([]byte, error) {
	// Credentials last, so that no other parameter can replace them.
	params = params.Set(a.cred.key, a.cred.value).Set("auth-password", a.s.Token)
	resp, err := a.s.Do(ctx, publish.Request{
		Method: http.MethodPost,
		URL:    a.endpoint + "/dns/" + action + ".json",
		Header: http.Header{
			"Content-Type": {"application/x-www-form-urlencoded"},
			"Accept":       {"application/json"},
		},
		Body: []byte(publish.Form(params)),
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", action, err)
	}
	if err := resp.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", action, err)
	}
	return resp.Body, nil
}

// Failure descriptions this package acts on (ClouDNS has no error codes:
// a failed call answers {"status": "Failed", "statusDescription": "…"}).
// Matched as lower-case substrings, since the wording varies a little
// between the documentation pages.
const (
	// "Invalid authentication, incorrect auth-id or auth-password." and
	// the sub-user variant.
	descAuth = "invalid authentication"
	// The answer for a zone that is not in the account ("invalid or
	// non-existent domain-name").
	descNoZone = "missing domain-name"
	// mod-record with a record id the zone does not hold.
	descNoRecord = "invalid record-id"
	// "Request blocked, <ip> is sending more than 20 requests per second."
	// ClouDNS rate-limits in the body, with HTTP 200.
	descBlocked = "request blocked"
	descRate    = "requests per second"
)

// apiError turns a Failed answer into an error carrying ClouDNS's own
// description. Rate limiting is worth retrying; bad credentials, a missing
// zone and invalid parameters are permanent, as is anything unknown: the
// API reports temporary trouble with HTTP 5xx or the rate-limit message.
func apiError(action string, f *failure) error {
	err := fmt.Errorf("%s: API error: %s", action, f.Description)
	d := strings.ToLower(f.Description)
	switch {
	case strings.Contains(d, descBlocked) || strings.Contains(d, descRate):
		return err
	case strings.Contains(d, descAuth):
		return publish.Permanent(fmt.Errorf("%w (check id = auth-id, or sub:<id>/sub:<name>, and token = auth-password of an API user)", err))
	case strings.Contains(d, descNoZone):
		return publish.Permanent(fmt.Errorf("%w (zone not in this account)", err))
	}
	return publish.Permanent(err)
}

// noZone reports whether f means "this zone is not in the account".
func noZone(f *failure) bool { return strings.Contains(strings.ToLower(f.Description), descNoZone) }

// noRecord reports whether f means "no record with this id".
func noRecord(f *failure) bool {
	return strings.Contains(strings.ToLower(f.Description), descNoRecord)
}

// ttls are the only TTLs ClouDNS accepts (add-record and mod-record
// documentation); any other value is refused with "Invalid TTL".
var ttls = []int{60, 300, 900, 1800, 3600, 21600, 43200, 86400, 172800, 259200, 604800, 1209600, 2592000}

// defaultTTL is sent on create when no TTL is configured (ttl is a
// required field): the shortest ClouDNS offers, as the original did.
const defaultTTL = 60

// roundTTL returns the smallest accepted TTL not below ttl, or the largest
// one, as other ClouDNS clients (dnscontrol, lego) do: sending ttl as is
// would fail the record on every run.
func roundTTL(ttl int) int {
	for _, t := range ttls {
		if ttl <= t {
			return t
		}
	}
	return ttls[len(ttls)-1]
}
